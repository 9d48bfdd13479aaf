"""The application style, with check boxes and radio buttons as big as their words.

Qt's styles size an indicator in pixels whatever the font: at a 14-16 pt system
font a check box stays about 10 px beside words twice as tall, hard to see and to hit.
"""

from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

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


def use_style(app: QApplication, base: str | None = None) -> None:
    """Give ``app`` the style ``base`` (the platform's own if None), font-sized indicators."""
    app.setStyle(FontSizedIndicators(base) if base else FontSizedIndicators())
