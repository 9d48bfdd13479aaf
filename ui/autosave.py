"""Save what is typed shortly after typing stops, with no Save button.

Each watched editor has its own quiet-period timer: typing restarts it, and
when it fires the text goes to the editor's save function. Leaving the field,
switching prospect or closing the window flushes at once, so nothing typed
is ever only on screen.
"""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

QUIET_MS = 400
"""How long typing must pause before a save (well inside the one-second promise)."""

Editor = QLineEdit | QPlainTextEdit | QTextEdit
Save = Callable[[str], object]


def editor_text(editor: Editor) -> str:
    if isinstance(editor, QLineEdit):
        return editor.text()
    return editor.toPlainText()


class _Watch(QObject):
    def __init__(self, editor: Editor, save: Save, saver: "AutoSaver") -> None:
        super().__init__(saver)
        self.editor = editor
        self.save = save
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(saver.quiet_ms)
        self.timer.timeout.connect(self.commit)
        self.saved_text = editor_text(editor)
        signal = editor.textEdited if isinstance(editor, QLineEdit) else editor.textChanged
        signal.connect(self.timer.start)
        editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.commit()
        return False

    def commit(self) -> None:
        self.timer.stop()
        text = editor_text(self.editor)
        if text != self.saved_text:
            self.saved_text = text
            self.save(text)

    def reset(self) -> None:
        """The editor was filled from the database: nothing to save."""
        self.timer.stop()
        self.saved_text = editor_text(self.editor)


class AutoSaver(QObject):
    """Saves watched editors after a quiet period, on focus-out and on flush."""

    def __init__(self, parent: QObject | None = None, quiet_ms: int = QUIET_MS) -> None:
        super().__init__(parent)
        self.quiet_ms = quiet_ms
        self._watches: dict[QWidget, _Watch] = {}

    def watch(self, editor: Editor, save: Save) -> None:
        """Call ``save(text)`` when ``editor``'s text changes and typing pauses."""
        self._watches[editor] = _Watch(editor, save, self)

    def loaded(self, editor: Editor) -> None:
        """Tell the saver ``editor`` was just filled from data, not typed."""
        self._watches[editor].reset()

    def pending(self) -> bool:
        return any(watch.timer.isActive() for watch in self._watches.values())

    def flush(self) -> None:
        """Save every editor with unsaved text now."""
        for watch in self._watches.values():
            watch.commit()
