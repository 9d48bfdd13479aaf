"""``callassist profile``: the rep's details, business hours and call types."""

import argparse
from collections.abc import Sequence
from datetime import time

from callassist.cli.terminal import EXIT_OK, Terminal
from callassist.core import CallDesk
from callassist.desk.rep_choice import remembered_rep
from callassist.errors import InvalidInputError, RepNotChosenError
from callassist.records import CallTypeRecord, ProfileRecord, call_type_list


def run_profile(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    joined = _join_as_new_rep(desk, args)
    if joined and args.format != "json":
        terminal.say(f"Welcome to the team on {desk.describe()}, {joined}.")
        terminal.say()
    # The only rep, known by no email yet, run as an email: that email is theirs.
    unsaved_email = desk.asked_rep if desk.rep is not None and not desk.rep.email else None
    changes = {
        "name": args.name,
        "company": args.company,
        "phone": args.phone,
        "email": args.email or unsaved_email,
        "timezone": args.timezone,
        "signature": args.signature.replace("\\n", "\n") if args.signature is not None else None,
    }
    hours = _parse_hours(args.hours) if args.hours else None
    call_types: list[CallTypeRecord] | None = None
    notes: list[str] = []
    profile = desk.profile()
    if args.call_type or args.remove_call_type:
        call_types, notes = _changed_call_types(
            profile.call_types,
            args.call_type or (),
            args.remove_call_type or (),
        )
    if any(value is not None for value in changes.values()) or hours or call_types:
        # Made on what was just read: a save in between is refused, not overwritten.
        profile = desk.update_profile(
            **changes, business_hours=hours, call_types=call_types, seen_version=profile.version
        )
    if args.format == "json":
        terminal.json(_profile_json(profile))
    else:
        for note in notes:
            terminal.say(note)
        if notes:
            terminal.say()
        _print_profile(profile, terminal)
    return EXIT_OK


def _join_as_new_rep(desk: CallDesk, args: argparse.Namespace) -> str | None:
    """Act as the rep this command is run as when the desk could not: add them when they
    are new; their name as greeted when added, else None.

    That rep is the one asked for (``--rep``, $CALLASSIST_REP, remembered), else, when
    nobody is, the one ``--email`` names. They are remembered on this computer unless
    someone already is.
    """
    if desk.rep is not None:
        return None
    typed_email = args.email.strip().lower() if args.email else None
    email = desk.asked_rep or typed_email
    if email is None:
        raise RepNotChosenError(desk.rep_problem)
    if typed_email and typed_email != email:
        raise InvalidInputError(
            f"--email {typed_email} is not the rep you run as ({email}): "
            f"add yourself with `callassist --rep {typed_email} profile --name 'YOUR NAME'`"
        )
    remember = remembered_rep(desk.describe()) is None
    if any(rep.email == email for rep in desk.reps()):
        desk.use_rep(email, remember=remember)
        return None
    if not args.name or not args.name.strip():
        raise InvalidInputError(
            f"no rep has the email {email!r} on this database yet: join with "
            f"--name 'YOUR NAME' and the other details you want in your scripts"
        )
    return desk.add_rep(name=args.name, email=email, remember=remember).called


def _changed_call_types(
    current: Sequence[CallTypeRecord], added: Sequence[CallTypeRecord], removed: Sequence[str]
) -> tuple[list[CallTypeRecord], list[str]]:
    """The call types after adding, changing and removing some; what changed, in words."""
    result = {ct.name: ct for ct in current}
    notes: list[str] = []
    both = {ct.name.lower() for ct in added} & {name.strip().lower() for name in removed}
    if both:
        raise InvalidInputError(
            f"--call-type and --remove-call-type both name {', '.join(sorted(both))}"
        )
    for name in removed:
        key = name.strip().lower()
        if key not in result:
            raise InvalidInputError(
                f"no call type {name!r} to remove; the call types are {call_type_list(current)}"
            )
        del result[key]
        notes.append(f"Removed call type {key}.")
    for call_type in added:
        key = call_type.name.lower()
        before = result.get(key)
        if before is None:
            notes.append(f"Added call type {key} ({call_type.minutes} min).")
        elif before.minutes != call_type.minutes:
            notes.append(
                f"Call type {key} now needs {call_type.minutes} min (was {before.minutes})."
            )
        result[key] = CallTypeRecord(key, call_type.minutes)
    return list(result.values()), notes


def call_type_name(desk: CallDesk, typed: str) -> str:
    """The stored name of the call type the rep typed (any case); an error lists them all."""
    try:
        return desk.profile().call_type(typed).name
    except InvalidInputError as error:
        # The core's words, and the command that adds one.
        raise InvalidInputError(
            f"{error} (add one with callassist profile --call-type NAME=MINUTES)"
        ) from None


def chosen_call_type(desk: CallDesk, typed: str | None) -> str:
    """The call type named on the command line, else the rep's first one."""
    if typed is not None:
        return call_type_name(desk, typed)
    known = desk.profile().call_types
    if not known:
        raise InvalidInputError(
            "you have no call types to book; add one with callassist profile --call-type "
            "NAME=MINUTES"
        )
    return known[0].name


def _profile_json(profile: ProfileRecord) -> dict[str, object]:
    return {
        "name": profile.name,
        "company": profile.company,
        "phone": profile.phone,
        "email": profile.email,
        "signature": profile.signature,
        "timezone": profile.timezone,
        "business_hours": [
            profile.business_start.strftime("%H:%M"),
            profile.business_end.strftime("%H:%M"),
        ],
        "call_types": [{"name": ct.name, "minutes": ct.minutes} for ct in profile.call_types],
    }


def _print_profile(profile: ProfileRecord, terminal: Terminal) -> None:
    unset = "(not set)"
    zone = profile.timezone + ("" if profile.timezone_is_set else " (the computer's)")
    rows = [
        ("Name", profile.name or unset),
        ("Company", profile.company or unset),
        ("Phone", profile.phone_display or unset),
        ("Email", profile.email or unset),
        ("Time zone", zone),
        ("Business hours", f"{profile.business_start:%H:%M}-{profile.business_end:%H:%M}"),
        ("Call types", ", ".join(f"{ct.name} {ct.minutes} min" for ct in profile.call_types)),
        ("Signature", profile.signature.replace("\n", " / ") or unset),
    ]
    for label, value in rows:
        terminal.say(f"{label + ':':<16}{value}")
    if not profile.is_complete:
        terminal.say(
            "\nScripts need your name, company, phone and email: set them with "
            "callassist profile --name ... --company ... --phone ... --email ..."
        )


def _parse_hours(text: str) -> tuple[time, time]:
    try:
        start, end = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError as error:
        raise InvalidInputError(
            f"business hours {text!r}: use HH:MM-HH:MM, e.g. 09:00-17:00"
        ) from error
    return start, end
