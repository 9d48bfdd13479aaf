"""Where callassist keeps its files, from platformdirs.

Every function takes the directories from one :class:`platformdirs.PlatformDirs`
so tests can point them at a temporary folder through the environment
(``XDG_DATA_HOME`` and friends on Linux).

What callassist writes is personal data about other people (prospects' names,
numbers, notes), so the files it creates are readable by the rep alone, in
folders only the rep can enter, whatever the umask says: see
:func:`private_folder`, :func:`create_private_file` and :func:`write_private`.
"""

import contextlib
import os
import re
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "callassist"

PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


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


def drafts_dir() -> Path:
    """Email drafts (.eml) written for the rep's mail app."""
    return data_dir() / "drafts"


def user_cadence_dir() -> Path:
    """The rep's own cadences; a file here replaces the bundled cadence of that name."""
    return config_dir() / "cadences"


def private_folder(folder: Path) -> Path:
    """Create ``folder`` and any missing parents as 0700; return ``folder``.

    Folders that already exist keep their mode: they may be the rep's own
    (``--db ~/Documents/calls.sqlite``). ``Path.mkdir(parents=True)`` would
    give the parents the umask's default instead, hence one level at a time.
    """
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=PRIVATE_FOLDER_MODE)
        except FileExistsError:
            continue  # made by another process at the same moment: theirs to set
        # mkdir's mode passes through the umask, which could take the rep's own bits.
        os.chmod(created, PRIVATE_FOLDER_MODE)
    return folder


def create_private_file(path: Path) -> None:
    """Create an empty file at ``path`` that only the rep can read and write.

    Raises FileExistsError if anything is there already, so a caller picking a
    new name never takes over an existing file (or a symlink's target).
    """
    descriptor = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, PRIVATE_FILE_MODE
    )
    try:
        os.fchmod(descriptor, PRIVATE_FILE_MODE)  # the umask may have taken bits off
    finally:
        os.close(descriptor)


def write_private(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path``; a file created for it is 0600.

    A file that is already there is overwritten and keeps its mode: it is one
    the rep chose (``review --output``), perhaps to share, or a device such as
    /dev/stdout.
    """
    with contextlib.suppress(FileExistsError):
        create_private_file(path)
    with path.open("wb") as stream:
        stream.write(content)


def name_part(text: str, fallback: str) -> str:
    """``text`` as a piece of a file name anyone can type: "Dana O'Brien" -> "dana-o-brien"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or fallback


def write_new_private(folder: Path, name: str, content: bytes) -> Path:
    """Save ``content`` as a new 0600 file in the private ``folder``; never overwrite.

    A name already taken gets a number: "call.ics", then "call-2.ics".
    """
    private_folder(folder)
    target = folder / name
    counter = 1
    while True:
        try:
            create_private_file(target)
            break
        except FileExistsError:
            counter += 1
            target = folder / f"{Path(name).stem}-{counter}{Path(name).suffix}"
    target.write_bytes(content)
    return target
