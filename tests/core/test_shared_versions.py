"""The team's cadences and scripts kept in the database, each rep's own beside them.

Two desks on one database act as two reps on two computers: each has its own
folders, and what one saves for the team the other works with. Run on SQLite and,
with --database=postgresql, on PostgreSQL.
"""

from pathlib import Path

import pytest

from callassist import paths
from callassist.cadence import CadenceError
from callassist.core import CallDesk
from callassist.errors import InvalidInputError, NotFoundError, ScriptError
from callassist.records import ProspectRecord
from callassist.vocabulary import Outcome
from tests.conftest import DANA
from tests.raw_sql import rows

SAM = "sam@northwind.example"
JO = "jo@northwind.example"

TWO_CALLS = """title = "Two calls"

[[steps]]
action = "call"
wait = "none"

[[steps]]
action = "call"
wait = "1 day"
leave_message = true
script = "voicemail_first"
"""

VOICEMAIL_HEADER = (
    '{#-\ntitle = "First voicemail"\nchannel = "voicemail"\nused_when = "A test."\n-#}\n'
)


def open_desk(db_location, clock, folder: Path, rep: str | None = None) -> CallDesk:
    """A desk with the folders of one rep's computer under ``folder``."""
    return CallDesk.open(
        db_location,
        clock=clock,
        template_dir=folder / "scripts",
        cadence_dir=folder / "cadences",
        backup_folder=folder / "backups",
        rep=rep,
    )


@pytest.fixture
def sam(db_location, clock, tmp_path):
    """Sam, the database's first rep, on their computer."""
    with open_desk(db_location, clock, tmp_path / "sam") as desk:
        desk.update_profile(name="Sam Rivera", email=SAM, timezone="America/Chicago")
        yield desk


@pytest.fixture
def jo(sam, db_location, clock, tmp_path):
    """Jo, who joined the team, on another computer."""
    with open_desk(db_location, clock, tmp_path / "jo", rep=SAM) as desk:
        desk.add_rep(name="Jo Park", email=JO)
        yield desk


def voicemail(words: str) -> str:
    return VOICEMAIL_HEADER + words + "\n"


def test_a_team_cadence_saved_by_one_rep_is_enrolled_into_and_logged_by_another(sam, jo):
    dana: ProspectRecord = jo.add_prospect(**DANA)
    # Jo's desk has read the cadences before Sam saves the team's new one.
    assert "two_calls" not in {cadence.name for cadence in jo.cadences()[0]}

    sam.save_cadence("two_calls", TWO_CALLS, team=True)

    enrolled = jo.enroll(dana.id, "two_calls")
    assert (enrolled.cadence, enrolled.step, enrolled.steps) == ("two_calls", 1, 2)
    assert {cadence.name: cadence.origin for cadence in jo.cadences()[0]}["two_calls"] == "team"
    jo.log_attempt(dana.id, Outcome.NO_ANSWER)
    after = jo.enrollment(dana.id)
    assert after is not None
    assert (after.step, after.next_script) == (2, "voicemail_first")
    # Sam sees the same place in the same cadence.
    seen_by_sam = sam.enrollment(dana.id)
    assert seen_by_sam is not None
    assert (seen_by_sam.cadence_title, seen_by_sam.step) == ("Two calls", 2)


def test_a_script_is_the_reps_own_then_the_teams_then_the_bundled_one(
    sam, jo, db_location, clock, tmp_path
):
    bundled = jo.scripts.source("voicemail_first")
    sam.save_script("voicemail_first", voicemail("The team's words."), team=True)
    jo.save_script("voicemail_first", voicemail("Jo's own words."))

    assert jo.render_script("voicemail_first").text == "Jo's own words."
    assert sam.render_script("voicemail_first").text == "The team's words."
    assert jo.scripts.info("voicemail_first").origin == "user"
    assert sam.scripts.info("voicemail_first").origin == "team"
    team = jo.scripts.team_version("voicemail_first")
    assert team is not None
    assert team.updated_by == "Sam Rivera"

    jo.reset_script("voicemail_first")
    assert jo.render_script("voicemail_first").text == "The team's words."
    jo.reset_script("voicemail_first", team=True)
    assert jo.scripts.source("voicemail_first") == bundled
    # Sam's next command (or Sam's window within a minute) reads it again.
    with open_desk(db_location, clock, tmp_path / "sam", rep=SAM) as sam_again:
        assert sam_again.scripts.source("voicemail_first") == bundled
    with pytest.raises(NotFoundError, match="you have no version of your own of the script"):
        jo.reset_script("voicemail_first")


def test_a_broken_template_or_cadence_is_refused_in_one_line_and_nothing_is_stored(
    sam, db_location
):
    with pytest.raises(ScriptError) as broken:
        sam.save_script("voicemail_first", voicemail("Hi {% if %}"), team=True)
    assert "\n" not in str(broken.value)
    assert "voicemail_first" in str(broken.value)
    with pytest.raises(CadenceError, match=r"^cadence two_calls\.toml, step 2: there is no script"):
        sam.save_cadence("two_calls", TWO_CALLS.replace("voicemail_first", "nowhere"))
    with pytest.raises(InvalidInputError, match="NUL"):
        sam.save_script("voicemail_first", voicemail("Hi \x00 there"))
    with pytest.raises(InvalidInputError, match=r"cadence name '\.\./up'"):
        sam.save_cadence("../up", TWO_CALLS)
    assert rows(db_location, "SELECT name FROM script_versions") == []
    assert rows(db_location, "SELECT name FROM cadence_versions") == []
    assert sam.render_script("voicemail_first").text.startswith("Hi")


def test_a_team_cadence_may_name_only_scripts_every_rep_has(sam, jo):
    sam.save_script("my_voicemail", voicemail("Sam's alone."))
    mine = TWO_CALLS.replace("voicemail_first", "my_voicemail")
    with pytest.raises(CadenceError, match="there is no script 'my_voicemail'"):
        sam.save_cadence("two_calls", mine, team=True)
    sam.save_cadence("two_calls", mine)  # as Sam's own, it works for Sam
    assert "two_calls" in {cadence.name for cadence in sam.cadences()[0]}
    assert "two_calls" not in {cadence.name for cadence in jo.cadences()[0]}


def test_folder_files_are_brought_in_once_and_the_database_counts_after(
    db_location, clock, tmp_path
):
    folder = tmp_path / "sam"
    (folder / "cadences").mkdir(parents=True)
    (folder / "scripts").mkdir(parents=True)
    (folder / "cadences" / "two_calls.toml").write_text(TWO_CALLS, encoding="utf-8")
    (folder / "cadences" / "broken.toml").write_text("title = \n", encoding="utf-8")
    mine = folder / "scripts" / "voicemail_first.txt.j2"
    mine.write_text(voicemail("From my folder."), encoding="utf-8")

    with open_desk(db_location, clock, folder) as desk:
        told = desk.take_brought_in()
        assert told == [
            f"your own script voicemail_first from {folder / 'scripts'} is now kept in the "
            "database as your version; the file stays where it is and is no longer read",
            f"your own cadence two_calls from {folder / 'cadences'} is now kept in the "
            "database as your version; the file stays where it is and is no longer read",
        ]
        assert desk.take_brought_in() == []  # said once
        assert desk.render_script("voicemail_first").text == "From my folder."
        cadences, problems = desk.cadences()
        assert {c.name: c.origin for c in cadences}["two_calls"] == "user"
        # The broken file stays in the folder, named until it is fixed.
        assert [str(problem) for problem in problems] == [
            "cadence broken.toml: not valid TOML (Invalid value (at line 1, column 9))"
        ]
        desk.reset_script("voicemail_first")
    assert mine.read_text(encoding="utf-8") == voicemail("From my folder.")  # left alone
    mine.write_text(voicemail("Edited in the folder later."), encoding="utf-8")

    with open_desk(db_location, clock, folder) as reopened:
        assert reopened.take_brought_in() == []
        # Reset stays reset, and a later edit of a brought-in file is not read.
        assert reopened.scripts.info("voicemail_first").origin == "bundled"
        assert reopened.scripts.source("voicemail_first").startswith("{#-")
        assert "Edited" not in reopened.render_script("voicemail_first").text
    assert rows(db_location, "SELECT kind, file_name FROM folder_imports ORDER BY kind") == [
        ("cadence", "two_calls.toml"),
        ("script", "voicemail_first.txt.j2"),
    ]


def test_a_colleagues_save_is_read_after_a_change_and_kept_otherwise(sam, jo, monkeypatch):
    reads: list[str] = []
    read = jo._read_versions
    monkeypatch.setattr(jo._kept_versions, "_read", lambda kind: reads.append(kind) or read(kind))
    jo._kept_versions.forget()
    for _ in range(3):
        jo.render_script("voicemail_first")
        jo.cadences()
    assert sorted(set(reads)) == ["cadence", "script"]
    assert len(reads) == 2  # each kind read once, then kept
    sam.save_script("voicemail_first", voicemail("New team words."), team=True)
    jo.save_script("voicemail_missed_again", jo.scripts.source("voicemail_missed_again"))
    # Jo's own save was a change to the scripts: the team's new words are read with it.
    assert jo.render_script("voicemail_first").text == "New team words."


def test_the_command_line_saves_shows_and_resets_yours_and_the_teams(cli, rep, tmp_path):
    text = tmp_path / "two_calls.toml"
    text.write_text(TWO_CALLS, encoding="utf-8")
    saved = cli("cadence", "save", "two_calls", str(text), "--team")
    assert (saved.status, saved.err) == (0, "")
    assert saved.out == (
        "Saved the team's version of the cadence two_calls: every rep without their own uses it.\n"
    )
    assert "two_calls: Two calls (team's)" in cli("cadences").out
    assert cli("cadence", "show", "two_calls").out == TWO_CALLS

    words = tmp_path / "mine.txt.j2"
    words.write_text(voicemail("Mine, from the command line."), encoding="utf-8")
    assert cli("script", "save", "voicemail_first", str(words)).status == 0
    assert "First voicemail (yours)" in cli("scripts").out
    assert cli("script", "show", "voicemail_first").out == voicemail("Mine, from the command line.")
    reset = cli("script", "reset", "voicemail_first")
    assert reset.out == (
        "Deleted your own version of the script voicemail_first; the bundled one is used again.\n"
    )
    again = cli("script", "reset", "voicemail_first")
    assert (again.status, again.problem()) == (
        1,
        "you have no version of your own of the script voicemail_first to reset",
    )

    words.write_text(voicemail("Broken {{ prospect.first_name "), encoding="utf-8")
    refused = cli("script", "save", "voicemail_first", str(words), "--team")
    assert refused.status == 1
    assert refused.problem().startswith("script voicemail_first.txt.j2, line 6:")
    assert cli("scripts").out.count("(team's)") == 0
    missing = cli("cadence", "save", "two_calls", str(tmp_path / "nowhere.toml"))
    assert missing.problem().startswith(f"could not read {tmp_path / 'nowhere.toml'}")


def test_the_command_says_once_which_folder_files_it_brought_in(cli, rep):
    folder = paths.user_cadence_dir()
    folder.mkdir(parents=True)
    (folder / "two_calls.toml").write_text(TWO_CALLS, encoding="utf-8")
    first = cli("cadences")
    assert first.err == (
        f"callassist: your own cadence two_calls from {folder} is now kept in the database "
        "as your version; the file stays where it is and is no longer read\n"
    )
    assert "two_calls: Two calls (yours)" in first.out
    second = cli("cadences")
    assert (second.err, second.out) == ("", first.out)


LEE = "lee@northwind.example"

SAMS_OWN = TWO_CALLS.replace('title = "Two calls"', 'title = "Sam\'s two calls"')
LEES_OWN = """title = "Lee's one email"

[[steps]]
action = "email"
wait = "none"
script = "email_after_voicemails"
"""


def test_a_prospect_in_a_cadence_only_its_enrolling_rep_has_is_worked_by_colleagues(
    sam, jo, db_location, clock, tmp_path
):
    dana: ProspectRecord = jo.add_prospect(**DANA)
    sam.save_cadence("a-only", SAMS_OWN)
    # Sam enrolls Jo's prospect in a cadence of Sam's own, which Jo does not have.
    sam.enroll(dana.id, "a-only")
    assert "a-only" not in {cadence.name for cadence in jo.cadences()[0]}

    [line] = jo.queue()
    assert (line.prospect_id, line.cadence, line.cadence_title, line.step, line.steps) == (
        dana.id,
        "a-only",
        "Sam's two calls",
        1,
        2,
    )
    [team_line] = jo.queue(team=True)
    assert (team_line.cadence, team_line.step, team_line.owner) == ("a-only", 1, "Jo Park")
    jo.log_attempt(dana.id, Outcome.NO_ANSWER)
    seen_by_jo = jo.enrollment(dana.id)
    assert seen_by_jo is not None
    assert (seen_by_jo.cadence_title, seen_by_jo.step, seen_by_jo.next_script) == (
        "Sam's two calls",
        2,
        "voicemail_first",
    )
    seen_by_sam = sam.enrollment(dana.id)
    assert seen_by_sam is not None
    assert seen_by_sam.step == 2

    # Lee's own cadence of the same name changes nothing of Sam's enrollment...
    ravi = jo.add_prospect(first_name="Ravi", last_name="Shah", company="Shah Plumbing")
    with open_desk(db_location, clock, tmp_path / "lee", rep=SAM) as lee:
        lee.add_rep(name="Lee Chan", email=LEE)
        lee.save_cadence("a-only", LEES_OWN)
        # ...but a prospect Lee enrolls in it follows Lee's version.
        lee.enroll(ravi.id, "a-only")
    # Jo's next command.
    with open_desk(db_location, clock, tmp_path / "jo", rep=JO) as jo_again:
        [line] = jo_again.queue(team=True)  # Dana's second call is due tomorrow
        assert (line.prospect_id, line.cadence_title, line.action) == (
            ravi.id,
            "Lee's one email",
            "email",
        )
        still = jo_again.enrollment(dana.id)
        assert still is not None
        assert (still.cadence_title, still.step) == ("Sam's two calls", 2)


def test_an_enrollment_in_a_reset_own_cadence_waits_and_is_said_in_one_line(
    sam, jo, db_location, clock, tmp_path
):
    dana: ProspectRecord = jo.add_prospect(**DANA)
    sam.save_cadence("a-only", SAMS_OWN)
    sam.enroll(dana.id, "a-only")
    assert [line.prospect_id for line in jo.queue()] == [dana.id]
    sam.reset_cadence("a-only")
    with open_desk(db_location, clock, tmp_path / "jo", rep=JO) as jo_again:
        assert jo_again.queue() == []
        with pytest.raises(
            CadenceError, match=r"^Dana .* is in cadence 'a-only', which is missing"
        ):
            jo_again.enrollment(dana.id)


def test_the_command_line_queues_logs_and_reviews_a_colleagues_own_cadence(cli, rep, tmp_path):
    joined = cli("--rep", JO, "profile", "--name", "Jo Park", "--timezone", "America/Chicago")
    assert joined.status == 0, joined.err
    own = tmp_path / "a-only.toml"
    own.write_text(SAMS_OWN, encoding="utf-8")
    assert cli("--rep", SAM, "cadence", "save", "a-only", str(own)).status == 0
    added = cli(
        "--rep", SAM, "prospect", "add", "--first-name", "Dana", "--last-name", "Whitfield",
        "--company", "Mesa Dental", "--phone", "(505) 828-1788", "--format", "json",
    )  # fmt: skip
    dana = int(added.json()["id"])
    assert cli("--rep", SAM, "enroll", str(dana), "a-only").status == 0

    queued = cli("--rep", JO, "queue", "--team", "--format", "json")
    assert queued.status == 0, queued.err
    assert [
        (line["prospect_id"], line["cadence"], line["step"], line["owner"])
        for line in queued.json()
    ] == [(dana, "a-only", 1, "Sam Rivera")]
    logged = cli("--rep", JO, "log", str(dana), "--outcome", "no_answer")
    assert (logged.status, logged.err) == (0, "")
    review = cli("--rep", JO, "review", "--team", "--format", "json")
    assert review.status == 0, review.err
    [tomorrow] = review.json()["team"]["tomorrow"]
    assert (tomorrow["prospect_id"], tomorrow["cadence"], tomorrow["step"]) == (dana, "a-only", 2)
    assert review.json()["team"]["dials"] == 1


SAMS_VOICEMAILS = """title = "Sam's voicemails"

[[steps]]
action = "call"
wait = "none"
leave_message = true
script = "my_voicemail"

[[steps]]
action = "call"
wait = "1 day"
"""


def test_a_step_naming_a_script_only_the_enrolling_rep_has_is_logged_without_its_words(sam, jo):
    sam.save_script("my_voicemail", voicemail("Sam's alone."))
    sam.save_cadence("sam-voicemails", SAMS_VOICEMAILS)
    dana: ProspectRecord = jo.add_prospect(**DANA)
    sam.enroll(dana.id, "sam-voicemails")
    assert sam.step_message_script(dana.id, Outcome.VOICEMAIL_LEFT) == "my_voicemail"

    assert jo.step_message_script(dana.id, Outcome.VOICEMAIL_LEFT) is None
    logged = jo.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT)
    assert logged.outcome is Outcome.VOICEMAIL_LEFT
    after = jo.enrollment(dana.id)
    assert after is not None
    assert (after.cadence_title, after.step) == ("Sam's voicemails", 2)
