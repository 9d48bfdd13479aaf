"""Hostile inputs about what the rep feeds in and how the command runs: CSV files, scripts,
and the commands that once ended in a traceback."""

import os
import shutil
import time
from collections.abc import Callable

from hostile_bench import (
    Bench,
    Catalogue,
    HarnessError,
    Outcome,
    Ran,
    digest,
    made_read_only,
    read_only,
    together,
)

HUGE = "9" * 25
"""Past SQLite's 64-bit integers."""
PAST_INT_DIGITS = "1" * 5000
"""Past the 4300 digits Python's int() accepts."""
LONG_NOTE_CHARS = 131_073
"""One past the csv module's default field limit, which export once wrote past."""


CATALOGUE = Catalogue()
case = CATALOGUE.case


# -- CSV ---------------------------------------------------------------------------

NEXT_ROWS = "".join(f"Ann{n},Lee,Acme {n},\n" for n in range(50))


def import_text(bench: Bench, text: str, *options: str) -> Outcome:
    source = bench.folder / "crm.csv"
    source.write_text(text, encoding="utf-8")
    return bench.unchanged(lambda: bench.run("import", source.name, *options))


@case("csv-unclosed-quote", "CSV", "one missing closing quote, then 50 rows", words="quote")
def csv_unclosed_quote(bench: Bench) -> Outcome:
    text = 'First Name,Last Name,Company,Notes\nZed,Ray,Acme,"never closed\n' + NEXT_ROWS
    return import_text(bench, text)


@case("csv-unclosed-skip", "CSV", "the same with --skip-invalid", words="quote")
def csv_unclosed_skip(bench: Bench) -> Outcome:
    text = 'First Name,Last Name,Company,Notes\nZed,Ray,Acme,"never closed\n' + NEXT_ROWS
    return import_text(bench, text, "--skip-invalid")


@case("csv-extra-cells", "CSV", "a row with more cells than the header")
def csv_extra_cells(bench: Bench) -> Outcome:
    text = "First Name,Last Name,Company\nZed,Ray,Acme,one more,and another\n" + NEXT_ROWS
    return import_text(bench, text)


@case("csv-long-note", "CSV", f"a note of {LONG_NOTE_CHARS:,} characters: export, import", 0)
def csv_long_note(bench: Bench) -> Outcome:
    note = ('He said "call me, later"\nthen hung up; ' * 5000)[:LONG_NOTE_CHARS]
    bench.sql("UPDATE prospects SET notes = ? WHERE id = 1", note)
    exported = bench.run("export", "out.csv")
    again = bench.folder / "again.sqlite"
    imported = bench.run("import", str(bench.folder / "out.csv"), db=again)
    ran = together("callassist export out.csv; callassist --db again.sqlite import out.csv",
                   [exported, imported])  # fmt: skip
    back = bench.rows("SELECT notes FROM prospects WHERE length(notes) > 100000", db=again)
    same = back == [(note,)] if imported.status == 0 else False
    data = f"the note read back {'exactly' if same else 'NOT the same'}"
    return Outcome(ran, same, data)


@case("import-fifo", "CSV", "import from a named pipe nobody writes to",
      words="not a regular file")  # fmt: skip
def import_fifo(bench: Bench) -> Outcome:
    source = bench.folder / "crm.fifo"
    os.mkfifo(source)
    return bench.unchanged(lambda: bench.run("import", str(source)))


@case("import-dev-zero", "CSV", "import /dev/zero (endless)", words="not a regular file")
def import_dev_zero(bench: Bench) -> Outcome:
    return bench.unchanged(lambda: bench.run("import", "/dev/zero"))


# -- scripts -------------------------------------------------------------------------


@case("script-nested-loop", "Scripts", "a rep's script with a loop that never ends",
      words="runaway")  # fmt: skip
def script_nested_loop(bench: Bench) -> Outcome:
    bench.user_script(
        "runaway", "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
    )
    bench.run("scripts")  # the first command brings the file into the database
    return bench.unchanged(lambda: bench.run("render", "runaway", "--prospect", "1"))


@case("script-gigabyte", "Scripts", "a rep's script rendering 'x' * 10**9", words="runaway")
def script_gigabyte(bench: Bench) -> Outcome:
    bench.user_script("runaway", "{{ 'x' * 10**9 }}")
    bench.run("scripts")  # the first command brings the file into the database
    return bench.unchanged(lambda: bench.run("render", "runaway", "--prospect", "1"))


# -- the 18 traceback triggers ---------------------------------------------------------

TRIGGERS: list[tuple[str, str, list[str], str]] = [
    ("at-year-1", "log --at near year 1", ["log", "1", "--outcome", "no_answer", "--at",
                                           "0001-01-01T00:00"], "1970 to 2100"),
    ("at-year-9999", "log --at near year 9999", ["log", "1", "--outcome", "no_answer", "--at",
                                                 "9999-12-31T23:59"], "1970 to 2100"),
    ("review-year-1", "review --date in year 1", ["review", "--date", "0001-01-01"], "1970"),
    ("review-year-9999", "review --date in year 9999", ["review", "--date", "9999-12-31"], "2100"),
    ("queue-year-1", "queue --date in year 1", ["queue", "--date", "0001-01-01"], "1970"),
    ("queue-year-9999", "queue --date in year 9999", ["queue", "--date", "9999-12-31"], "2100"),
    ("slot-year-9999", "render --slot in year 9999", ["render", "voicemail_first", "--prospect",
                                                      "1", "--slot", "9999-12-31T23:00"], "2100"),
    ("slot-year-1", "render --slot in year 1", ["render", "voicemail_first", "--prospect", "1",
                                                "--slot", "0001-01-01T00:00"], "1970"),
    ("limit-64-bits", "--limit past 64 bits", ["prospects", "--limit", HUGE], "out of range"),
    ("limit-5000-digits", "--limit of 5000 digits", ["prospects", "--limit", PAST_INT_DIGITS],
     "out of range"),
    ("log-id-64-bits", "log of an id past 64 bits", ["log", HUGE, "--outcome", "no_answer"],
     "out of range"),
    ("enroll-id-64-bits", "enroll of an id past 64 bits", ["enroll", HUGE, "persistence"],
     "out of range"),
    ("undelete-id-64-bits", "undelete of an id past 64 bits", ["undelete", HUGE], "out of range"),
    ("render-id-64-bits", "render --prospect past 64 bits", ["render", "voicemail_first",
                                                             "--prospect", HUGE], "out of range"),
    ("call-type-64-bits", "--call-type minutes past 64 bits", ["profile", "--call-type",
                                                               f"x={HUGE}"], "1 to 1440"),
    ("call-type-digit", "--call-type minutes '²'", ["profile", "--call-type", "x=²"],
     "NAME=MINUTES"),
    ("at-dst-gap", "log --at inside the spring-forward gap (Chicago)", ["log", "1", "--outcome",
                                                                        "no_answer", "--at",
                                                                        "2026-03-08T02:30"],
     "does not exist"),
    ("at-dst-fold", "log --at in the fall-back hour (Chicago)", ["log", "1", "--outcome",
                                                                 "no_answer", "--at",
                                                                 "2026-11-01T01:30"],
     "happens twice"),
]  # fmt: skip


def trigger(argv: list[str]) -> "Callable[[Bench], Outcome]":
    def run(bench: Bench) -> Outcome:
        return bench.unchanged(lambda: bench.run(*argv))

    return run


for _key, _name, _argv, _words in TRIGGERS:
    case(_key, "Tracebacks", _name, words=_words)(trigger(_argv))


IMPORT_ROWS = 20_000
"""Enough for the import to take seconds, so the signal lands while it runs."""


@case("ctrl-c-import", "Tracebacks", f"Ctrl-C (SIGINT) during an import of {IMPORT_ROWS:,} rows",
      130, "interrupted")  # fmt: skip
def ctrl_c_import(bench: Bench) -> Outcome:
    source = bench.folder / "many.csv"
    rows = "".join(f"Ann{n},Lee,Acme {n},ann{n}@many.example\n" for n in range(IMPORT_ROWS))
    source.write_text("First Name,Last Name,Company,Email\n" + rows, encoding="utf-8")
    # How long the whole import takes here, on a twin database: the signal comes
    # half-way through, with the rows being written and nothing committed yet (at
    # three quarters it once came after the commit on a busy machine).
    twin = bench.folder / "twin.sqlite"
    shutil.copyfile(bench.db, twin)
    started = time.monotonic()
    if bench.run("import", source.name, db=twin).status != 0:
        raise HarnessError("the import to time did not go through")
    after_s = 0.5 * (time.monotonic() - started)
    outcome = bench.unchanged(
        lambda: bench.run(
            "import", source.name, interrupt_after_s=after_s, suffix=f"# SIGINT at {after_s:.1f} s"
        )
    )
    data = f"{outcome.data}; the whole import takes {after_s / 0.5:.1f} s"
    return Outcome(outcome.ran, outcome.kept, data)


@case("closed-stdout", "Tracebacks", "a closed stdout", words="standard output is closed")
def closed_stdout(bench: Bench) -> Outcome:
    return bench.unchanged(
        lambda: bench.run("log", "1", "--outcome", "no_answer", close_stdout=True, suffix=">&-")
    )


@case("ascii-terminal", "Tracebacks", "PYTHONIOENCODING=ascii with non-ASCII names", 0)
def ascii_terminal(bench: Bench) -> Outcome:
    bench.sql("UPDATE reps SET name = 'José Ñúñez'")
    bench.sql("UPDATE prospects SET first_name = 'Zoë', last_name = 'Ångström' WHERE id = 1")
    ascii_only = {"PYTHONIOENCODING": "ascii"}
    prefix = "PYTHONIOENCODING=ascii"
    runs: list[Ran] = []

    def both() -> Ran:
        runs.append(bench.run("profile", env=ascii_only, prefix=prefix))
        runs.append(bench.run("prospects", "--limit", "50", env=ascii_only, prefix=prefix))
        return together(f"{runs[0].shown}; {runs[1].shown}", runs)

    outcome = bench.unchanged(both)
    escaped = "Jos\\xe9" in runs[0].out and "Zo\\xeb" in runs[1].out
    data = f"{outcome.data}; names shown {'escaped' if escaped else 'NOT escaped'}"
    return Outcome(outcome.ran, outcome.kept and escaped, data)


def without_journal(bench: Bench) -> None:
    """A clean close folds the write-ahead log in; its files are then left out."""
    if bench.run("backup").status != 0:
        raise HarnessError("the backup before making the file read-only failed")
    for journal in bench.folder.glob(f"{bench.db.name}-*"):
        journal.unlink()


@case("read-only-database", "Tracebacks", "check of a healthy read-only database", 0)
def read_only_database(bench: Bench) -> Outcome:
    before = digest(bench.db)  # reading opens the journal files: before they go
    without_journal(bench)
    with read_only(bench.db):
        ran = bench.run("check", prefix=made_read_only("calls.sqlite"))
    healthy = ran.out.strip().endswith(": ok")
    kept = digest(bench.db) == before
    data = f"{'unchanged' if kept else 'CHANGED'}; found {'healthy' if healthy else 'NOT healthy'}"
    return Outcome(ran, kept and healthy, data)


@case("read-only-folder", "Tracebacks", "check of a database in a read-only folder",
      words="is read-only")  # fmt: skip
def read_only_folder(bench: Bench) -> Outcome:
    before = digest(bench.db)  # reading opens the journal files: before they go
    without_journal(bench)
    with read_only(bench.folder):
        ran = bench.run("check", prefix=made_read_only("."))
    kept = digest(bench.db) == before
    return Outcome(ran, kept, "unchanged" if kept else "CHANGED")


@case("new-in-read-only-folder", "Tracebacks", "a new database in a read-only folder",
      words="read-only")  # fmt: skip
def new_in_read_only_folder(bench: Bench) -> Outcome:
    shelf = bench.folder / "shelf"
    shelf.mkdir()
    with read_only(shelf):
        ran = bench.run("prospects", db=shelf / "new.sqlite", prefix=made_read_only("shelf"))
    left = list(shelf.iterdir())
    return Outcome(ran, not left, "nothing created" if not left else f"LEFT {len(left)} files")
