"""Small pieces the prospect card's sections share: a wheel-safe choice box, the
look of a note to act on, sized text boxes, days in words, and reloading a field."""

from datetime import datetime

from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit

from callassist.phones import zone
from ui.autosave import AutoSaver, Editor, editor_text
from ui.tints import tint


def relative_day(moment: datetime, now: datetime, zone_name: str) -> str:
    """When, in words: "today", "yesterday" or "3 days ago (Thu Mar 5)", in the rep's zone."""
    where = zone(zone_name)
    days = (now.astimezone(where).date() - moment.astimezone(where).date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago ({moment.astimezone(where):%a %b} {moment.astimezone(where).day})"


class ChoiceBox(QComboBox):
    """A combo box the mouse wheel changes only once the rep has put the cursor in it.

    A choice here is saved at once, and the card scrolls under the mouse: a
    wheel turned to scroll past the box must scroll the card, not change the choice.
    """

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # passed on to the card's scroll area


def attention(label: QLabel, hue: int) -> QLabel:
    """Make ``label`` stand out as a note to act on, in the warning look of the whole window."""
    label.setWordWrap(True)
    label.setMargin(6)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    tint(label, hue)
    return label


def lines_high(editor: QPlainTextEdit, lines: int) -> None:
    """Size a text box to show ``lines`` lines: enough to read, small enough to fit."""
    editor.setTabChangesFocus(True)
    margins = editor.contentsMargins()
    document_margin = int(editor.document().documentMargin())
    editor.setFixedHeight(
        editor.fontMetrics().lineSpacing() * lines
        + 2 * document_margin
        + margins.top()
        + margins.bottom()
    )


def fill(saver: AutoSaver, editor: Editor, text: str, *, overwrite: bool) -> bool:
    """Show stored ``text`` in ``editor``, unless the rep is working in it; True when shown.

    A reload never clobbers the field with the cursor in it, nor one whose
    typed text is not stored yet (refused, waiting for a retry, or for the rep
    to choose it over a colleague's).
    """
    if not overwrite and (editor.hasFocus() or saver.unsaved(editor)):
        return False
    show_text(editor, text)
    saver.loaded(editor)
    return True


def show_text(editor: Editor, text: str) -> None:
    """Put ``text`` in ``editor`` (left as it is when it already shows it)."""
    if editor_text(editor) != text:
        if isinstance(editor, QLineEdit):
            editor.setText(text)
            editor.setCursorPosition(0)
        else:
            editor.setPlainText(text)
