"""The change log: each committed change written down for the other programs on the database.

A desk tells its own subscribers what it changed (:class:`Changes`); a
colleague's window or the command line writing to the same database cannot.
So after each change the desk also writes it here, one row per prospect named,
and on PostgreSQL sends a notification on :data:`CHANNEL` in the same
transaction. The windows of other programs read the rows above the last they
saw and announce them merged (callassist/desk/change_watch.py).
"""

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from callassist.changes import Changes
from callassist.db.models import ChangeLogEntry

CHANNEL = "callassist_changes"
"""The PostgreSQL notification channel a row's id is sent on once it is committed."""

KINDS: tuple[str, ...] = tuple(field.name for field in fields(Changes) if field.type is bool)
"""The flags of :class:`Changes`, stored by name ("all_prospects" among them)."""

MOST_PROSPECTS_NAMED = 200
"""Above this, one row says "any prospect" instead of a row per prospect."""

KEPT_FOR = timedelta(days=1)
"""Rows older than this are pruned: every open window has read them long before."""

PRUNE_EVERY = 100
"""The log is pruned when a write's ids pass a multiple of this: now and then, by
whichever program writes, so no program has to stay open to keep it small."""

_ID_ORDER_LOCK = 0x63616C6C
"""A PostgreSQL advisory lock held from taking ids to commit: without it a row could
commit after one with a higher id that a reader has already passed."""


def record(session: Session, changes: Changes, *, writer: str, rep_id: int | None) -> None:
    """Write ``changes`` down as made by ``writer`` (a desk) acting as ``rep_id``."""
    kinds = [name for name in KINDS if getattr(changes, name)]
    if not kinds:
        return
    named: Sequence[int | None] = sorted(changes.prospect_ids)
    if len(named) > MOST_PROSPECTS_NAMED:
        named = []
        if "all_prospects" not in kinds:
            kinds.append("all_prospects")
    # The computer's own time, not the desk's clock (which tests set): it only
    # decides when the row is pruned, by whichever program writes next.
    now = datetime.now(UTC)
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        # Committed without waiting for the disk, as on SQLite (see desk/change_record.py).
        session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ID_ORDER_LOCK})
    rows = [
        {
            "writer": writer,
            "rep_id": rep_id,
            "kinds": ",".join(kinds),
            "prospect_id": prospect_id,
            "written_at": now,
        }
        for prospect_id in named or [None]
    ]
    ids = session.scalars(insert(ChangeLogEntry).returning(ChangeLogEntry.id), rows).all()
    if max(ids) // PRUNE_EVERY != (min(ids) - 1) // PRUNE_EVERY:
        # Never the rows just written: SQLite hands out the ids after the highest left.
        session.execute(delete(ChangeLogEntry).where(ChangeLogEntry.written_at < now - KEPT_FOR))
    if postgres:
        session.execute(
            text("SELECT pg_notify(:channel, :newest)"),
            {"channel": CHANNEL, "newest": str(max(ids))},
        )


def newest_id(session: Session) -> int:
    """The id of the newest row (0 for none): a reader asks for the rows above it."""
    return session.scalar(select(func.coalesce(func.max(ChangeLogEntry.id), 0))) or 0


def merged(rows: Iterable[tuple[str, int | None]]) -> Changes | None:
    """One :class:`Changes` for the rows ``(kinds, prospect id)`` read back; None for none.

    A kind this version does not know (written by a newer one) is left out.
    """
    flags: set[str] = set()
    prospect_ids: set[int] = set()
    for kinds, prospect_id in rows:
        flags.update(name for name in kinds.split(",") if name in KINDS)
        if prospect_id is not None:
            prospect_ids.add(prospect_id)
    if not flags:
        return None
    return Changes(**{name: True for name in flags}, prospect_ids=frozenset(prospect_ids))
