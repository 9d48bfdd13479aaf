"""The script editor: a broken script is refused, a fixed one saved as the rep's, reset restores."""

import threading
from pathlib import Path
from time import monotonic

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextCursor
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QStatusBar,
    QTextBrowser,
)

from callassist.core import CallDesk
from callassist.templates import BUNDLED_DIR, RENDER_TIME_LIMIT_SECONDS
from ui.app import show_brought_in
from ui.dialogs.script_editor import ScriptEditorDialog
from ui.dialogs.script_lookup import ScriptLookupDialog
from ui.models.scripts import ScriptListModel

THIRD = "voicemail_third"
BUNDLED_THIRD = BUNDLED_DIR / "voicemail_third.txt.j2"
NESTED_LOOP = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"
"""A script that would run for hours without the time limit."""


@pytest.fixture
def dana(make_prospect):
    """Her id: what the editor's preview is given."""
    return make_prospect().id


@pytest.fixture
def bundled_text():
    """The bundled file as shipped; every test checks it is still exactly that."""
    before = BUNDLED_THIRD.read_text(encoding="utf-8")
    yield before
    assert BUNDLED_THIRD.read_text(encoding="utf-8") == before


def user_file(bridge, name=THIRD) -> Path:
    return bridge.desk.scripts.user_dir / f"{name}.txt.j2"


def origin(bridge, name=THIRD) -> str:
    """Where the text in effect comes from: "user", "team" or "bundled"."""
    return bridge.desk.scripts.info(name).origin


def open_editor(qtbot, bridge, prospect_id, name=THIRD):
    """The editor on screen, its first preview shown."""
    dialog = ScriptEditorDialog(bridge, prospect_id, name)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    qtbot.waitUntil(lambda: not dialog.is_previewing())
    return dialog


def source(dialog) -> QPlainTextEdit:
    return dialog.findChild(QPlainTextEdit, "scriptSource")


def preview_text(dialog) -> str:
    return dialog.findChild(QTextBrowser, "scriptEditorPreview").toPlainText()


def label(dialog, name) -> QLabel:
    return dialog.findChild(QLabel, name)


def type_at_end(qtbot, dialog, text, new_line=True):
    editor = source(dialog)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keySequence(editor, "Ctrl+End")
    if new_line:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, text)


def test_opens_on_the_bundled_script_with_a_live_preview(qtbot, bridge, dana, bundled_text):
    dialog = open_editor(qtbot, bridge, dana)

    assert source(dialog).toPlainText() == bundled_text
    assert label(dialog, "scriptOrigin").text().startswith("Bundled version.")
    assert not dialog.reset_action.isEnabled()
    assert preview_text(dialog).startswith("Hi Dana, Sam Rivera at Northwind Answering")
    assert label(dialog, "scriptEditorSpeakingTime").text().startswith("Speaking time: about")
    # A fixed-width face, so template tags line up; measured, because fontconfig
    # does not flag every monospaced font (Noto Sans Mono) as fixed pitch.
    metrics = QFontMetrics(source(dialog).font())
    assert metrics.horizontalAdvance("iiiiiiiiii") == metrics.horizontalAdvance("WWWWWWWWWW")

    type_at_end(qtbot, dialog, "P.S. {{ prospect.company }} rocks.")

    qtbot.waitUntil(lambda: "P.S. Mesa Dental rocks." in preview_text(dialog))
    assert dialog.windowTitle() == "Edit scripts — voicemail_third (unsaved)"


def test_a_syntax_error_is_shown_with_its_line_and_not_saved(qtbot, bridge, dana, bundled_text):
    dialog = open_editor(qtbot, bridge, dana)
    lines = bundled_text.count("\n") + 1

    type_at_end(qtbot, dialog, "P.S. {{ prospect.company }")

    error = label(dialog, "scriptError")
    qtbot.waitUntil(error.isVisible)
    assert error.text() == f"Line {lines + 1}: unexpected '}}'"
    assert dialog.error_line() == lines + 1
    assert f"voicemail_third.txt.j2, line {lines + 1}" in preview_text(dialog)

    with qtbot.assertNotEmitted(dialog.script_changed):
        qtbot.keySequence(source(dialog), "Ctrl+S")

    assert label(dialog, "scriptEditorStatus").text() == "Not saved: fix the error first."
    assert origin(bridge) == "bundled"
    assert bridge.desk.scripts.source(THIRD) == bundled_text


def test_fixing_the_error_then_saving_stores_the_reps_version(qtbot, bridge, dana, bundled_text):
    dialog = open_editor(qtbot, bridge, dana)
    type_at_end(qtbot, dialog, "P.S. {{ prospect.company }")
    qtbot.waitUntil(label(dialog, "scriptError").isVisible)

    qtbot.keyClicks(source(dialog), "}")
    qtbot.waitUntil(lambda: not label(dialog, "scriptError").isVisible())
    assert dialog.error_line() is None
    with qtbot.waitSignal(dialog.script_changed) as changed:
        qtbot.keySequence(source(dialog), "Ctrl+S")

    assert changed.args == [THIRD]
    # Kept in the database as the rep's own version; the folder is left alone.
    assert bridge.desk.scripts.own_version(THIRD).source == (
        bundled_text + "\nP.S. {{ prospect.company }}"
    )
    assert not user_file(bridge).exists()
    assert label(dialog, "scriptOrigin").text() == (
        "Your own version, kept in the database. Reset brings back the bundled version."
    )
    assert label(dialog, "scriptEditorStatus").text() == "Saved as your own version."
    assert dialog.reset_action.isEnabled()
    assert dialog.windowTitle() == "Edit scripts — voicemail_third"

    lookup = ScriptLookupDialog(bridge, dana, (THIRD,))
    qtbot.addWidget(lookup)
    lookup.show()
    qtbot.waitUntil(lambda: not lookup.preview_pending())  # rendered in a worker
    shown = lookup.findChild(QTextBrowser, "scriptPreview").toPlainText()
    assert shown.endswith("P.S. Mesa Dental")


def test_a_broken_header_is_refused_with_its_line(qtbot, bridge, dana, bundled_text):
    dialog = open_editor(qtbot, bridge, dana)
    editor = source(dialog)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    # Line 3 is channel = "voicemail": make it a channel that does not exist.
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.Down, n=2)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfLine)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, 'x"')

    qtbot.keySequence(editor, "Ctrl+S")

    assert label(dialog, "scriptError").text().startswith("Line 3: channel must be one of")
    assert dialog.error_line() == 3
    assert origin(bridge) == "bundled"


def test_reset_asks_then_brings_back_the_bundled_version(qtbot, bridge, dana, bundled_text):
    user_file(bridge).parent.mkdir(parents=True)
    user_file(bridge).write_text(bundled_text + "\nMine.", encoding="utf-8")
    dialog = open_editor(qtbot, bridge, dana)
    assert source(dialog).toPlainText().endswith("Mine.")
    assert preview_text(dialog).endswith("Mine.")

    qtbot.keySequence(source(dialog), "Ctrl+Shift+R")
    box = dialog.confirmation
    assert box is not None
    assert box.isVisible()
    assert box.text() == "Reset “Third voicemail — voicemail_third” to the bundled version?"
    # Enter answers the safe way: nothing is deleted.
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert user_file(bridge).exists()
    assert dialog.confirmation is None

    qtbot.keySequence(source(dialog), "Ctrl+Shift+R")
    with qtbot.waitSignal(dialog.script_changed) as changed:
        qtbot.mouseClick(
            dialog.confirmation.button(QMessageBox.StandardButton.Reset),
            Qt.MouseButton.LeftButton,
        )

    assert changed.args == [THIRD]
    # The file a rep wrote stays where it is; it is no longer read.
    assert user_file(bridge).read_text(encoding="utf-8") == bundled_text + "\nMine."
    assert origin(bridge) == "bundled"
    assert source(dialog).toPlainText() == bundled_text
    assert label(dialog, "scriptOrigin").text().startswith("Bundled version.")
    assert not dialog.reset_action.isEnabled()
    qtbot.waitUntil(lambda: not preview_text(dialog).endswith("Mine."))


def test_switching_scripts_keeps_unsaved_text_and_closing_asks(qtbot, bridge, dana, bundled_text):
    dialog = open_editor(qtbot, bridge, dana)
    type_at_end(qtbot, dialog, "Draft line.")
    choice = dialog.findChild(QComboBox, "scriptChoice")
    choice.setFocus()
    qtbot.waitUntil(choice.hasFocus)

    qtbot.keyClick(choice, Qt.Key.Key_Up)
    assert dialog.current_name != THIRD
    assert source(dialog).toPlainText() == bridge.desk.scripts.source(dialog.current_name)
    qtbot.keyClick(choice, Qt.Key.Key_Down)
    assert dialog.current_name == THIRD
    assert source(dialog).toPlainText().endswith("Draft line.")

    qtbot.keyClick(choice, Qt.Key.Key_Escape)
    box = dialog.confirmation
    assert box is not None
    assert box.informativeText() == "Unsaved edits to voicemail_third will be lost."
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert dialog.isVisible()

    qtbot.keyClick(choice, Qt.Key.Key_Escape)
    qtbot.mouseClick(
        dialog.confirmation.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton
    )
    assert not dialog.isVisible()
    assert origin(bridge) == "bundled"


def test_a_users_script_that_cannot_be_read_can_be_opened_and_fixed(qtbot, bridge, dana):
    folder = bridge.desk.scripts.user_dir
    folder.mkdir(parents=True)
    (folder / "my_opener.txt.j2").write_text(
        '{#-\ntitle = "My opener"\nchannel = "phone"\nused_when = "Mine."\n-#}\n'
        "Hi {{ prospect.first_name }}!",
        encoding="utf-8",
    )
    dialog = open_editor(qtbot, bridge, dana, "my_opener")

    assert dialog.current_name == "my_opener"
    assert label(dialog, "scriptError").text().startswith("Line 3: channel must be one of")
    assert label(dialog, "scriptOrigin").text() == (
        f"Your own version, read from {folder / 'my_opener.txt.j2'} until callassist next "
        "starts and keeps it in the database."
    )
    assert not dialog.reset_action.isEnabled()

    editor = source(dialog)
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.Down, n=2)
    cursor.select(QTextCursor.SelectionType.LineUnderCursor)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, 'channel = "call"')
    qtbot.keySequence(editor, "Ctrl+S")

    assert [info.name for info in bridge.desk.list_scripts() if info.origin == "user"] == [
        "my_opener"
    ]
    assert bridge.desk.render_script("my_opener", dana).text == "Hi Dana!"


def test_menu_actions_have_shortcuts_and_text(qtbot, bridge, dana):
    dialog = open_editor(qtbot, bridge, dana)

    assert {action.text(): action.shortcut().toString() for action in dialog.menu_actions()} == {
        "Save my version of the script": "Ctrl+S",
        "Save the script as the team's version": "Ctrl+Shift+S",
        "Reset the script to the bundled version…": "Ctrl+Shift+R",
    }


def test_saving_for_the_team_is_what_a_colleagues_desk_renders(
    qtbot, bridge, dana, bundled_text, db_location, clock, tmp_path
):
    with CallDesk.open(
        db_location,
        clock=clock,
        template_dir=tmp_path / "jo-scripts",
        cadence_dir=tmp_path / "jo-cadences",
        backup_folder=tmp_path / "jo-backups",
    ) as colleague:
        colleague.add_rep(name="Jo Park", email="jo@northwind.example")
        dialog = open_editor(qtbot, bridge, dana)
        type_at_end(qtbot, dialog, "P.S. From the whole team.")
        with qtbot.waitSignal(dialog.script_changed):
            qtbot.keySequence(source(dialog), "Ctrl+Shift+S")

        assert label(dialog, "scriptEditorStatus").text() == (
            "Saved as the team's version: every rep without their own uses it."
        )
        assert (
            label(dialog, "scriptOrigin")
            .text()
            .startswith("The team's version, saved by Sam Rivera on ")
        )
        assert dialog.windowTitle() == "Edit scripts — voicemail_third"
        assert not dialog.reset_action.isEnabled()  # Sam has no version of their own
        assert colleague.scripts.info(THIRD).origin == "team"
        assert colleague.render_script(THIRD).text.endswith("P.S. From the whole team.")
        listed = ScriptListModel()
        listed.set_scripts([colleague.scripts.info(THIRD)])
        assert listed.data(listed.index(0)) == "Third voicemail\nvoicemail · the team's version"

        # Sam's own version, saved with Ctrl+S, is Sam's alone; reset brings the team's back.
        type_at_end(qtbot, dialog, "Sam only.", new_line=False)
        with qtbot.waitSignal(dialog.script_changed):
            qtbot.keySequence(source(dialog), "Ctrl+S")
        assert label(dialog, "scriptOrigin").text() == (
            "Your own version, kept in the database. Reset brings back the team's version."
        )
        assert dialog.reset_action.text() == "Reset the script to the team's version…"
        assert bridge.desk.render_script(THIRD).text.endswith("Sam only.")
        assert colleague.render_script(THIRD).text.endswith("P.S. From the whole team.")
        qtbot.keySequence(source(dialog), "Ctrl+Shift+R")
        assert dialog.confirmation.text() == (
            "Reset “Third voicemail — voicemail_third” to the team's version?"
        )
        with qtbot.waitSignal(dialog.script_changed):
            qtbot.mouseClick(
                dialog.confirmation.button(QMessageBox.StandardButton.Reset),
                Qt.MouseButton.LeftButton,
            )
        assert label(dialog, "scriptEditorStatus").text() == "Back to the team's version."
        assert source(dialog).toPlainText() == bundled_text + "\nP.S. From the whole team."


def test_typing_goes_on_while_a_runaway_script_is_previewed(qtbot, bridge, dana, bundled_text):
    dialog = open_editor(qtbot, bridge, dana)
    lines = bundled_text.count("\n") + 1
    type_at_end(qtbot, dialog, NESTED_LOOP)
    qtbot.waitUntil(dialog.is_previewing)
    shown = []
    dialog.preview_updated.connect(lambda: shown.append(label(dialog, "scriptError").text()))

    started = monotonic()
    qtbot.keyClicks(source(dialog), " still typing")
    typing_took = monotonic() - started

    # The keys went in while the runaway render was still going.
    assert dialog.is_previewing()
    assert typing_took < 1
    assert source(dialog).toPlainText().endswith(NESTED_LOOP + " still typing")
    error = label(dialog, "scriptError")
    qtbot.waitUntil(error.isVisible, timeout=4 * RENDER_TIME_LIMIT_SECONDS * 1000)
    stopped = f"it took longer than {RENDER_TIME_LIMIT_SECONDS:g} seconds, so it was stopped"
    assert error.text().startswith(f"Line {lines + 1}: {stopped}")
    assert dialog.error_line() == lines + 1
    assert f"voicemail_third.txt.j2, line {lines + 1}: {stopped}" in preview_text(dialog)
    # The render of the text before " still typing" was dropped, not shown.
    assert shown == [error.text()]
    assert not dialog.is_previewing()
    assert not user_file(bridge).exists()


def test_the_preview_is_rendered_off_the_window_thread_and_shown(qtbot, bridge, dana, monkeypatch):
    dialog = open_editor(qtbot, bridge, dana)
    library = bridge.desk.scripts
    real_render = library.render_source
    rendered_on: list[threading.Thread] = []

    def watched_render(*args, **kwargs):
        rendered_on.append(threading.current_thread())
        return real_render(*args, **kwargs)

    monkeypatch.setattr(library, "render_source", watched_render)
    type_at_end(qtbot, dialog, "See you at {{ prospect.company }}.")

    qtbot.waitUntil(lambda: "See you at Mesa Dental." in preview_text(dialog))
    assert rendered_on
    assert threading.main_thread() not in rendered_on


def test_the_status_bar_says_once_which_folder_files_were_brought_in(
    qtbot, db_location, clock, tmp_path
):
    folder = tmp_path / "sam-scripts"
    folder.mkdir()
    (folder / f"{THIRD}.txt.j2").write_text(
        BUNDLED_THIRD.read_text(encoding="utf-8") + "\nFrom my folder.", encoding="utf-8"
    )
    with CallDesk.open(
        db_location, clock=clock, template_dir=folder, backup_folder=tmp_path / "backups"
    ) as desk:
        bar = QStatusBar()
        qtbot.addWidget(bar)
        bar.showMessage("Backups of a shared database are taken on the server.")
        show_brought_in(desk, bar)
        assert bar.currentMessage() == (
            f"Your own script {THIRD} from {folder} is now kept in the database as your "
            "version; the file stays where it is and is no longer read. "
            "Backups of a shared database are taken on the server."
        )
        bar.clearMessage()
        show_brought_in(desk, bar)
        assert bar.currentMessage() == ""
        assert desk.scripts.own_version(THIRD) is not None
