"""A script's preview: the text filled in, its missing fields marked, and the pane showing it.

The script lookup and the script editor both preview a rendered script; this is
what they share. A field the script needs but the database lacks shows as
``[missing: ...]``, highlighted, and is named above the text with where to fill
it in. A script that fails to render shows its error instead of the text.
"""

import html
import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from callassist.templates import RenderedScript, ScriptInfo

# Where the rep fills in a field a script found missing, by its group.
_WHERE_TO_FILL = {
    "prospect": "add {it} to the card",
    "research": "add {it} to the research notes",
    "rep": "add {it} in Settings",
}
_DURING_THE_CALL = "filled in during a call"
_MARKER = re.compile(r"\[missing: [^\]]+\]", re.IGNORECASE)


def missing_highlight(palette: QPalette) -> QColor:
    """The background of a missing-field marker: the palette's highlight, softened.

    Blending the highlight into the base keeps the palette's text colour
    readable on it, in light and dark themes alike.
    """
    base = palette.color(QPalette.ColorRole.Base)
    return blend(base, palette.color(QPalette.ColorRole.Highlight))


def blend(base: QColor, accent: QColor, share: float = 0.4) -> QColor:
    """``accent`` mixed into ``base`` at ``share`` (0: base, 1: accent)."""
    return QColor(
        round(base.red() + (accent.red() - base.red()) * share),
        round(base.green() + (accent.green() - base.green()) * share),
        round(base.blue() + (accent.blue() - base.blue()) * share),
    )


def preview_html(text: str, palette: QPalette) -> str:
    """``text`` as rich text for a preview, its missing-field markers highlighted."""
    colour = missing_highlight(palette).name()
    marked = _MARKER.sub(
        lambda match: (
            f'<span style="background-color: {colour}; font-weight: 600;">{match.group(0)}</span>'
        ),
        html.escape(text, quote=False),
    )
    # pre-wrap keeps the script's own line breaks and blank lines.
    return f'<div style="white-space: pre-wrap;">{marked}</div>'


LOOKUP_ERROR_HINT = "Fix it in the script editor, or reset it to the bundled version there."


def error_html(message: str, hint: str = LOOKUP_ERROR_HINT) -> str:
    """A script that could not be filled in, for a preview: what failed, where, what to do."""
    return (
        "<p><b>This script could not be filled in.</b></p>"
        f'<p style="white-space: pre-wrap;">{html.escape(message, quote=False)}</p>'
        f"<p>{html.escape(hint, quote=False)}</p>"
    )


def missing_note(fields: Sequence[str]) -> str:
    """One line per group of missing fields, saying where to fill them in.

    "Missing: prospect.first_name — add it to the card"
    """
    groups: dict[str, list[str]] = {}
    for field in fields:
        groups.setdefault(field.split(".", 1)[0], []).append(field)
    lines = []
    for group, names in groups.items():
        where = _WHERE_TO_FILL.get(group, _DURING_THE_CALL)
        lines.append(
            f"Missing: {', '.join(names)} — {where.format(it='it' if len(names) == 1 else 'them')}"
        )
    return "\n".join(lines)


def speaking_time(seconds: int) -> str:
    """ "about 24 seconds", "about 1 minute 5 seconds"."""
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"about {seconds} second{'s' if seconds != 1 else ''}"
    spoken = f"about {minutes} minute{'s' if minutes != 1 else ''}"
    return spoken + (f" {rest} second{'s' if rest != 1 else ''}" if rest else "")


class ScriptPreviewPane(QWidget):
    """The lookup's right side: the script's title, what is missing, its subject and text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setObjectName("scriptHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)

        self._missing = QLabel(self)
        self._missing.setObjectName("scriptMissing")
        self._missing.setAccessibleName("Missing fields")
        self._missing.setWordWrap(True)
        self._missing.setTextFormat(Qt.TextFormat.PlainText)
        self._missing.setAutoFillBackground(True)
        self._missing.setMargin(4)
        palette = self._missing.palette()
        palette.setColor(QPalette.ColorRole.Window, missing_highlight(self.palette()))
        self._missing.setPalette(palette)

        self._subject = QLabel(self)
        self._subject.setObjectName("scriptSubject")
        self._subject.setAccessibleName("Email subject")
        self._subject.setWordWrap(True)
        self._subject.setTextFormat(Qt.TextFormat.PlainText)
        self._subject.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self._speaking = QLabel(self)
        self._speaking.setObjectName("scriptSpeakingTime")
        self._speaking.setAccessibleName("Speaking time")

        self.text_view = QTextBrowser(self)
        self.text_view.setObjectName("scriptPreview")
        self.text_view.setAccessibleName("Script text")
        self.text_view.setOpenLinks(False)
        # The rep reads this aloud mid-call: a size up from the interface font.
        font = QFont(self.text_view.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.text_view.setFont(font)
        self.text_view.setTabChangesFocus(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self._missing)
        layout.addWidget(self._subject)
        layout.addWidget(self._speaking)
        layout.addWidget(self.text_view, 1)

    def _hide_details(self) -> None:
        for label in (self._missing, self._subject, self._speaking):
            label.hide()

    def show_nothing(self) -> None:
        self.heading.setText("No script matches. Clear the filter to see them all.")
        self._hide_details()
        self.text_view.clear()

    def show_title(self, info: ScriptInfo) -> None:
        self.heading.setText(f"<b>{html.escape(info.title)}</b> — {html.escape(info.used_when)}")

    def show_error(self, message: str) -> None:
        """A script's mistake is shown where the text would be, not as a crash."""
        self._hide_details()
        self.text_view.setHtml(error_html(message))

    def show_rendered(self, rendered: RenderedScript) -> None:
        self._missing.setText(missing_note(rendered.missing_fields))
        # The name says what the label is; a reader hears which fields in the description.
        self._missing.setAccessibleDescription(self._missing.text())
        self._missing.setVisible(bool(rendered.missing_fields))
        self._subject.setText(f"Subject: {rendered.subject}" if rendered.subject else "")
        self._subject.setVisible(rendered.subject is not None)
        seconds = rendered.speaking_seconds
        self._speaking.setText(f"Speaking time: {speaking_time(seconds)}" if seconds else "")
        self._speaking.setAccessibleDescription(speaking_time(seconds) if seconds else "")
        self._speaking.setVisible(seconds is not None)
        self.text_view.setHtml(preview_html(rendered.text, self.text_view.palette()))
