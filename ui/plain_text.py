"""Prospect data shown as the words typed, never as markup.

Qt guesses from the text itself whether a label's or a tooltip's text is rich
(Qt.mightBeRichText): a company typed as "<b>Acme</b>" would show in bold, and
"<img src=x>" as a broken image. A label showing such data takes
Qt.TextFormat.PlainText; a tooltip has no such setting, so text Qt would take
for markup goes in as rich text made from the plain words, which shows every
character as typed.
"""

from PySide6.QtGui import Qt


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip that shows it as typed; text Qt reads as plain stays as it is."""
    return Qt.convertFromPlainText(text) if Qt.mightBeRichText(text) else text
