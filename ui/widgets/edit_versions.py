"""Which version of a stored row each editor of a card section started from.

Every save says the version its text was typed on, so the core refuses it
when a colleague saved in between (StaleEditError) instead of writing over
their words. Each editor keeps the version it was last filled from or saved
on; a save of one field moves on the others that were on the same version,
since the one change in between was the rep's own.

A refused save loses nothing. When the colleague did not touch this field
(they changed another one of the same row), the rep's text is saved on their
version at once. Otherwise :class:`EditConflictDialog` shows theirs beside the
rep's: keep mine, keep theirs, or save a merge; Esc leaves the rep's text
unsaved in the field, and the save status says so until the rep types in it again,
which asks again.
"""

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import QDialog

from callassist.errors import StaleEditError
from ui.autosave import AutoSaver, Editor, NotSaved
from ui.dialogs.edit_conflict import Choice, EditConflictDialog
from ui.widgets.card_parts import show_text

Store = Callable[[str, int], int]
"""Save this text on this version; the version the save made. Raises StaleEditError when
the stored row is past that version, and any other KnownError as the desk does."""


class EditVersions:
    """The versions of one row (a prospect, their research) its editors' texts started from."""

    def __init__(self, saver: AutoSaver, ask: Callable[[QDialog], None]) -> None:
        self._saver = saver
        self._ask_with = ask
        self._seen: dict[Editor, int] = {}
        self._asking: dict[Editor, NotSaved] = {}
        """Editors whose text waits for the rep's choice in an open dialog."""
        self._declined: dict[Editor, tuple[str, NotSaved]] = {}
        """Editors whose text the rep left unsaved with Esc: asked again once they type."""

    def loaded(self, editor: Editor, version: int) -> None:
        """``editor`` was just filled with the row at ``version``."""
        self._seen[editor] = version
        self._declined.pop(editor, None)

    def save(
        self, editor: Editor, label: str, field: str, text: str, store: Store
    ) -> NotSaved | None:
        """Save ``editor``'s ``text`` (the row's ``field``, called ``label``) on the version it
        started from; why it was not saved, or None. Other KnownErrors are raised."""
        waiting = self._asking.get(editor)
        if waiting is not None:
            return waiting
        declined = self._declined.get(editor)
        if declined is not None:
            declined_text, not_saved = declined
            if declined_text == text:
                return not_saved  # leaving the field is no reason to ask again
            del self._declined[editor]
        seen = self._seen.get(editor, 0)
        try:
            self._moved_on(seen, store(text, seen))
        except StaleEditError as stale:
            theirs = stale.theirs.get(field, "")
            if theirs != self._saver.stored_text(editor):
                return self._ask(editor, label, stale, theirs, text)
            # Their change was to another field: this one is still only the rep's to save.
            try:
                self._moved_on(stale.version, store(text, stale.version))
            except StaleEditError as again:
                return self._ask(editor, label, again, again.theirs.get(field, ""), text)
        return None

    def _moved_on(self, before: int, after: int) -> None:
        for editor, version in list(self._seen.items()):
            if version == before:
                self._seen[editor] = after

    def _ask(
        self, editor: Editor, label: str, stale: StaleEditError, theirs: str, yours: str
    ) -> NotSaved:
        waiting = NotSaved(f"{label}: {stale}", retry=False, colleague_first=True)
        self._asking[editor] = waiting
        dialog = EditConflictDialog(label, stale, theirs, yours, editor.window())
        dialog.chosen.connect(partial(self._resolve, editor, stale.version))
        # Esc: the text stays in the field, unsaved, until the rep types in it again.
        dialog.rejected.connect(partial(self._decline, editor, yours))
        self._ask_with(dialog)
        return waiting

    def _decline(self, editor: Editor, yours: str) -> None:
        self._declined[editor] = (yours, self._asking.pop(editor))

    def _resolve(self, editor: Editor, version: int, choice: Choice, text: str) -> None:
        self._asking.pop(editor, None)
        self._seen[editor] = version
        show_text(editor, text)
        if choice is Choice.THEIRS:
            self._saver.loaded(editor)
        else:
            self._saver.save_now(editor)
