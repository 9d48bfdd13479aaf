"""The window refuses, in one line, the cadence step a colleague has just logged."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from callassist.core import CallDesk
from callassist.vocabulary import Outcome
from ui.widgets.outcome_bar import OutcomeBar

SAM = "sam@northwind.example"
JO = "jo@northwind.example"


def test_the_voicemail_a_colleague_just_left_is_not_logged_and_the_note_stays(
    qtbot, bridge, desk, dana, db_location, clock, tmp_path, failures
):
    desk.add_rep(name="Jo Park", email=JO)
    desk.use_rep(SAM)
    desk.enroll(dana.id, "three_voicemails")
    # Sam took the top of the queue and dialled; so did Jo, on her own computer.
    call = desk.start_call(dana.id)
    with CallDesk.open(
        db_location, clock=clock, template_dir=tmp_path / "jo", backup_folder=tmp_path / "b", rep=JO
    ) as jo:
        jo.log_attempt(dana.id, Outcome.VOICEMAIL_LEFT)

    bar = OutcomeBar(bridge)
    qtbot.addWidget(bar)
    bar.begin(call.id, dana.id)
    with qtbot.waitActive(bar):
        bar.activateWindow()
    qtbot.keyClick(bar.focusWidget(), Qt.Key.Key_2)  # voicemail left
    note = bar.findChild(QLineEdit, "outcomeNote")
    qtbot.waitUntil(note.hasFocus)
    qtbot.keyClicks(note, "left the intro message")
    message = bar.findChild(QLabel, "outcomeMessage")
    with qtbot.assertNotEmitted(bar.logged):
        qtbot.keyClick(note, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(message.text()))

    expected = (
        "Jo Park already left voicemail 1 for this prospect at 10:00; "
        "not logged again, so the cadence does not skip a step"
    )
    assert message.text() == f"Not logged: {expected}"
    assert failures == [expected]
    assert bar.is_active()
    assert note.text() == "left the intro message"
    ours = next(a for a in desk.prospect_detail(dana.id).attempts if a.id == call.id)
    assert ours.outcome is None
    assert ours.notes == "left the intro message"  # stored before the log was refused
    assert desk.enrollment(dana.id).attempt == 2
