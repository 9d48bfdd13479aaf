"""One hostile input's sandbox: what an input is, and the folder it runs in.

Each input gets a :class:`Bench`: a copy of the demo database and XDG folders
of its own, and ``callassist`` run as a real subprocess with a time limit.
"""

import contextlib
import os
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

from callassist.db.backup import database_backup_folder

REPOSITORY = Path(__file__).resolve().parent.parent
COMMAND = Path(sys.executable).parent / "callassist"
BUNDLED_CADENCES = REPOSITORY / "callassist" / "cadences"

TIME_LIMIT_S = 60
"""Of each subprocess: a command that hangs is a failure, not a hung run."""
SCRIPT_HEADER = '{#-\ntitle = "Hostile"\nchannel = "call"\nused_when = "Never."\n-#}\n'
LONG_RUN = re.compile(r"(\d)\1{39,}")
"""A digit 40 times or more: shown abbreviated in the report."""


class CannotRunHereError(Exception):
    """This input cannot be set up here (it needs root, or a file system that can)."""


class HarnessError(Exception):
    """The run itself went wrong (the demo would not load): no input was judged."""


@dataclass(frozen=True)
class Ran:
    shown: str
    """The command as a rep would type it, in the input's folder."""
    status: int | None
    """None: killed at the time limit."""
    out: str
    err: str


@dataclass(frozen=True)
class Outcome:
    ran: Ran
    kept: bool
    """Nothing lost or changed beyond what the command was asked to do."""
    data: str
    """What became of the data, in words."""


@dataclass(frozen=True)
class Case:
    key: str
    group: str
    name: str
    expected_status: int
    words: str | None
    """Words stderr must contain (the message names the problem), or None."""
    run: "Callable[[Bench], Outcome]"


class Catalogue:
    """The inputs one module writes, in its order: ``@catalogue.case(...)`` adds one."""

    def __init__(self) -> None:
        self.cases: list[Case] = []

    def case(
        self, key: str, group: str, name: str, status: int = 1, words: str | None = None
    ) -> "Callable[[Callable[[Bench], Outcome]], Callable[[Bench], Outcome]]":
        def register(run: "Callable[[Bench], Outcome]") -> "Callable[[Bench], Outcome]":
            self.cases.append(Case(key, group, name, status, words, run))
            return run

        return register


# -- one input's folder ----------------------------------------------------------


class Bench:
    """A copy of the demo database and XDG folders of its own, for one input."""

    def __init__(self, folder: Path, demo: Path) -> None:
        self.folder = folder
        folder.mkdir()
        self.db = folder / "calls.sqlite"
        shutil.copyfile(demo, self.db)
        self.data_home = folder / "xdg-data"
        self.config_home = folder / "xdg-config"
        self.env = {
            **{name: value for name, value in os.environ.items() if name != "CALLASSIST_DB"},
            "XDG_DATA_HOME": str(self.data_home),
            "XDG_CONFIG_HOME": str(self.config_home),
        }

    def short(self, text: str) -> str:
        """``text`` with the input's folder left out and runs of one digit abbreviated."""
        text = text.replace(f"{self.folder}/", "").replace(str(self.folder), ".")
        return LONG_RUN.sub(lambda run: f"{run[0][:12]}… ({len(run[0]):,} digits)", text)

    def run(
        self,
        *argv: str,
        db: Path | None = None,
        env: dict[str, str] | None = None,
        prefix: str = "",
        suffix: str = "",
        umask: int | None = None,
        close_stdout: bool = False,
        default_db: bool = False,
        interrupt_after_s: float | None = None,
    ) -> Ran:
        """``callassist --db DB ARGV`` as a subprocess; ``prefix``/``suffix`` for the shell
        words that show the surroundings (``umask 077;``, ``>&-``)."""
        database = [] if default_db else ["--db", str(db or self.db)]
        command = [str(COMMAND), *database, *argv]
        # The input's own copy of the demo goes without saying; another database does not.
        named = ["--db", self.short(str(db)), *argv] if db else list(argv)
        shown = " ".join(part for part in (prefix, "callassist", shlex.join(named), suffix) if part)

        def surroundings() -> None:
            if umask is not None:
                os.umask(umask)
            if close_stdout:
                os.close(1)

        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=None if close_stdout else subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**self.env, **(env or {})},
            preexec_fn=surroundings,
            cwd=self.folder,
            text=True,
            errors="replace",
        )
        if interrupt_after_s is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=interrupt_after_s)
            child.send_signal(signal.SIGINT)
        try:
            out, err = child.communicate(timeout=TIME_LIMIT_S)
            status: int | None = child.returncode
        except subprocess.TimeoutExpired:
            child.kill()
            out, err = child.communicate()
            status = None
        return Ran(self.short(shown), status, out or "", err or "")

    def sql(self, statement: str, *values: object, db: Path | None = None) -> None:
        """Write behind callassist's back, as an old version or another tool would."""
        connection = sqlite3.connect(db or self.db)
        with connection:
            connection.execute(statement, values)
        connection.close()

    def rows(self, query: str, *values: object, db: Path | None = None) -> list[tuple[object, ...]]:
        connection = sqlite3.connect(f"file:{db or self.db}?mode=ro", uri=True)
        try:
            return connection.execute(query, values).fetchall()
        finally:
            connection.close()

    def one(self, query: str, *values: object, db: Path | None = None) -> object:
        return self.rows(query, *values, db=db)[0][0]

    def unchanged(self, command: Callable[[], Ran], db: Path | None = None) -> Outcome:
        """Run ``command``; kept when every table's rows are as they were."""
        before = digest(db or self.db)
        ran = command()
        after = digest(db or self.db)
        return Outcome(ran, before == after, "unchanged" if before == after else "CHANGED")

    def user_cadence(self, name: str, old: str, new: str) -> None:
        """The bundled three-voicemail cadence with ``old`` replaced by ``new``, as the
        rep's own cadence ``name``."""
        text = (BUNDLED_CADENCES / "three_voicemails.toml").read_text(encoding="utf-8")
        assert old in text, old
        folder = self.config_home / "callassist" / "cadences"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.toml").write_text(text.replace(old, new, 1), encoding="utf-8")

    def user_script(self, name: str, body: str) -> None:
        folder = self.config_home / "callassist" / "scripts"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.txt.j2").write_text(SCRIPT_HEADER + body, encoding="utf-8")

    def backup_folder(self, db: Path | None = None) -> Path:
        """The backup folder of ``db``: there is one per database."""
        return database_backup_folder(self.data_home / "callassist" / "backups", db or self.db)


def digest(database: Path) -> str:
    """Every table's rows as SQL, hashed."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()


def backup_files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """``path`` read-only even for root, who ignores the mode bits: made immutable."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    made = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True)
    if made.returncode != 0:
        raise CannotRunHereError(f"cannot make {path.name} immutable here: {made.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def made_read_only(name: str) -> str:
    """The shell words that make ``name`` read-only, as :func:`read_only` does."""
    return f"chattr +i {name};" if os.geteuid() == 0 else f"chmod a-w {name};"


def together(shown: str, runs: Sequence[Ran]) -> Ran:
    """Several commands as one input: the first status that is not 0, all of stderr."""
    status = next((ran.status for ran in runs if ran.status != 0), 0)
    return Ran(shown, status, "".join(r.out for r in runs), "".join(r.err for r in runs))
