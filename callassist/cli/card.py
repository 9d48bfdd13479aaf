"""One prospect's card: ``prospect add|edit|delete|show``, and the pains and outcomes on it."""

import argparse
from collections.abc import Callable, Mapping
from zoneinfo import ZoneInfo

from callassist.cli.cadences import enrollment_json, enrollment_text
from callassist.cli.prospects import named, owner_emails, prospect_json
from callassist.cli.terminal import EXIT_OK, Terminal
from callassist.core import CallDesk
from callassist.errors import InvalidInputError
from callassist.records import AttemptRecord, EnrollmentRecord, PainRecord, ProspectDetail
from callassist.services.prospects import EDITABLE_FIELDS
from callassist.wording import OUTCOME_WORDS


def _typed_fields(args: argparse.Namespace) -> dict[str, str]:
    """The prospect fields given on the command line, as typed ("" to clear one)."""
    return {name: getattr(args, name) for name in EDITABLE_FIELDS if hasattr(args, name)}


def run_prospect_add(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    record = desk.add_prospect(**_typed_fields(args))
    if args.format == "json":
        terminal.json(prospect_json(record, owner_emails(desk)))
    else:
        terminal.say(f"Added {named(record)}.")
    return EXIT_OK


def run_prospect_edit(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    typed = _typed_fields(args)
    if not typed:
        raise InvalidInputError(
            'nothing to change: give the fields to set, e.g. --title TEXT, or --mobile "" '
            "to clear one (see callassist prospect edit --help)"
        )
    # Made on what was just read: a colleague's save in between is refused, not overwritten.
    seen = desk.prospect(args.prospect_id).version
    record = desk.update_prospect(args.prospect_id, seen_version=seen, **typed)
    if args.format == "json":
        terminal.json(prospect_json(record, owner_emails(desk)))
        return EXIT_OK
    words = {name: name.replace("_", " ") for name in typed}
    cleared = [words[name] for name, value in typed.items() if not value.strip()]
    changed = [words[name] for name, value in typed.items() if value.strip()]
    said = [f"set {', '.join(changed)}"] if changed else []
    said += [f"cleared {', '.join(cleared)}"] if cleared else []
    terminal.say(f"Saved {named(record)}: {'; '.join(said)}.")
    return EXIT_OK


def run_prospect_delete(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    trashed = desk.delete_prospect(args.prospect_id)
    kept_until = trashed.kept_until.astimezone(ZoneInfo(desk.profile().timezone))
    company = f" ({trashed.company})" if trashed.company else ""
    terminal.say(
        f"Moved #{trashed.prospect_id} {trashed.name}{company} to the trash with their history; "
        f"`callassist undelete {trashed.prospect_id}` brings them back until {kept_until:%Y-%m-%d}."
    )
    return EXIT_OK


def attempt_json(attempt: AttemptRecord, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of an attempt (``prospect show`` and ``outcome``)."""
    return {
        "attempt_id": attempt.id,
        "prospect_id": attempt.prospect_id,
        "at": attempt.at.astimezone(rep_zone).isoformat(),
        "channel": attempt.channel.value,
        "outcome": attempt.outcome.value if attempt.outcome else None,
        "script": attempt.script_name,
        "notes": attempt.notes,
    }


def pain_json(pain: PainRecord, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of a pain (``prospect show`` and ``pain add``)."""
    return {
        "pain_id": pain.id,
        "prospect_id": pain.prospect_id,
        "attempt_id": pain.attempt_id,
        "kind": pain.kind.value,
        "words": pain.words,
        "asked": pain.asked,
        "acknowledged": pain.acknowledged,
        "can_help": pain.can_help,
        "noted_at": pain.noted_at.astimezone(rep_zone).isoformat(),
    }


def card_json(
    detail: ProspectDetail,
    enrollment: EnrollmentRecord | None,
    rep_zone: ZoneInfo,
    owners: Mapping[int, str],
) -> dict[str, object]:
    """The stable JSON shape of ``prospect show``: the list's fields, then the card's."""
    record, research = detail.prospect, detail.research
    return prospect_json(record, owners) | {
        "website": record.website,
        "linkedin": record.linkedin,
        "tags": list(record.tags),
        "notes": record.notes,
        "research": {
            "company_summary": research.company_summary,
            "person_profile": research.person_profile,
            "angle": research.angle,
            "source_links": list(research.source_links),
        },
        "history": [attempt_json(attempt, rep_zone) for attempt in detail.attempts],
        "pains": [pain_json(pain, rep_zone) for pain in detail.pains],
        "follow_ups": [
            {
                "follow_up_id": follow_up.id,
                "due_at": follow_up.due_at.astimezone(rep_zone).isoformat(),
                "minutes": follow_up.minutes,
                "kind": follow_up.kind.value,
                "call_type": follow_up.call_type,
                "reason": follow_up.reason,
            }
            for follow_up in detail.follow_ups
        ],
        "cadence": enrollment_json(enrollment, rep_zone) if enrollment else None,
    }


def run_prospect_show(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    detail = desk.prospect_detail(args.prospect_id)
    enrollment = desk.enrollment(args.prospect_id)
    rep_zone = ZoneInfo(desk.profile().timezone)
    if args.format == "json":
        terminal.json(card_json(detail, enrollment, rep_zone, owner_emails(desk)))
        return EXIT_OK
    record, research = detail.prospect, detail.research
    dialled = record.dialled
    numbers = [
        (line.kind.value.capitalize(), line.written + ("  (to dial)" if line == dialled else ""))
        for line in record.phones
    ]
    fields = [
        ("Title", record.title),
        ("Company", record.company),
        *numbers,
        ("Email", record.email or ""),
        ("Website", record.website),
        ("LinkedIn", record.linkedin),
        ("Time zone", record.timezone or ""),
        ("Status", record.status.value.replace("_", " ")),
        ("Tags", ", ".join(record.tags)),
        ("Notes", record.notes.replace("\n", " / ")),
    ]
    terminal.say(f"#{record.id} {record.full_name}")
    for label, value in fields:
        if value:
            terminal.say(f"{label + ':':<11}{value}")
    found = [
        ("Company", research.company_summary),
        ("Person", research.person_profile),
        ("Angle", research.angle),
        ("Sources", " ".join(research.source_links)),
    ]
    if any(value for _label, value in found):
        terminal.say("Research:")
        for label, value in found:
            if value:
                terminal.say(f"  {label + ':':<9}{value}")
    terminal.say("History (latest first, your time):" if detail.attempts else "History: none")
    for attempt in detail.attempts:
        terminal.say(f"  {_attempt_line(attempt, rep_zone)}")
    terminal.say("Pains:" if detail.pains else "Pains: none noted")
    for pain in detail.pains:
        terminal.say(f"  {_pain_line(pain)}")
    for follow_up in detail.follow_ups:
        due = follow_up.due_at.astimezone(rep_zone)
        # Named as `callassist book` names it, so its id is the one move-booking takes.
        what = f"{follow_up.call_type} call" if follow_up.call_type else follow_up.kind.value
        reason = f": {follow_up.reason}" if follow_up.reason else ""
        terminal.say(
            f"Booked:    {what} #{follow_up.id}, {due:%a %Y-%m-%d %H:%M %Z}, "
            f"{follow_up.minutes} min{reason}"
        )
    cadence = enrollment_text(enrollment, desk) if enrollment else "in none"
    terminal.say(f"Cadence:   {cadence}")
    return EXIT_OK


def _attempt_line(attempt: AttemptRecord, rep_zone: ZoneInfo) -> str:
    outcome = (
        OUTCOME_WORDS[attempt.outcome].lower()
        if attempt.outcome
        else f"no outcome yet (set it with `callassist outcome {attempt.id} OUTCOME`)"
    )
    notes = f": {attempt.notes}" if attempt.notes else ""
    return (
        f"{attempt.at.astimezone(rep_zone):%Y-%m-%d %H:%M %Z}  {attempt.channel.value}  "
        f"{outcome}{notes}  (attempt id {attempt.id})"
    )


def _pain_line(pain: PainRecord) -> str:
    marks = [
        mark
        for mark, is_set in (("asked", pain.asked), ("acknowledged", pain.acknowledged))
        if is_set
    ]
    return f'{pain.kind.value}: "{pain.words}"' + (f" ({', '.join(marks)})" if marks else "")


def run_prospect_assign(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    before, after = desk.assign_prospect(args.prospect_id, args.email)
    record = desk.prospect(args.prospect_id)
    if before.id == after.id:
        terminal.say(f"{named(record)} is already {after.called}'s.")
    else:
        terminal.say(f"{named(record)} was {before.called}'s and is now {after.called}'s.")
    return EXIT_OK


PROSPECT_ACTIONS: dict[str, Callable[[CallDesk, argparse.Namespace, Terminal], int]] = {
    "add": run_prospect_add,
    "edit": run_prospect_edit,
    "delete": run_prospect_delete,
    "show": run_prospect_show,
    "assign": run_prospect_assign,
}


def run_prospect(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    return PROSPECT_ACTIONS[args.action](desk, args, terminal)


def run_pain(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    # "add" is the only action so far: argparse refuses any other.
    if not args.words.strip():
        raise InvalidInputError("--words is empty: give what the prospect said")
    pain = desk.add_pain(
        args.prospect_id,
        args.kind,
        args.words,
        attempt_id=args.attempt,
        asked=args.asked,
        acknowledged=args.acknowledged,
    )
    if args.format == "json":
        terminal.json(pain_json(pain, ZoneInfo(desk.profile().timezone)))
        return EXIT_OK
    prospect = desk.prospect(args.prospect_id)
    terminal.say(f"Noted for {named(prospect)}: {_pain_line(pain)} (pain id {pain.id}).")
    return EXIT_OK


def run_outcome(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    # Logged late, as from the review: the call keeps no end time rather than
    # one that makes it last until now, and an outcome already there is refused.
    attempt = desk.finish_attempt(args.attempt_id, args.outcome, logged_late=True)
    rep_zone = ZoneInfo(desk.profile().timezone)
    if args.format == "json":
        terminal.json(attempt_json(attempt, rep_zone))
        return EXIT_OK
    prospect = desk.prospect(attempt.prospect_id)
    terminal.say(
        f"Logged {OUTCOME_WORDS[args.outcome].lower()} for the {attempt.channel.value} "
        f"with {named(prospect)} of {attempt.at.astimezone(rep_zone):%Y-%m-%d %H:%M %Z} "
        f"(attempt id {attempt.id})."
    )
    return EXIT_OK
