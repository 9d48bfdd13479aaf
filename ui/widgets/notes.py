"""The look of a note to the rep: a label in the palette's own "note" colours.

The tooltip roles give a soft yellow in a light theme and a matching dark
shade in a dark one, so a note reads well in either without colours of ours.
"""

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel


def as_note(label: QLabel, *, bold: bool = False, margin: int = 6) -> QLabel:
    """Make ``label`` a wrapped note in the note colours (bold for one to act on)."""
    label.setWordWrap(True)
    label.setAutoFillBackground(True)
    label.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
    label.setForegroundRole(QPalette.ColorRole.ToolTipText)
    label.setMargin(margin)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label
