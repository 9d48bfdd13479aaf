"""A warning tint is seen and read on whatever window a rep's theme paints."""

import pytest
from PySide6.QtGui import QColor, QPalette

from ui.tints import DANGER_HUE, SEEN_CONTRAST, TEXT_CONTRAST, WARNING_HUE, contrast, tint_colours

THEMES = {
    "Fusion light": ("#efefef", "#000000"),
    "Breeze Dark": ("#2a2e32", "#fcfcfc"),
    "high contrast black": ("#000000", "#ffffff"),
    "high contrast white": ("#ffffff", "#000000"),
    "mid grey": ("#808080", "#000000"),
    "Solarized dark": ("#002b36", "#93a1a1"),
}
"""(window, text) of themes reps use, from the plainest to the least usual."""


@pytest.mark.parametrize("hue", [WARNING_HUE, DANGER_HUE], ids=["amber", "red"])
@pytest.mark.parametrize("theme", THEMES)
def test_a_warning_stands_out_from_the_window_and_its_words_read(qapp, theme, hue):
    del qapp
    window, text = (QColor(colour) for colour in THEMES[theme])
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, window)
    palette.setColor(QPalette.ColorRole.WindowText, text)
    background, words = tint_colours(palette, hue)
    assert contrast(background, window) >= SEEN_CONTRAST
    assert contrast(words, background) >= TEXT_CONTRAST
    assert words in (window, text)  # the theme's own colours, never a colour of ours
