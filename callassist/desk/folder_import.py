"""Bringing the cadences and scripts of a rep's folders into the database, once each.

Before the database kept them, a rep's own cadences and scripts were files in
their config folder. On opening, each usable file not brought in yet becomes the
rep's own version in the database, so nothing a rep wrote disappears; the file
stays where it is, and from then on the database's version is the one used. A
file that cannot be used is left out, and still named where problems are shown,
until it is fixed.
"""

from pathlib import Path

from callassist.cadence import CadenceError, load_cadence
from callassist.errors import ScriptError
from callassist.services.shared_versions import FolderFile
from callassist.templates import HTML_SUFFIX, TEXT_SUFFIX, ScriptLibrary


def script_files(scripts: ScriptLibrary) -> list[FolderFile]:
    """The usable scripts of the rep's folder not brought in yet, each with its HTML part."""
    folder = scripts.user_dir
    if folder is None:
        return []
    waiting = scripts.folder_files()
    found: list[FolderFile] = []
    for file_name in sorted(waiting):
        if not file_name.endswith(TEXT_SUFFIX):
            continue  # an HTML part alone stays in the folder, read from there
        name = file_name.removesuffix(TEXT_SUFFIX)
        html_name = name + HTML_SUFFIX
        try:
            source = _read(folder / file_name)
            scripts.check_source(name, source)
            html = _read(folder / html_name) if html_name in waiting else None
        except (ScriptError, OSError, UnicodeDecodeError):
            continue  # named among the problems until fixed
        names = (file_name, html_name) if html is not None else (file_name,)
        found.append(FolderFile(names, name, source, html))
    return found


def cadence_files(paths: list[Path], script_names: set[str]) -> list[FolderFile]:
    """The usable cadence files among ``paths``; the others stay problems until fixed."""
    found: list[FolderFile] = []
    for path in paths:
        try:
            cadence = load_cadence(path, "user", script_names)
            source = _read(path)
        except (CadenceError, OSError, UnicodeDecodeError):
            continue
        found.append(FolderFile((path.name,), cadence.name, source))
    return found


def brought_in_note(kind: str, names: list[str], folder: Path | None) -> str:
    """One line saying which files were brought in, and what becomes of them."""
    listed = ", ".join(names)
    if len(names) == 1:
        return (
            f"your own {kind} {listed} from {folder} is now kept in the database as your "
            "version; the file stays where it is and is no longer read"
        )
    return (
        f"your own {kind}s {listed} from {folder} are now kept in the database as your "
        "versions; the files stay where they are and are no longer read"
    )


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")
