"""What one committed action changed, so each view reloads only what it shows.

Like Anki's ``OpChanges``: an action names the kinds of data it touched and
whose data they were; a view whose kinds are not set, or whose prospect is
not named, does not reload. Reading never announces a change.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Changes:
    """The kinds of data an action touched, for which prospects, and which view acted."""

    prospects: bool = False
    """A prospect's own fields: name, company, title, numbers, time zone, status."""
    research: bool = False
    attempts: bool = False
    """Calls started, discarded, noted or given an outcome; messages left."""
    time_checks: bool = False
    pains: bool = False
    follow_ups: bool = False
    """Follow-ups and booked calls."""
    cadences: bool = False
    """Who is in which cadence: enrolled, paused, resumed, removed or ended."""
    profile: bool = False
    scripts: bool = False
    """The rep's own version of a script was saved or reset."""
    trash: bool = False
    """A prospect went into the trash or came back out of it."""
    owners: bool = False
    """A prospect was given to another rep: they leave one rep's queue for another's."""
    prospect_ids: frozenset[int] = frozenset()
    """The prospects whose data changed (none for the profile or scripts)."""
    all_prospects: bool = False
    """Too many prospects to name (an import, the demo): any of them may have changed."""
    source: object | None = field(default=None, compare=False)
    """The view that acted (see ``CallDesk.acting_for``), so it can skip reloading
    after its own edit; None when no view said."""

    def touches(self, prospect_id: int) -> bool:
        """Whether the data of ``prospect_id`` may have changed."""
        return self.all_prospects or prospect_id in self.prospect_ids
