"""The cadences: ``cadences`` lists them, ``cadence`` shows, saves or resets one (the rep's
own version or the team's), ``enroll`` puts a prospect in one or takes them out."""

import argparse
from zoneinfo import ZoneInfo

from callassist.cadence import Cadence, CadenceState, Step, StepAction
from callassist.cli.scripts import ORIGIN_MARKS, read_text_file, reset_line, saved_line
from callassist.cli.terminal import EXIT_OK, Terminal
from callassist.core import CallDesk
from callassist.errors import InvalidInputError
from callassist.records import EnrollmentRecord
from callassist.vocabulary import ENROLL_WARNING


def run_cadences(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    cadences, problems = desk.cadences()
    for problem in problems:
        terminal.warn(f"callassist: {problem}")
    if args.format == "json":
        terminal.json([cadence_json(cadence) for cadence in cadences])
        return EXIT_OK
    for cadence in cadences:
        mine = ORIGIN_MARKS[cadence.origin]
        terminal.say(f"{cadence.name}: {cadence.title}{mine}")
        for step in cadence.steps:
            terminal.say(f"  {step.number:>2}. {describe_step(step)}")
    return EXIT_OK


def run_cadence(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    if args.action == "show":
        terminal.say(desk.cadence_library.get(args.name).source.rstrip("\n"))
    elif args.action == "save":
        desk.save_cadence(args.name, read_text_file(args.file), team=args.team)
        terminal.say(saved_line("cadence", args.name, team=args.team))
    else:
        desk.reset_cadence(args.name, team=args.team)
        cadences = {cadence.name: cadence for cadence in desk.cadences()[0]}
        origin = cadences[args.name].origin if args.name in cadences else None
        terminal.say(reset_line("cadence", args.name, origin, team=args.team))
    return EXIT_OK


def cadence_json(cadence: Cadence) -> dict[str, object]:
    """The stable JSON shape of a cadence (``callassist cadences --format json``)."""
    return {
        "name": cadence.name,
        "title": cadence.title,
        "steps": [
            {
                "action": step.action.value,
                "wait": str(step.wait),
                "leave_message": step.leave_message,
                "script": step.script,
                "skip_if_title": list(step.skip_if_title),
            }
            for step in cadence.steps
        ],
    }


def describe_step(step: Step) -> str:
    wait = "at once" if str(step.wait) == "none" else f"after {step.wait}"
    if step.action is StepAction.MOVE_ON:
        return f"{wait}: move on" + (f" ({step.prompt})" if step.prompt else "")
    if step.action is StepAction.EMAIL:
        message = f"send {step.script}"
    else:
        message = f"leave {step.script}" if step.leave_message else "no message"
    skip = f"; skipped for {', '.join(step.skip_if_title)}" if step.skip_if_title else ""
    return f"{wait}: {step.action.value}, {message}{skip}"


def run_enroll(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    prospect = desk.prospect(args.prospect_id)
    if args.remove:
        desk.remove_from_cadence(args.prospect_id)
        terminal.say(f"#{prospect.id} {prospect.full_name} is in no cadence now.")
        return EXIT_OK
    record: EnrollmentRecord | None
    if args.pause or args.resume:
        if args.cadence:
            raise InvalidInputError("--pause and --resume take no cadence name")
        change = desk.pause_cadence if args.pause else desk.resume_cadence
        record = change(args.prospect_id)
    elif args.cadence:
        warning = ENROLL_WARNING.get(prospect.status)
        if warning is not None and not args.force:
            raise InvalidInputError(
                f"#{prospect.id} {prospect.full_name} {warning}; add --force to enroll them anyway"
            )
        before = desk.enrollment(args.prospect_id)
        record = desk.enroll(args.prospect_id, args.cadence, confirmed=args.force)
        # As the window does: a switch or a restart is said, never done silently.
        if before is not None and before.state is CadenceState.ACTIVE:
            if before.cadence == record.cadence:
                terminal.say(
                    f"Restarted {before.cadence_title} from step 1 (was at step {before.step})."
                )
            else:
                terminal.say(
                    f"Switched from {before.cadence_title} (was at step {before.step}) "
                    f"to {record.cadence_title}."
                )
    else:
        record = desk.enrollment(args.prospect_id)
    if record is None:
        terminal.say(f"#{prospect.id} {prospect.full_name} is in no cadence.")
        return EXIT_OK
    terminal.say(f"#{prospect.id} {prospect.full_name}: {enrollment_text(record, desk)}")
    return EXIT_OK


def enrollment_text(record: EnrollmentRecord, desk: CallDesk) -> str:
    head = f"{record.cadence_title}"
    if record.paused:
        return f"{head}, paused"
    if record.state is not CadenceState.ACTIVE:
        return f"{head}, ended ({record.state.replace('_', ' ')})"
    assert record.next_due_at is not None
    local = record.next_due_at.astimezone(ZoneInfo(desk.profile().timezone))
    what = record.next_action.replace("_", " ") if record.next_action else ""
    script = f" with {record.next_script}" if record.next_script else ""
    due = f"{local:%a %Y-%m-%d %H:%M %Z}"
    return f"{head}, step {record.step} of {record.steps}: {what}{script}, due {due}"


def enrollment_json(record: EnrollmentRecord, rep_zone: ZoneInfo) -> dict[str, object]:
    """The stable JSON shape of a prospect's place in a cadence."""
    return {
        "cadence": record.cadence,
        "title": record.cadence_title,
        "state": record.state.value,
        "paused": record.paused,
        "step": record.step,
        "steps": record.steps,
        "next_action": record.next_action.value if record.next_action else None,
        "next_script": record.next_script,
        "next_due_at": (
            record.next_due_at.astimezone(rep_zone).isoformat() if record.next_due_at else None
        ),
    }
