"""Calls and bookings: ``log``, ``book``, ``move-booking`` and ``cancel-booking``."""

import argparse
from zoneinfo import ZoneInfo

from callassist.cli.arguments import in_zone
from callassist.cli.profile import chosen_call_type
from callassist.cli.terminal import EXIT_OK, Terminal
from callassist.core import CallDesk, Rescheduled
from callassist.errors import InvalidInputError
from callassist.vocabulary import Channel, Outcome
from callassist.wording import OUTCOME_WORDS


def run_log(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    outcome = Outcome(args.outcome)
    rescheduled = outcome is Outcome.RESCHEDULED
    if rescheduled and args.slot is None:
        raise InvalidInputError(
            "--outcome rescheduled needs --slot ISO_TIME, the time agreed for the call"
        )
    if not rescheduled and (args.slot is not None or args.call_type is not None):
        raise InvalidInputError("--slot and --call-type go with --outcome rescheduled only")
    zone = ZoneInfo(desk.profile().timezone)
    at = in_zone(args.at, zone, "--at") if args.at else None
    script = args.script or desk.step_message_script(args.prospect_id, outcome)
    rendered_text = None
    if script:
        rendered_text = desk.render_script(script, args.prospect_id).text
    booking = None
    if rescheduled:
        call_type = chosen_call_type(desk, args.call_type)
        attempt, booking = desk.log_rescheduled(
            args.prospect_id,
            slot=in_zone(args.slot, zone, "--slot"),
            call_type=call_type,
            at=at,
            notes=args.note,
            script_name=script,
            rendered_text=rendered_text,
        )
    else:
        attempt = desk.log_attempt(
            args.prospect_id,
            outcome,
            at=at,
            notes=args.note,
            script_name=script,
            rendered_text=rendered_text,
        )
    detail = desk.prospect_detail(args.prospect_id)
    prospect = detail.prospect
    # Which call (or email) to this prospect it is, in time order: an attempt
    # logged for earlier today counts before the ones that came after it.
    number = sum(
        1
        for earlier in detail.attempts
        if earlier.channel is attempt.channel
        and (earlier.at, earlier.id) <= (attempt.at, attempt.id)
    )
    local = attempt.at.astimezone(zone)
    channel = attempt.channel.value
    towards = "to" if attempt.channel is Channel.EMAIL else "with"
    terminal.say(
        f"Logged {channel} {number} {towards} #{prospect.id} {prospect.full_name}: "
        f"{OUTCOME_WORDS[outcome].lower()}, {local:%Y-%m-%d %H:%M %Z} (attempt id {attempt.id})"
        + (f", with the words of the cadence step's {script}." if script != args.script else ".")
    )
    if booking is not None:
        due = booking.follow_up.due_at.astimezone(zone)
        terminal.say(
            f"Booked {booking.follow_up.minutes} min for {due:%Y-%m-%d %H:%M %Z}; "
            f"the invite is {booking.invite}"
        )
    now = desk.clock()
    if attempt.at > now:
        terminal.warn(
            f"callassist: warning: --at {local:%Y-%m-%d %H:%M %Z} is in the future "
            f"(it is {now.astimezone(zone):%Y-%m-%d %H:%M %Z} now); logged as given"
        )
    return EXIT_OK


def run_book(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    booking = desk.reschedule(
        args.prospect_id,
        slot=in_zone(args.at, ZoneInfo(desk.profile().timezone), "--at"),
        call_type=chosen_call_type(desk, args.call_type),
        minutes=args.minutes,
    )
    _say_booking(desk, booking, "Booked", terminal)
    return EXIT_OK


def run_move_booking(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    booking = desk.move_booking(
        args.booking_id, slot=in_zone(args.at, ZoneInfo(desk.profile().timezone), "--at")
    )
    _say_booking(desk, booking, "Moved", terminal)
    return EXIT_OK


def run_cancel_booking(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    booking = desk.cancel_booking(args.booking_id)
    _say_booking(desk, booking, "Cancelled", terminal)
    return EXIT_OK


def _say_booking(desk: CallDesk, booking: Rescheduled, done: str, terminal: Terminal) -> None:
    """What happened to the booking, on the rep's clock; then the invite's path on a line
    of its own, for a script to pick up (`callassist book ... | tail -1`)."""
    follow_up = booking.follow_up
    prospect = desk.prospect_detail(follow_up.prospect_id).prospect
    due = follow_up.due_at.astimezone(ZoneInfo(desk.profile().timezone))
    call = f"{follow_up.call_type} call" if follow_up.call_type else "call"
    terminal.say(
        f"{done} {call} #{follow_up.id} with #{prospect.id} {prospect.full_name}: "
        f"{due:%Y-%m-%d %H:%M %Z}, {follow_up.minutes} min. The calendar invite:"
    )
    terminal.say(str(booking.invite))
