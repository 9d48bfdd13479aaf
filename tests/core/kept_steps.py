"""The cadence steps a database keeps (worked_out_steps), seen and forgotten past the desk."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest

from callassist.core import CallDesk
from callassist.records import QueueItem
from callassist.services import cadence_queue
from tests.raw_sql import execute


def location(desk: CallDesk) -> str:
    """The desk's database as ``--db`` takes it (with its password, for a raw connection)."""
    return desk.url.render_as_string(hide_password=False)


def forget_kept_steps(desk: CallDesk) -> None:
    """Make every kept step untrusted, so the next look works each cadence out by the engine
    alone: the truth a look reading kept steps is compared with."""
    execute(location(desk), "UPDATE worked_out_steps SET worked_out_at_change = NULL")


def truth(desk: CallDesk, day: date | None = None) -> list[QueueItem]:
    """The queue of ``day`` (default: today) worked out from every attempt, nothing kept in
    memory or the database."""
    forget_kept_steps(desk)
    desk.forget_queue()
    return desk.queue(day)


@contextmanager
def engine_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The prospects' titles the cadence engine worked a step out for, in the block."""
    worked: list[str] = []
    work_out = cadence_queue.work_out

    def counted(*args: object, **kwargs: object) -> object:
        worked.append(str(kwargs["title"]))
        return work_out(*args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(cadence_queue, "work_out", counted)
        yield worked
