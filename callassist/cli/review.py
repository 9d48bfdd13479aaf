"""The day: ``queue`` says who is due, ``review`` how the day went and who is due tomorrow."""

import argparse
import csv
import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from callassist import paths
from callassist.cli.terminal import EXIT_OK, Terminal, print_table
from callassist.core import CallDesk
from callassist.errors import InvalidInputError, KnownError
from callassist.records import QueueItem
from callassist.review import DayReview, TeamReview, due_text
from callassist.vocabulary import QueueAction


def queue_json(item: QueueItem, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of a queue line (also the review's ``tomorrow``)."""
    return {
        "prospect_id": item.prospect_id,
        "name": item.name,
        "company": item.company,
        "due_at": item.due_at.astimezone(rep_zone).isoformat(),
        "local_time": item.local_time.isoformat() if item.their_zone_known else None,
        "action": item.action.value,
        "leave_message": item.leave_message,
        "script": item.script,
        "cadence": item.cadence,
        "step": item.step,
        "attempt": item.attempt,
        "within_your_hours": item.within_your_hours,
        "late_after": item.late_after.astimezone(rep_zone).isoformat(),
        **({"owner": item.owner} if item.owner else {}),
    }


def run_queue(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    day: date = args.date or desk.rep_today()
    desk.settle_cadences()  # cadences that ran their course since the last look end first
    items = desk.queue(day, team=args.team)
    rep_zone = ZoneInfo(desk.profile().timezone)
    if args.format == "json":
        terminal.json([queue_json(item, rep_zone) for item in items])
        return EXIT_OK
    if not items:
        terminal.say("Nobody is due.")
        return EXIT_OK
    whose = "Team queue" if args.team else "Queue"
    terminal.say(f"{whose} for {day:%A, %Y-%m-%d} (times yours, then theirs):")
    for item in items:
        message = "leave a message" if item.leave_message else "no message"
        if item.action in (QueueAction.MOVE_ON, QueueAction.MEETING):
            message = item.prompt
        script = f", {item.script}" if item.script else ""
        what = item.action.replace("_", " ") + script + (f"; {message}" if message else "")
        mark = "due" if item.overdue else "later"
        outside = "" if item.within_your_hours else " (outside your hours)"
        owner = f" [{item.owner}]" if item.owner else ""
        terminal.say(
            f"{mark:<5}  {due_text(item, rep_zone, day, desk.clock())}{outside}  "
            f"#{item.prospect_id} {item.name}, {item.company}: {what}{owner}"
        )
    return EXIT_OK


def review_json(review: DayReview, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of ``callassist review --format json``."""
    return {
        "date": review.day.isoformat(),
        "dials": review.dials,
        "connects": review.connects,
        "voicemails": review.voicemails,
        "emails": review.emails,
        "reschedules": review.reschedules,
        "time_checks_asked": review.time_checks_asked,
        "overran": review.overran,
        "moved_on": review.moved_on,
        "missing_outcomes": [
            {
                "attempt_id": missing.attempt_id,
                "prospect_id": missing.prospect_id,
                "name": missing.name,
                "at": missing.at.astimezone(rep_zone).isoformat(),
            }
            for missing in review.missing_outcomes
        ],
        "pains": {
            "total": review.pains.total,
            "asked": review.pains.asked,
            "acknowledged": review.pains.acknowledged,
            "by_kind": dict(review.pains.by_kind),
        },
        "tomorrow": [queue_json(item, rep_zone) for item in review.tomorrow],
    }


def review_text(review: DayReview, rep_zone: ZoneInfo, now: datetime) -> str:
    rate = f" ({review.connect_rate:.0%})" if review.connect_rate is not None else ""
    pains = review.pains
    kinds = ", ".join(f"{kind} {count}" for kind, count in pains.by_kind.items())
    lines = [
        f"Day review for {review.day:%A, %Y-%m-%d}",
        f"Dials {review.dials}, connects {review.connects}{rate}",
        f"Voicemails {review.voicemails}, emails {review.emails}, reschedules {review.reschedules}",
        f"Time check asked on {review.time_checks_asked} of {review.connects} connects; "
        f"{review.overran} ran past the time they had",
        f"Pains {pains.total} ({kinds}): "
        f"{pains.asked} asked about, {pains.acknowledged} acknowledged",
        f"Moved on {review.moved_on}",
    ]
    if review.missing_outcomes:
        lines.append("No outcome logged:")
        lines += [
            f"  {m.at.astimezone(rep_zone):%H:%M}  #{m.prospect_id} {m.name} "
            f"(attempt id {m.attempt_id})"
            for m in review.missing_outcomes
        ]
        lines.append("  (give each its outcome with `callassist outcome ATTEMPT_ID OUTCOME`)")
    lines.append("Tomorrow:" if review.tomorrow else "Tomorrow: nobody is due.")
    next_day = review.day + timedelta(days=1)
    for item in review.tomorrow:
        script = f", {item.script}" if item.script else ""
        lines.append(
            f"  {due_text(item, rep_zone, next_day, now)}  "
            f"#{item.prospect_id} {item.name}: {item.action.replace('_', ' ')}{script}"
        )
    return "\n".join(lines) + "\n"


def review_csv(review: DayReview, rep_zone: ZoneInfo) -> str:
    """One figure per row; the open attempts and tomorrow's list follow as rows of their own."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["section", "item", "value"])
    data = review_json(review, rep_zone)
    for key in ("dials", "connects", "voicemails", "emails", "reschedules",
                "time_checks_asked", "overran", "moved_on"):  # fmt: skip
        writer.writerow(["figures", key, data[key]])
    for key in ("total", "asked", "acknowledged"):
        writer.writerow(["pains", key, getattr(review.pains, key)])
    for kind, count in review.pains.by_kind.items():
        writer.writerow(["pains_by_kind", kind, count])
    for missing in review.missing_outcomes:
        writer.writerow(["missing_outcome", f"#{missing.prospect_id} {missing.name}",
                         missing.at.astimezone(rep_zone).isoformat()])  # fmt: skip
    for item in review.tomorrow:
        writer.writerow(["tomorrow", f"#{item.prospect_id} {item.name}",
                         f"{item.due_at.astimezone(rep_zone).isoformat()} {item.action}"
                         + (f" {item.script}" if item.script else "")])  # fmt: skip
    return buffer.getvalue()


_TEAM_FIGURES = ("dials", "connects", "voicemails", "emails", "reschedules", "moved_on")
"""The figures of each rep in ``review --team``, in order."""


def team_review_json(team: TeamReview, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of ``callassist review --team --format json``."""
    return {
        "date": team.team.day.isoformat(),
        "reps": [
            {"name": rep.name, "email": rep.email}
            | {figure: getattr(review, figure) for figure in _TEAM_FIGURES}
            | {"pains": review.pains.total}
            for rep, review in team.by_rep
        ],
        "team": review_json(team.team, rep_zone),
    }


def team_review_text(team: TeamReview, terminal: Terminal) -> None:
    terminal.say(f"Team review for {team.team.day:%A, %Y-%m-%d}")
    headers = ("Rep", *(figure.replace("_", " ").capitalize() for figure in _TEAM_FIGURES), "Pains")
    rows = [
        (name, *(str(getattr(review, figure)) for figure in _TEAM_FIGURES), str(review.pains.total))
        for name, review in (
            *((rep.called, review) for rep, review in team.by_rep),
            ("Team", team.team),
        )
    ]
    print_table(headers, rows, terminal)


def _run_team_review(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    team = desk.team_review(args.date)
    if args.format == "json":
        terminal.json(team_review_json(team, ZoneInfo(desk.profile().timezone)))
    else:
        team_review_text(team, terminal)
    return EXIT_OK


def run_review(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    day: date | None = args.date
    if args.team and (args.format not in ("text", "json") or args.output is not None):
        raise InvalidInputError("review --team is shown on the screen, as text or json")
    desk.settle_cadences()  # cadences that ran their course since the last look end first
    if args.team:
        return _run_team_review(desk, args, terminal)
    review = desk.review(day)
    rep_zone = ZoneInfo(desk.profile().timezone)
    if args.format == "json":
        as_json = review_json(review, rep_zone)
        text = json.dumps(as_json, indent=2, ensure_ascii=not terminal.unicode) + "\n"
    elif args.format == "html":
        text = desk.review_html(review)
    elif args.format == "csv":
        text = review_csv(review, rep_zone)
    else:
        text = review_text(review, rep_zone, desk.clock())
    if args.output is None:
        terminal.out.write(text)
        return EXIT_OK
    try:
        paths.write_private(args.output, text.encode("utf-8"))
    except OSError as error:
        raise KnownError(f"cannot write {args.output}: {error.strerror or error}") from error
    terminal.say(f"Wrote the review of {review.day.isoformat()} to {args.output}")
    return EXIT_OK
