"""A database too damaged to open: the window offers its newest good backup."""

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from callassist.core import CallDesk
from ui.app import RestoreOffer, open_desk
from ui.bridge import DeskBridge
from ui.mainwindow import MainWindow

pytestmark = pytest.mark.sqlite_only("the offer follows damage to the SQLite file's pages")


@pytest.fixture
def damaged(db_path: Path, clock) -> tuple[Path, bytes]:
    """A database with one good backup (Dana), then Eve, then its schema page overwritten."""
    with CallDesk.open(db_path, clock=clock) as desk:
        desk.add_prospect(first_name="Dana")
        backup = desk.backup()
        desk.add_prospect(first_name="Eve")
    data = bytearray(db_path.read_bytes())
    data[200:4096] = b"\xa5" * (4096 - 200)
    db_path.write_bytes(bytes(data))
    return backup, bytes(data)


def click_restore_when_offered() -> None:
    def click() -> None:
        offer = QApplication.activeModalWidget()
        assert isinstance(offer, RestoreOffer)
        offer.restore_button.click()

    QTimer.singleShot(0, click)


def test_the_offer_names_the_backups_date_and_can_be_declined(qapp, db_path, damaged):
    del qapp
    backup = CallDesk.backup_to_offer(db_path)
    assert backup is not None
    assert backup.path == damaged[0]
    offer = RestoreOffer("cannot open it", backup)
    assert f"The newest good backup is from {backup.when()}." in offer.text()
    assert offer.restore_button.text() == f"Restore the backup of {backup.when()}"
    QTimer.singleShot(0, offer.reject)
    assert offer.accepted_restore() is False
    assert db_path.read_bytes() == damaged[1]


def test_where_nobody_looks_the_command_is_printed_and_nothing_changed(
    qapp, db_path, damaged, capsys
):
    del qapp
    assert open_desk(str(db_path), seen=False) is None
    backup = CallDesk.backup_to_offer(db_path)
    assert backup is not None
    err = capsys.readouterr().err
    assert err.endswith(
        f"callassist: the newest good backup is from {backup.when()}; put it back with: "
        f"callassist --db {db_path} restore\n"
    )
    assert err.startswith(f"callassist: cannot open {db_path}: it is damaged")
    assert db_path.read_bytes() == damaged[1]


def test_accepting_the_offer_restores_and_opens_the_backup(qapp, db_path, damaged, monkeypatch):
    del qapp
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    click_restore_when_offered()
    desk = open_desk(str(db_path), seen=True)
    assert desk is not None
    with desk:
        assert [prospect.first_name for prospect in desk.prospects()] == ["Dana"]
    (kept,) = db_path.parent.glob("desk-replaced-*.sqlite")
    assert kept.read_bytes() == damaged[1]
    with sqlite3.connect(kept) as connection, pytest.raises(sqlite3.DatabaseError):
        connection.execute("SELECT * FROM prospects").fetchall()
    connection.close()
    assert len(told) == 1
    assert told[0].endswith(f"The damaged file is kept at {kept}.")


def test_a_table_damaged_past_the_opening_is_said_in_the_window_not_a_crash(
    qtbot, db_path, clock, tmp_path, damage
):
    """The file opens, but the prospects' own page is overwritten: reading them fails."""
    with CallDesk.open(db_path, clock=clock) as desk:
        desk.add_prospect(first_name="Dana")
    damaged_bytes = damage(db_path)

    with CallDesk.open(db_path, clock=clock) as desk:
        window = MainWindow(
            DeskBridge(desk), QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat)
        )
        qtbot.addWidget(window)
        window.show()
        problem = window.findChild(QLabel, "problemMessage").text()
        assert "it is damaged" in problem
        assert "`callassist restore` puts the newest good backup back" in problem
    assert db_path.read_bytes() == damaged_bytes


@pytest.fixture
def damaged_inside(db_path: Path, clock, damage) -> bytes:
    """Opens, but the prospects' page is noise; one good backup (Dana) from before."""
    with CallDesk.open(db_path, clock=clock) as desk:
        desk.add_prospect(first_name="Dana")
        desk.backup()
        desk.add_prospect(first_name="Eve")
    return damage(db_path)


@pytest.fixture
def no_event_loop(qapp, monkeypatch) -> None:
    """run_window returns once its window is shown, instead of running the day."""
    monkeypatch.setattr(type(qapp), "exec", staticmethod(lambda: 0))


def test_damage_met_as_the_window_starts_offers_the_backup_first(
    no_event_loop, db_path, damaged_inside, monkeypatch
):
    from ui import app

    monkeypatch.setattr(app, "UNSEEN_PLATFORMS", frozenset())  # as on a desktop
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    click_restore_when_offered()

    assert app.run_window(str(db_path), []) == 0

    with CallDesk.open(db_path) as restored:
        assert [prospect.first_name for prospect in restored.prospects()] == ["Dana"]
    (kept,) = db_path.parent.glob("desk-replaced-*.sqlite")
    assert kept.read_bytes() == damaged_inside
    assert len(told) == 1
    assert told[0].endswith(f"The damaged file is kept at {kept}.")


def test_where_nobody_looks_the_window_starts_on_the_damaged_file_and_says_how_to_restore(
    no_event_loop, db_path, damaged_inside, capsys
):
    from ui import app

    assert app.run_window(str(db_path), []) == 0

    err = capsys.readouterr().err
    assert "it is damaged" in err
    assert f"put it back with: callassist --db {db_path} restore" in err
    assert db_path.read_bytes() == damaged_inside


def test_the_window_and_its_questions_go_when_the_window_ends(qtbot, no_event_loop, db_path, clock):
    """A window left behind its closed desk would go on ticking, filtering every key
    and asking its first-run questions in whatever the process did next."""
    from ui import app

    CallDesk.open(db_path, clock=clock).close()

    assert app.run_window(str(db_path), []) == 0

    qtbot.wait(50)  # the first-run questions were due at the next turn of the loop
    left = [type(widget).__name__ for widget in QApplication.topLevelWidgets()]
    assert "MainWindow" not in left
    assert "FirstRunDialog" not in left
