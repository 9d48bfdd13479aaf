"""The words logged with a message left: a voicemail's for a voicemail, an email's for an email.

The card shows them as the last message, and the rep reads them when the
prospect calls back; the core refuses words of another kind, for the window
and the command line alike.
"""

import io

import pytest

from callassist import paths
from callassist.cli import main
from callassist.errors import InvalidInputError
from callassist.vocabulary import Outcome

OPENER = "opener_research"


@pytest.fixture
def opener_cadence():
    """A cadence of the rep's own whose first call "leaves" the cold opener."""
    folder = paths.user_cadence_dir()
    folder.mkdir(parents=True)
    (folder / "opener_first.toml").write_text(
        'title = "Opener first"\n\n[[steps]]\naction = "call"\nwait = "none"\n'
        f'leave_message = true\nscript = "{OPENER}"\n',
        encoding="utf-8",
    )
    return "opener_first"


def test_a_call_script_is_refused_as_the_words_of_a_voicemail(desk, dana):
    words = desk.render_script(OPENER, dana.id).text
    with pytest.raises(InvalidInputError) as refused:
        desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT, script_name=OPENER, rendered_text=words)
    assert str(refused.value) == (
        "opener_research is a call script, not a voicemail: "
        "log voicemail left with a voicemail script, or with none"
    )
    assert desk.prospect_detail(dana.id).attempts == ()


def test_an_open_call_is_not_finished_as_a_voicemail_with_a_call_script(desk, dana):
    call = desk.start_call(dana.id)
    with pytest.raises(InvalidInputError, match="not a voicemail"):
        desk.finish_attempt(call.id, Outcome.VOICEMAIL_LEFT, script_name=OPENER)
    (still_open,) = desk.prospect_detail(dana.id).attempts
    assert (still_open.outcome, still_open.script_name) == (None, None)


def test_an_email_is_logged_with_an_email_script_only(desk, dana):
    with pytest.raises(
        InvalidInputError, match="voicemail_first is a voicemail script, not an email"
    ):
        desk.log_attempt(dana.id, Outcome.EMAIL_SENT, script_name="voicemail_first")
    assert desk.prospect_detail(dana.id).attempts == ()


def test_other_outcomes_keep_any_script_and_a_voicemail_keeps_a_voicemail(desk, dana):
    desk.log_attempt(dana.id, Outcome.CONNECTED, script_name=OPENER)
    desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT, script_name="voicemail_third")
    desk.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT)
    assert [attempt.script_name for attempt in desk.prospect_detail(dana.id).attempts] == [
        None,
        "voicemail_third",
        OPENER,
    ]


def test_the_step_message_is_the_cadence_steps_script_of_that_kind(desk, dana):
    assert desk.step_message_script(dana.id, Outcome.VOICEMAIL_LEFT) is None  # no cadence
    desk.enroll(dana.id, "three_voicemails")
    assert desk.step_message_script(dana.id, Outcome.VOICEMAIL_LEFT) == "voicemail_first"
    assert desk.step_message_script(dana.id, Outcome.EMAIL_SENT) is None
    assert desk.step_message_script(dana.id, Outcome.CONNECTED) is None


def test_a_step_naming_a_call_script_has_no_voicemail(desk, dana, opener_cadence):
    desk.enroll(dana.id, opener_cadence)
    assert desk.enrollment(dana.id).next_script == OPENER
    assert desk.step_message_script(dana.id, Outcome.VOICEMAIL_LEFT) is None


def run_cli(db_location, clock, *argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(["--db", str(db_location), *argv], clock=clock, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_callassist_log_refuses_a_call_script_for_a_voicemail(desk, dana, db_location, clock):
    status, out, err = run_cli(
        db_location,
        clock,
        *("log", str(dana.id), "--outcome", "voicemail_left", "--script", OPENER),
    )
    assert (status, out) == (1, "")
    assert err == (
        "callassist: opener_research is a call script, not a voicemail: "
        "log voicemail left with a voicemail script, or with none\n"
    )
    assert desk.prospect_detail(dana.id).attempts == ()


def test_callassist_log_of_a_voicemail_at_an_opener_step_keeps_no_words(
    desk, dana, opener_cadence, db_location, clock
):
    desk.enroll(dana.id, opener_cadence)
    status, _out, err = run_cli(
        db_location, clock, "log", str(dana.id), "--outcome", "voicemail_left"
    )
    # The cadence file, written after the desk opened, is brought in by the command.
    assert (status, err) == (
        0,
        f"callassist: your own cadence opener_first from {paths.user_cadence_dir()} is now "
        "kept in the database as your version; the file stays where it is and is no longer "
        "read\n",
    )
    (logged,) = desk.prospect_detail(dana.id).attempts
    assert (logged.outcome, logged.script_name, logged.rendered_text) == (
        Outcome.VOICEMAIL_LEFT,
        None,
        None,
    )
