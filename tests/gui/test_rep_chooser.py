"""The window on a team's database where nobody has said who is at this computer."""

from key_presses import press
from PySide6.QtCore import Qt

from callassist.core import CallDesk
from callassist.desk.rep_choice import remembered_rep
from ui.app import with_a_rep
from ui.dialogs.rep_chooser import RepChooser

JO = "jo@northwind.example"


def a_desk_with_nobody_chosen(desk: CallDesk, db_location, clock, tmp_path) -> CallDesk:
    """Jo joins Sam's database on another computer; a desk opened here cannot tell who is here."""
    desk.add_rep(name="Jo Park", email=JO)
    opened = CallDesk.open(
        db_location,
        clock=clock,
        template_dir=tmp_path / "my-scripts",
        backup_folder=tmp_path / "backups",
    )
    assert opened.rep is None
    return opened


def test_the_rep_picks_themselves_with_the_keyboard_and_is_remembered(
    qtbot, desk, db_location, clock, tmp_path
):
    with a_desk_with_nobody_chosen(desk, db_location, clock, tmp_path) as here:
        chooser = RepChooser(here)
        qtbot.addWidget(chooser)
        chooser.show()
        qtbot.waitUntil(lambda: chooser.reps.hasFocus())
        texts = [chooser.reps.item(row).text() for row in range(chooser.reps.count())]
        assert texts == [f"Jo Park ({JO})", "Sam Rivera (sam@northwind.example)"]
        press(qtbot, Qt.Key.Key_Down)
        press(qtbot, Qt.Key.Key_Down)
        press(qtbot, Qt.Key.Key_Up)
        press(qtbot, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: chooser.result() == RepChooser.DialogCode.Accepted)
        assert here.rep is not None
        assert here.rep.email == JO
        assert here.profile().name == "Jo Park"
        assert remembered_rep(here.describe()) == JO


def test_a_newcomer_adds_themselves_and_a_taken_email_is_refused_in_words(
    qtbot, desk, db_location, clock, tmp_path
):
    with a_desk_with_nobody_chosen(desk, db_location, clock, tmp_path) as here:
        chooser = RepChooser(here)
        qtbot.addWidget(chooser)
        chooser.show()
        qtbot.keyClicks(chooser.name, "Ana Diaz")
        qtbot.keyClicks(chooser.email, JO)
        qtbot.mouseClick(chooser.add_button, Qt.MouseButton.LeftButton)
        assert chooser.problem.isVisible()
        assert JO in chooser.problem.text()
        assert here.rep is None
        chooser.email.setText("Ana@Northwind.example")
        qtbot.mouseClick(chooser.add_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: chooser.result() == RepChooser.DialogCode.Accepted)
        assert here.rep is not None
        assert (here.rep.name, here.rep.email) == ("Ana Diaz", "ana@northwind.example")
        assert [rep.name for rep in here.reps()] == ["Ana Diaz", "Jo Park", "Sam Rivera"]


def test_where_nobody_looks_the_window_says_how_to_choose_instead(
    qapp, desk, db_location, clock, tmp_path, capsys
):
    del qapp
    here = a_desk_with_nobody_chosen(desk, db_location, clock, tmp_path)
    assert with_a_rep(here, seen=False) is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "callassist rep use EMAIL" in err
