"""Where callassist keeps its files, from platformdirs.

Every function takes the directories from one :class:`platformdirs.PlatformDirs`
so tests can point them at a temporary folder through the environment
(``XDG_DATA_HOME`` and friends on Linux).
"""

from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "callassist"


def _dirs() -> PlatformDirs:
    return PlatformDirs(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Folder of the default database."""
    return Path(_dirs().user_data_dir)


def default_database_path() -> Path:
    """The SQLite file used when neither ``--db`` nor ``CALLASSIST_DB`` is given."""
    return data_dir() / "callassist.sqlite"


def backup_dir() -> Path:
    """Folder of automatic and manual database backups."""
    return data_dir() / "backups"


def config_dir() -> Path:
    """Folder of the rep's own settings and scripts."""
    return Path(_dirs().user_config_dir)


def user_template_dir() -> Path:
    """The rep's own scripts; a file here overrides the bundled script of that name."""
    return config_dir() / "scripts"


def invites_dir() -> Path:
    """Folder of the calendar invitations written for rescheduled calls."""
    return data_dir() / "invites"


def user_cadence_dir() -> Path:
    """The rep's own cadences; a file here replaces the bundled cadence of that name."""
    return config_dir() / "cadences"
