"""Check boxes as big as their words.

Qt's styles size an indicator in pixels whatever the font: at a 14-16 pt system
font a check box stays about 10 px beside words twice as tall, hard to see and to hit.

The sizing style is given to each check box, not to the application: a style written
in Python is asked every size from Python, thousands of times each time the window is
laid out and drawn (a table drew half as slowly again, measured), and only the check
boxes need it.
"""

from typing import cast

from PySide6.QtWidgets import QApplication, QCheckBox, QProxyStyle, QStyle, QStyleOption, QWidget

INDICATORS = (
    QStyle.PixelMetric.PM_IndicatorWidth,
    QStyle.PixelMetric.PM_IndicatorHeight,
    QStyle.PixelMetric.PM_ExclusiveIndicatorWidth,
    QStyle.PixelMetric.PM_ExclusiveIndicatorHeight,
)


class FontSizedIndicators(QProxyStyle):
    """The base style, with indicators at least as tall as the letters beside them rise."""

    def pixelMetric(  # noqa: N802 - Qt's name
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        size = super().pixelMetric(metric, option, widget)
        if metric not in INDICATORS:
            return size
        if option is not None:
            rise = option.fontMetrics.ascent()
        elif widget is not None:
            rise = widget.fontMetrics().ascent()
        else:
            return size
        return max(size, rise)


def sized_check_box(text: str) -> QCheckBox:
    """A check box whose indicator grows with its font, in the application's style."""
    box = QCheckBox(text)
    box.setStyle(_sizing_style())
    return box


def _sizing_style() -> FontSizedIndicators:
    """One sizing style per application style, owned by the application."""
    application = cast(QApplication, QApplication.instance())
    base = application.style().name()
    for style in application.findChildren(FontSizedIndicators):
        if style.baseStyle().name() == base:
            return style
    style = FontSizedIndicators(base)
    style.setParent(application)
    return style
