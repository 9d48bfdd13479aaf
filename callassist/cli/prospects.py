"""The prospect lists: ``prospects``, ``lookup`` and ``trash``; ``status`` and ``undelete``."""

import argparse
import math
from collections.abc import Mapping, Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from callassist.cli.terminal import EXIT_OK, Terminal, print_streamed_table, print_table
from callassist.core import CallDesk
from callassist.records import ProspectRecord
from callassist.wording import counted

PROSPECT_JSON_KEYS = (
    "id",
    "first_name",
    "last_name",
    "company",
    "title",
    "phone",
    "dial",
    "phones",
    "email",
    "timezone",
    "status",
    "owner",
)
"""The keys of ``prospects``, ``lookup`` and ``prospect add|edit --format json``, in order."""


def owner_emails(desk: CallDesk) -> dict[int, str]:
    """Each rep's email by id, to name the owner of the prospects listed."""
    return {rep.id: rep.email for rep in desk.reps()}


def prospect_json(record: ProspectRecord, owners: Mapping[int, str]) -> dict[str, object]:
    """The stable JSON shape of a prospect.

    ``phone`` is the number to dial in E.164 (or null) and ``dial`` which of
    ``phones`` it is; ``phones`` holds every number, direct first. ``owner`` is the
    email of the rep whose prospect they are (of ``owners``; null while that rep
    has given none).
    """
    dialled = record.dialled
    return {
        "id": record.id,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "company": record.company,
        "title": record.title,
        "phone": record.phone,
        "dial": dialled.kind.value if dialled else None,
        "phones": [
            {
                "kind": line.kind.value,
                "number": line.e164,
                "extension": line.extension,
                "written": line.written,
            }
            for line in record.phones
        ],
        "email": record.email,
        "timezone": record.timezone,
        "status": record.status.value,
        "owner": owners.get(record.owner_id) or None if record.owner_id is not None else None,
    }


def named(record: ProspectRecord) -> str:
    company = f" ({record.company})" if record.company else ""
    return f"#{record.id} {record.full_name}{company}"


_HEADERS = ("ID", "Name", "Company", "Title", "Phone", "Email", "Time zone", "Status")


def _cells(record: ProspectRecord) -> tuple[str, ...]:
    return (
        str(record.id),
        record.full_name,
        record.company,
        record.title,
        record.phone_display,
        record.email or "",
        record.timezone or "",
        record.status.value,
    )


def _print_prospects(
    desk: CallDesk, records: Sequence[ProspectRecord], args: argparse.Namespace, terminal: Terminal
) -> int:
    if args.format == "json":
        owners = owner_emails(desk)
        terminal.json([prospect_json(record, owners) for record in records])
        return EXIT_OK
    if not records:
        terminal.say("No prospects found.")
        return EXIT_OK
    print_table(_HEADERS, [_cells(record) for record in records], terminal)
    return EXIT_OK


def run_prospects(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    if args.search and args.search.strip():
        return _print_prospects(desk, desk.prospects(args.search, args.limit), args, terminal)
    # Every prospect: each line printed as its row is read, so the first shows at once
    # and a million take no more memory than a thousand.
    with desk.listing(args.limit) as listing:
        if args.format == "json":
            owners = owner_emails(desk)
            terminal.json_array(prospect_json(record, owners) for record in listing)
            return EXIT_OK
        longest = listing.longest()
        if not longest.count:
            terminal.say("No prospects found.")
            return EXIT_OK
        print_streamed_table(_HEADERS, longest.widths, listing.cells(), terminal)
    return EXIT_OK


def run_lookup(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    return _print_prospects(desk, desk.lookup(args.query), args, terminal)


def run_status(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    before = desk.prospect(args.prospect_id)
    record = desk.set_status(args.prospect_id, args.status)
    who = f"#{record.id} {record.full_name}"
    now = record.status.value.replace("_", " ")
    if before.status is record.status:
        terminal.say(f"{who} is already {now}.")
    else:
        was = before.status.value.replace("_", " ")
        terminal.say(f"{who} is now {now} (was {was}).")
    return EXIT_OK


def run_trash(desk: CallDesk, _args: argparse.Namespace, terminal: Terminal) -> int:
    trashed = desk.trash()
    if not trashed:
        terminal.say("The trash is empty.")
        return EXIT_OK
    zone = ZoneInfo(desk.profile().timezone)
    now = desk.clock()
    rows = [
        (
            str(item.prospect_id),
            item.name,
            item.company,
            f"{item.deleted_at.astimezone(zone):%Y-%m-%d %H:%M}",
            # Rounded up: on its last day an item still has "1 day", never "0 days".
            counted(math.ceil((item.kept_until - now) / timedelta(days=1)), "day"),
        )
        for item in trashed
    ]
    print_table(("ID", "Name", "Company", "Deleted", "Purged in"), rows, terminal)
    terminal.say("Bring one back with `callassist undelete ID`.")
    return EXIT_OK


def run_undelete(desk: CallDesk, args: argparse.Namespace, terminal: Terminal) -> int:
    record = desk.restore_prospect(args.prospect_id)
    company = f" ({record.company})" if record.company else ""
    terminal.say(f"#{record.id} {record.full_name}{company} is back, with their history.")
    return EXIT_OK
