"""Warning tints the rep sees from the corner of an eye, in any theme.

A tint is a hue (amber: heads up, red: over time or refused) on a background
worked out from the palette the widget sits in: far enough from the window's
own colour to stand out (WCAG 3:1, the contrast asked of anything that must
be seen), with whichever of the palette's two text colours reads best on it
(at least 4.5:1, WCAG's contrast for text). A pale amber on a light window is
1.1:1, invisible; so a light theme gets a deep amber and a dark theme a bright
one. The words say the same thing as the colour, for those who do not see it.
"""

from functools import lru_cache, partial

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

WARNING_HUE = 38
"""Amber: time is nearly up, or something was left undone."""
DANGER_HUE = 4
"""Red: over time, or an action was refused."""

SEEN_CONTRAST = 3.0
"""WCAG 2.1 (1.4.11): a state shown by colour, against what is around it."""
TEXT_CONTRAST = 4.5
"""WCAG 2.1 (1.4.3): normal text against its background."""
SATURATION = 0.85
HUE_PROPERTY = "tintHue"
"""The hue a widget is tinted with, kept on it so a theme change can tint it again."""


def relative_luminance(color: QColor) -> float:
    """WCAG's relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * linear(color.redF())
        + 0.7152 * linear(color.greenF())
        + 0.0722 * linear(color.blueF())
    )


def on(color: QColor, background: QColor) -> QColor:
    """``color`` as painted over an opaque ``background``: a see-through grey is lighter."""
    alpha = color.alphaF()
    return QColor.fromRgbF(
        color.redF() * alpha + background.redF() * (1 - alpha),
        color.greenF() * alpha + background.greenF() * (1 - alpha),
        color.blueF() * alpha + background.blueF() * (1 - alpha),
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio of two colours, from 1 (the same) to 21 (black on white).

    ``first`` may be see-through (Qt's placeholder grey is the text colour at half
    alpha); it is measured as painted over ``second``.
    """
    first = on(first, second)
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


RgbF = tuple[float, float, float, float]


def _rgbf(color: QColor) -> RgbF:
    return color.redF(), color.greenF(), color.blueF(), color.alphaF()


def tint_colours(palette: QPalette, hue: int) -> tuple[QColor, QColor]:
    """(background, text) for a ``hue`` tint on a window of ``palette``.

    The background moves away from the window's lightness (darker on a light
    window, lighter on a dark one) until it stands out and one of the palette's
    text colours reads on it; the text is that colour.
    """
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    background, shown = _tint_colours(_rgbf(window), _rgbf(text), hue)
    return QColor.fromRgbF(*background), QColor.fromRgbF(*shown)


@lru_cache(maxsize=32)
def _tint_colours(window_rgbf: RgbF, text_rgbf: RgbF, hue: int) -> tuple[RgbF, RgbF]:
    # Worked out once per palette and hue: a call's start and end tint the panel's
    # status line again, and this search took 15 ms each time.
    window = QColor.fromRgbF(*window_rgbf)
    texts = (QColor.fromRgbF(*text_rgbf), window)
    going_darker = window.lightnessF() >= 0.5
    steps = 100
    for step in range(steps + 1):
        lightness = (0.5 - 0.5 * step / steps) if going_darker else (0.5 + 0.5 * step / steps)
        background = QColor.fromHslF(hue / 360, SATURATION, lightness)
        text = max(texts, key=lambda color: contrast(color, background))
        if (
            contrast(background, window) >= SEEN_CONTRAST
            and contrast(text, background) >= TEXT_CONTRAST
        ):
            return _rgbf(background), _rgbf(text)
    # A palette with no contrast in itself (window and text alike): black or white.
    return _rgbf(QColor.fromHslF(hue / 360, SATURATION, 0.5)), _rgbf(QColor("black"))


def muted_text(palette: QPalette) -> QColor:
    """A grey for words that matter less ("closed"), still read at 4.5:1 on every row.

    The palette's placeholder grey (the text colour at half alpha) is about 4:1 on
    light rows; it is moved toward the text colour only as far as it takes to read
    on both row colours.
    """
    roles = (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.PlaceholderText,
        QPalette.ColorRole.Base,
        QPalette.ColorRole.AlternateBase,
    )
    text, grey, base, alternate = (_rgbf(palette.color(role)) for role in roles)
    return QColor.fromRgbF(*_muted_text(text, grey, base, alternate))


@lru_cache(maxsize=8)
def _muted_text(text_rgbf: RgbF, grey_rgbf: RgbF, base: RgbF, alternate: RgbF) -> RgbF:
    # Worked out once per palette: the list asks for it for every closed row it paints.
    text, grey = QColor.fromRgbF(*text_rgbf), QColor.fromRgbF(*grey_rgbf)
    rows = (QColor.fromRgbF(*base), QColor.fromRgbF(*alternate))
    steps = 20
    for step in range(steps + 1):
        share = step / steps
        mixed = QColor.fromRgbF(
            grey.redF() + (text.redF() - grey.redF()) * share,
            grey.greenF() + (text.greenF() - grey.greenF()) * share,
            grey.blueF() + (text.blueF() - grey.blueF()) * share,
            grey.alphaF() + (text.alphaF() - grey.alphaF()) * share,
        )
        if all(contrast(mixed, row) >= TEXT_CONTRAST for row in rows):
            return _rgbf(mixed)
    return text_rgbf


def tint(widget: QWidget, hue: int | None) -> None:
    """Give ``widget`` a warning background from its surroundings' palette, or take it away."""
    widget.setProperty(HUE_PROPERTY, hue)
    if hue is None:
        widget.setAutoFillBackground(False)
        widget.setPalette(QPalette())
        return
    parent = widget.parentWidget()
    inherited = parent.palette() if parent is not None else widget.palette()
    background, text = tint_colours(inherited, hue)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, background)
    palette.setColor(QPalette.ColorRole.WindowText, text)
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)


def tint_again(root: QObject) -> None:
    """Work every tint under ``root`` out again: the theme changed under them."""
    for widget in root.findChildren(QWidget):
        hue = widget.property(HUE_PROPERTY)
        if isinstance(hue, int):
            tint(widget, hue)


def follow_theme(root: QWidget, event: QEvent) -> None:
    """For ``root``'s changeEvent: after a theme change, its tints are worked out again.

    A tint worked out for the old theme may not be seen in the new one. Once every
    widget has taken the new palette, since a tint is worked out from its parent's.
    """
    if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
        QTimer.singleShot(0, root, partial(tint_again, root))
