"""The prospect card's homework: the research notes the rep reads as the phone rings.

Each note is saved as the rep types; the box says plainly when there is no
homework yet, and when the research was last done.
"""

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from callassist.records import ResearchRecord
from ui.autosave import AutoSaver, NotSaved, Save
from ui.bridge import DeskBridge, attempt_reporting
from ui.tints import WARNING_HUE
from ui.widgets.card_parts import attention, fill, lines_high, relative_day
from ui.widgets.edit_versions import EditVersions

RESEARCH_FIELDS: tuple[tuple[str, str, int, str], ...] = (
    ("company_summary", "Company summary", 3, "What they do, who their clients are"),
    ("person_profile", "Person profile", 3, "Their role, background, public profile"),
    ("angle", "Angle", 3, "How what we sell could help them or their clients"),
    ("source_links", "Sources", 3, "Links, one per line"),
)
"""(field, label, lines shown, placeholder) of the research notes."""
RESEARCH_LABELS = {name: label for name, label, _lines, _placeholder in RESEARCH_FIELDS}

NO_HOMEWORK = "No homework yet: research before you dial"


class ResearchNotes(QGroupBox):
    """The research notes of the open prospect, each saved as it is typed."""

    def __init__(
        self,
        bridge: DeskBridge,
        saver: AutoSaver,
        prospect_id: Callable[[], int | None],
        ask: Callable[[QDialog], None],
        parent: QWidget | None = None,
    ) -> None:
        """``ask`` opens the dialog that asks which text to keep after a colleague's save."""
        super().__init__("Research notes", parent)
        self.setObjectName("researchNotes")
        self._bridge = bridge
        self._saver = saver
        self._prospect_id = prospect_id
        self._versions = EditVersions(saver, ask)
        self.editors: dict[str, QPlainTextEdit] = {}
        """The note boxes by the field the core takes, in form order."""
        self._homework_flag = attention(QLabel(NO_HOMEWORK, self), WARNING_HUE)
        self._homework_flag.setObjectName("noHomework")
        self._research_stamp = QLabel(self)
        self._research_stamp.setObjectName("researchedWhen")
        form = QFormLayout()
        # Labels above the boxes: the text gets the card's full width, so fewer lines wrap.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for name, label, lines, placeholder in RESEARCH_FIELDS:
            editor = QPlainTextEdit(self)
            editor.setObjectName(f"research_{name}")
            editor.setAccessibleName(f"Research: {label}")
            editor.setPlaceholderText(placeholder)
            lines_high(editor, lines)
            self.editors[name] = editor
            self._saver.watch(editor, self._research_saver(name))
            form.addRow(f"{label}:", editor)
        box = QVBoxLayout(self)
        box.addWidget(self._homework_flag)
        box.addWidget(self._research_stamp)
        box.addLayout(form)

    def show_research(
        self, research: ResearchRecord, now: datetime, zone_name: str, *, overwrite: bool
    ) -> None:
        values = {
            "company_summary": research.company_summary,
            "person_profile": research.person_profile,
            "angle": research.angle,
            "source_links": "\n".join(research.source_links),
        }
        for name, value in values.items():
            if fill(self._saver, self.editors[name], value, overwrite=overwrite):
                self._versions.loaded(self.editors[name], research.version)
        self._homework_flag.setVisible(not research.has_homework)
        if research.researched_at is None:
            self._research_stamp.setText("Never researched")
        else:
            when = relative_day(research.researched_at, now, zone_name)
            self._research_stamp.setText(f"Researched {when}")

    def _research_saver(self, name: str) -> Save:
        return lambda text: self._save_research(name, text)

    def _save_research(self, name: str, text: str) -> NotSaved | None:
        prospect_id = self._prospect_id()
        if prospect_id is None:
            return None
        desk = self._bridge.desk

        def store(typed: str, seen: int) -> int:
            if name == "source_links":
                lines = typed.splitlines()
                return desk.update_research(
                    prospect_id, source_links=lines, seen_version=seen
                ).version
            return desk.update_research(
                prospect_id,
                company_summary=typed if name == "company_summary" else None,
                person_profile=typed if name == "person_profile" else None,
                angle=typed if name == "angle" else None,
                seen_version=seen,
            ).version

        label = f"Research notes, {RESEARCH_LABELS[name].lower()}"
        not_saved: NotSaved | None = None

        def save() -> bool:
            nonlocal not_saved
            not_saved = self._versions.save(self.editors[name], label, name, text, store)
            return True

        tried, problem = attempt_reporting(self._bridge, save)
        if tried:
            return not_saved
        return NotSaved(f"Research notes: {problem}", retry=True)
