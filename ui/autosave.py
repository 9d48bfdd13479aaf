"""Save what is typed as it is typed, with no Save button.

Each watched editor has two timers. A short quiet-period timer restarts with
every key and saves as soon as typing pauses. A deadline timer starts with
the first unsaved key and is not restarted, so a rep who types without ever
pausing (while the prospect talks) still has their words stored at least
once a second. Leaving the field, switching prospect or closing the window
saves at once.

A save can fail. A value the core refuses (a malformed email) stays on screen
with its reason beside the field until the rep fixes it. A passing problem (the
database busy, the disk full) keeps the text on screen and is retried on a
timer until it goes through. An edit a colleague saved past first stays on
screen, unsaved, until the rep chooses between theirs and their own (see
ui/widgets/edit_versions.py). Every saver reports its state, so the window can
say whether everything typed is stored.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit, QWidget

QUIET_MS = 300
"""How long typing must pause before a save."""
DEADLINE_MS = 900
"""The longest typed text waits while typing goes on (inside the one-second promise)."""
RETRY_MS = 2_000
"""How soon a save that failed for a passing reason is tried again."""

Editor = QLineEdit | QPlainTextEdit | QTextEdit


@dataclass(frozen=True, slots=True)
class NotSaved:
    """Why a save did not store the text."""

    reason: str
    retry: bool
    """True for a passing problem (busy, disk full); False for a value the core refused."""
    colleague_first: bool = False
    """A colleague saved this since the rep began: the rep chooses, nothing is retried."""


Save = Callable[[str], NotSaved | None]
"""Store the text; return None when it is stored (or there is nothing to store it on)."""


class SaveState(Enum):
    SAVED = "saved"
    PENDING = "pending"
    """Typed, waiting for the pause or the deadline."""
    REFUSED = "refused"
    FAILING = "failing"
    """Will be retried."""
    COLLEAGUE_FIRST = "colleague_first"
    """A colleague saved first: kept on screen until the rep keeps one or saves a merge."""


def editor_text(editor: Editor) -> str:
    if isinstance(editor, QLineEdit):
        return editor.text()
    return editor.toPlainText()


class _Watch(QObject):
    def __init__(self, editor: Editor, save: Save, saver: "AutoSaver") -> None:
        super().__init__(saver)
        self.editor = editor
        self.save = save
        self.saver = saver
        self.problem: NotSaved | None = None
        self.quiet = self._timer(saver.quiet_ms)
        self.deadline = self._timer(saver.deadline_ms)
        self.retry = self._timer(RETRY_MS)
        self.saved_text = editor_text(editor)
        signal = editor.textEdited if isinstance(editor, QLineEdit) else editor.textChanged
        signal.connect(self._typed)
        editor.installEventFilter(self)

    def _timer(self, interval: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(interval)
        timer.timeout.connect(self.commit)
        return timer

    def _typed(self) -> None:
        if editor_text(self.editor) == self.saved_text:
            return  # filled from data, or typed back to what is stored
        self.quiet.start()
        if not self.deadline.isActive():
            self.deadline.start()
        self.saver.state_may_have_changed()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.editor and event.type() == QEvent.Type.FocusOut:
            self.commit()
        return False

    def state(self) -> SaveState:
        if self.problem is not None:
            if self.problem.colleague_first:
                return SaveState.COLLEAGUE_FIRST
            return SaveState.FAILING if self.problem.retry else SaveState.REFUSED
        if self.quiet.isActive() or self.deadline.isActive():
            return SaveState.PENDING
        return SaveState.SAVED

    def commit(self) -> None:
        for timer in (self.quiet, self.deadline, self.retry):
            timer.stop()
        text = editor_text(self.editor)
        if text == self.saved_text and self.problem is None:
            return
        problem = self.save(text)
        self.problem = problem
        if problem is None:
            self.saved_text = text
        elif problem.retry:
            self.retry.start()
        self.saver.state_may_have_changed()

    def reset(self) -> None:
        """The editor was filled from the database: nothing to save."""
        was_saved = self.state() is SaveState.SAVED
        for timer in (self.quiet, self.deadline, self.retry):
            timer.stop()
        self.problem = None
        self.saved_text = editor_text(self.editor)
        if not was_saved:
            # Only then can the saver's state have changed. A card fills a dozen
            # editors at each prospect opened, and each asking every editor its
            # state cost 10 ms of the rep's key.
            self.saver.state_may_have_changed()


class AutoSaver(QObject):
    """Saves watched editors while typing goes on, on a pause, on focus-out and on flush."""

    state_changed = Signal()
    """Some editor went from saved to unsaved or back, or a save failed."""

    def __init__(
        self,
        parent: QObject | None = None,
        quiet_ms: int = QUIET_MS,
        deadline_ms: int = DEADLINE_MS,
    ) -> None:
        super().__init__(parent)
        self.quiet_ms = quiet_ms
        self.deadline_ms = deadline_ms
        self._watches: dict[QWidget, _Watch] = {}
        self._last_state = SaveState.SAVED

    def watch(self, editor: Editor, save: Save) -> None:
        """Call ``save(text)`` when ``editor``'s text changes and typing pauses."""
        self._watches[editor] = _Watch(editor, save, self)

    def loaded(self, editor: Editor) -> None:
        """Tell the saver ``editor`` was just filled from data, not typed."""
        self._watches[editor].reset()

    def unsaved(self, editor: Editor) -> bool:
        """True while ``editor`` shows text that is not stored (a reload must not clobber it)."""
        return self._watches[editor].state() is not SaveState.SAVED

    def stored_text(self, editor: Editor) -> str:
        """What ``editor`` showed when it was last filled from data or saved."""
        return self._watches[editor].saved_text

    def save_now(self, editor: Editor) -> None:
        """Save ``editor``'s text now, whatever its state (the rep chose what to keep)."""
        self._watches[editor].commit()

    def problems(self) -> list[str]:
        """Why each editor that failed to save did, in words."""
        return [
            watch.problem.reason for watch in self._watches.values() if watch.problem is not None
        ]

    def colleague_first(self) -> list[tuple[Editor, str]]:
        """Each editor whose text waits because a colleague saved first, and why, in words."""
        return [
            (watch.editor, watch.problem.reason)
            for watch in self._watches.values()
            if watch.problem is not None and watch.problem.colleague_first
        ]

    def state(self) -> SaveState:
        """The worst state among the editors: failing, refused, pending, saved."""
        states = {watch.state() for watch in self._watches.values()}
        for state in (
            SaveState.FAILING,
            SaveState.COLLEAGUE_FIRST,
            SaveState.REFUSED,
            SaveState.PENDING,
        ):
            if state in states:
                return state
        return SaveState.SAVED

    def state_may_have_changed(self) -> None:
        state = self.state()
        if state is not self._last_state or state in (
            SaveState.FAILING,
            SaveState.COLLEAGUE_FIRST,
            SaveState.REFUSED,
        ):
            self._last_state = state
            self.state_changed.emit()

    def flush(self) -> bool:
        """Save every editor with unsaved text now.

        False when some text could not be stored for a passing reason (it is still
        on screen and retried) or waits for the rep to choose it over a colleague's;
        a refused value does not count: it was never valid.
        """
        for watch in self._watches.values():
            watch.commit()
        return self.state() not in (SaveState.FAILING, SaveState.COLLEAGUE_FIRST)
