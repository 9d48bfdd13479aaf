"""What a service call changed, so each view reloads only what it must."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Changes:
    """Flags for the kinds of data a user action touched."""

    prospects: bool = False
    research: bool = False
    attempts: bool = False
    pains: bool = False
    follow_ups: bool = False
    profile: bool = False
    trash: bool = False
    """A prospect went into the trash or came back out of it."""
    prospect_ids: frozenset[int] = frozenset()
    """The prospects whose data changed (empty with ``prospects`` set: many or all)."""
