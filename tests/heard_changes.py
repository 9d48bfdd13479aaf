"""Waiting for what a desk's watcher hears from other programs, in the core's tests and
PostgreSQL's.

A module of its own rather than a conftest, so test files can import it.
"""

import time

import pytest

from callassist.changes import Changes
from callassist.desk.change_watch import ChangeWatcher
from callassist.services.change_log import KINDS


def heard(watcher: ChangeWatcher, *, within: float = 10.0) -> Changes:
    """What the watcher hears next; the test fails if nothing comes within the time."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        changes = watcher.wait(deadline - time.monotonic())
        if changes is not None:
            return changes
    pytest.fail("nothing was heard")


def heard_until(watcher: ChangeWatcher, wanted: Changes, *, within: float = 10.0) -> Changes:
    """Everything the watcher hears, merged, until that is ``wanted`` or the time is up.

    A desk writes its changes down on a thread of its own, so they may come in
    several waits; anything heard beyond ``wanted`` stays in what is returned.
    """
    so_far = Changes()
    deadline = time.monotonic() + within
    while so_far != wanted and time.monotonic() < deadline:
        changes = watcher.wait(deadline - time.monotonic())
        if changes is not None:
            so_far = Changes(
                **{kind: getattr(so_far, kind) or getattr(changes, kind) for kind in KINDS},
                prospect_ids=so_far.prospect_ids | changes.prospect_ids,
            )
    return so_far
