"""Whose prospect this is, on the card, and giving them to a colleague by keys alone."""

from key_presses import press
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QListWidget

from callassist.core import CallDesk
from ui.dialogs.assign_owner import AssignOwnerDialog

SAM = "sam@northwind.example"
JO = "jo@northwind.example"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def owner_line(window) -> QLabel:
    return window.card.findChild(QLabel, "prospectOwner")


def a_team(desk: CallDesk) -> None:
    """Jo joins Sam's database; this desk goes on acting as Sam."""
    desk.add_rep(name="Jo Park", email=JO)
    desk.use_rep(SAM)


def open_assign_dialog(qtbot, window) -> AssignOwnerDialog:
    press(qtbot, Qt.Key.Key_A, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(window.current_dialog(), AssignOwnerDialog))
    dialog = window.current_dialog()
    assert isinstance(dialog, AssignOwnerDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.reps)
    return dialog


def test_a_prospect_is_given_to_a_colleague_and_leaves_the_reps_queue(
    qtbot, open_window, bridge, dana
):
    desk = bridge.desk
    a_team(desk)
    desk.enroll(dana.id, "three_voicemails")
    window = open_window(bridge)
    qtbot.waitUntil(lambda: window.queue.model.row_of(dana.id) is not None)
    window.open_prospect(dana.id)
    qtbot.waitUntil(lambda: owner_line(window).isVisible())
    assert owner_line(window).text() == "Owner: Sam Rivera"

    dialog = open_assign_dialog(qtbot, window)
    reps = dialog.findChild(QListWidget)
    assert reps.currentItem().text() == f"Sam Rivera ({SAM})"  # the owner now, to start from
    press(qtbot, Qt.Key.Key_Up)
    assert reps.currentItem().text() == f"Jo Park ({JO})"
    press(qtbot, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: window.current_dialog() is None)
    qtbot.waitUntil(lambda: owner_line(window).text() == "Owner: Jo Park")
    qtbot.waitUntil(lambda: window.queue.model.row_of(dana.id) is None)
    assert window.statusBar().currentMessage() == (
        "Dana Whitfield is now Jo Park's prospect (was Sam Rivera's)."
    )
    assert desk.prospect(dana.id).owner_id == next(r.id for r in desk.reps() if r.email == JO)
    assert [item.prospect_id for item in desk.queue()] == []
    assert [(item.prospect_id, item.owner) for item in desk.queue(team=True)] == [
        (dana.id, "Jo Park")
    ]


def test_esc_leaves_the_owner_as_they_were(qtbot, open_window, bridge, dana):
    desk = bridge.desk
    a_team(desk)
    window = open_window(bridge)
    window.open_prospect(dana.id)
    open_assign_dialog(qtbot, window)
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.current_dialog() is None)
    assert owner_line(window).text() == "Owner: Sam Rivera"
    assert desk.prospect(dana.id).owner_id == desk.rep.id


def test_a_prospect_gone_meanwhile_is_refused_in_one_line_and_the_dialog_stays(
    qtbot, open_window, bridge, dana, db_location, clock, tmp_path
):
    desk = bridge.desk
    a_team(desk)
    window = open_window(bridge)
    window.open_prospect(dana.id)
    dialog = open_assign_dialog(qtbot, window)
    # A colleague deletes Dana from another computer while the list is open.
    with CallDesk.open(
        db_location, clock=clock, template_dir=tmp_path / "jo", backup_folder=tmp_path / "b", rep=JO
    ) as elsewhere:
        elsewhere.delete_prospect(dana.id)
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Return)
    problem = dialog.findChild(QLabel, "assignProblem")
    qtbot.waitUntil(problem.isVisible)
    assert problem.text() == f"Not given: no prospect #{dana.id}"
    assert window.current_dialog() is dialog


def test_alone_on_the_database_the_card_names_no_owner(qtbot, open_window, bridge, dana):
    window = open_window(bridge)
    window.open_prospect(dana.id)
    qtbot.waitUntil(lambda: window.card.current_prospect_id() == dana.id)
    assert not owner_line(window).isVisible()


def test_the_owner_line_follows_a_colleague_who_joins(qtbot, open_window, bridge, dana):
    desk = bridge.desk
    window = open_window(bridge)
    window.open_prospect(dana.id)
    qtbot.waitUntil(lambda: window.card.current_prospect_id() == dana.id)
    a_team(desk)  # announced as a change of profile: the card reads the team again
    qtbot.waitUntil(lambda: owner_line(window).isVisible())
    assert owner_line(window).text() == "Owner: Sam Rivera"
