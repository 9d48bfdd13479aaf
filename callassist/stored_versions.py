"""Cadences and scripts kept in the database: the team's, and the rep's own.

The libraries (:class:`callassist.cadence.CadenceLibrary`,
:class:`callassist.templates.ScriptLibrary`) are handed what the database holds
for the rep using them, and look a name up in the rep's own version, then in the
rep's folder (a file not brought in yet), then in the team's, then in the
bundled file. They never read the database themselves.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

VersionKind = Literal["cadence", "script"]


@dataclass(frozen=True, slots=True)
class StoredVersion:
    """One cadence's TOML or one script's Jinja text, as the database holds it."""

    name: str
    source: str
    html_source: str | None
    """An email script's HTML part brought in from the rep's folder (scripts only)."""
    team: bool
    """The team's version (False: the rep's own)."""
    updated_by: str
    """Who saved it last, as the rep is named to others."""
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class StoredVersions:
    """The versions one rep works with, and the files of their folder already brought in."""

    own: Mapping[str, StoredVersion] = field(default_factory=dict)
    team: Mapping[str, StoredVersion] = field(default_factory=dict)
    imported_files: frozenset[str] = frozenset()
    """Names of the folder's files brought into the database: the folder copy no longer counts."""
    enrollers: Mapping[tuple[int, str], StoredVersion] = field(default_factory=dict)
    """Other reps' own versions (cadences only) that prospects were enrolled in by them,
    by (rep id, name): such an enrollment follows its rep's version on every desk whose
    own lookup has no cadence of that name."""
