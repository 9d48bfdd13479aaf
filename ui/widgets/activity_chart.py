"""The last seven days' activity as grouped bars, painted with QPainter.

Each day gets four bars (dials, connects, voicemails, emails) with its count
written above it, so the chart reads without a scale and without telling the
series apart by colour. The series colours are derived from the palette's
highlight (its hue turned round the colour wheel, their lightness chosen
against the chart's background), so they read in light and dark themes; each
series also has its own hatching, named in the legend. The numbers are also
the widget's tooltip and accessible description, for screen readers and for
anyone who would rather read than look.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from callassist.review import ACTIVITY_SERIES, DayActivity, day_label, describe_days


@dataclass(frozen=True, slots=True)
class Series:
    """One kind of bar: which figure it shows, its name, its hue turn and its hatching."""

    field: str
    label: str
    singular: str
    hue_turn: int
    hatch: Qt.BrushStyle


# Turns chosen so that with the usual blue highlight the bars come out blue,
# green, orange and purple: far apart, and none of them alarm red.
_LOOKS = (
    (0, Qt.BrushStyle.NoBrush),
    (293, Qt.BrushStyle.BDiagPattern),
    (183, Qt.BrushStyle.HorPattern),
    (63, Qt.BrushStyle.DiagCrossPattern),
)
SERIES: tuple[Series, ...] = tuple(
    Series(figure.field, figure.label, figure.singular, hue_turn, hatch)
    for figure, (hue_turn, hatch) in zip(ACTIVITY_SERIES, _LOOKS, strict=True)
)

MARGIN = 10
LEGEND_SWATCH = 14
GROUP_FILL = 0.78
"""The share of a day's width its bars take; the rest separates the days."""
DEFAULT_HUE = 210
"""The hue to turn from when the highlight is grey and has none."""


def series_colours(palette: QPalette) -> list[QColor]:
    """One colour per series, from the palette's highlight, readable on its base colour."""
    accent = palette.color(QPalette.ColorRole.Highlight)
    hue = accent.hslHue() if accent.hslHue() >= 0 else DEFAULT_HUE
    saturation = max(accent.hslSaturation(), 150)
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    # Light bars on a dark background, mid-dark ones on a light background.
    lightness = 165 if dark else 100
    return [
        QColor.fromHsl((hue + series.hue_turn) % 360, saturation, lightness) for series in SERIES
    ]


class ActivityChart(QWidget):
    """Dials, connects, voicemails and emails per day; the last day is the one reviewed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityChart")
        self.setAccessibleName("Calls of the last seven days")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._days: list[DayActivity] = []
        self.set_days([])

    def set_days(self, days: Sequence[DayActivity]) -> None:
        """Show ``days`` (oldest first)."""
        self._days = list(days)
        text = describe_days(self._days)
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self.update()

    def days(self) -> list[DayActivity]:
        return list(self._days)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        line = self.fontMetrics().height()
        return QSize(560, 8 * line + 2 * MARGIN)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        line = self.fontMetrics().height()
        return QSize(320, 6 * line + 2 * MARGIN)

    # -- painting ---------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        frame = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(frame, 4, 4)

        inner = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        text_colour = palette.color(QPalette.ColorRole.Text)
        if not self._days:
            painter.setPen(text_colour)
            painter.drawText(inner, Qt.AlignmentFlag.AlignCenter, "No activity to show.")
            painter.end()
            return
        colours = series_colours(palette)
        line = self.fontMetrics().height()
        self._paint_legend(painter, inner, colours, text_colour)

        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 6.0))
        small_line = QFontMetrics(small).height()
        # Legend, then room for the tallest bar's number, bars, the baseline and the day names.
        plot = inner.adjusted(0, line + 8 + small_line + 2, 0, -(line + 6))
        self._paint_days(painter, plot, colours, small)
        painter.end()

    def _paint_legend(
        self, painter: QPainter, area: QRectF, colours: list[QColor], text_colour: QColor
    ) -> None:
        metrics = self.fontMetrics()
        x = area.left()
        for series, colour in zip(SERIES, colours, strict=True):
            swatch = QRectF(x, area.top() + (metrics.height() - LEGEND_SWATCH) / 2, 14, 14)
            self._paint_bar(painter, swatch, colour, series.hatch)
            x = swatch.right() + 6
            painter.setPen(text_colour)
            width = metrics.horizontalAdvance(series.label)
            painter.drawText(
                QRectF(x, area.top(), width + 2, metrics.height()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                series.label,
            )
            x += width + 18

    def _paint_days(
        self, painter: QPainter, plot: QRectF, colours: list[QColor], small: QFont
    ) -> None:
        palette = self.palette()
        text_colour = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        highest = max(
            max(getattr(activity, series.field) for series in SERIES) for activity in self._days
        )
        scale = plot.height() / max(highest, 1)
        group = plot.width() / len(self._days)
        bar = group * GROUP_FILL / len(SERIES)
        small_metrics = QFontMetrics(small)
        baseline = plot.bottom()

        # The reviewed day (the last) sits on a faint band of the highlight colour.
        band_colour = QColor(palette.color(QPalette.ColorRole.Highlight))
        band_colour.setAlpha(40)
        last = QRectF(plot.left() + group * (len(self._days) - 1), plot.top(), group, plot.height())
        painter.fillRect(last.adjusted(2, -small_metrics.height(), -2, 0), band_colour)

        for position, activity in enumerate(self._days):
            left = plot.left() + group * position + group * (1 - GROUP_FILL) / 2
            painter.setFont(small)
            for number, (series, colour) in enumerate(zip(SERIES, colours, strict=True)):
                value = getattr(activity, series.field)
                x = left + bar * number
                height = value * scale
                if value:
                    self._paint_bar(
                        painter,
                        QRectF(x + 1, baseline - height, bar - 2, height),
                        colour,
                        series.hatch,
                    )
                painter.setPen(text_colour if value else muted)
                painter.drawText(
                    QRectF(
                        x - 4,
                        baseline - height - small_metrics.height(),
                        bar + 8,
                        small_metrics.height(),
                    ),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    str(value),
                )
            label_font = QFont(self.font())
            label_font.setBold(position == len(self._days) - 1)
            painter.setFont(label_font)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(
                    plot.left() + group * position, baseline + 4, group, self.fontMetrics().height()
                ),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                day_label(activity.day),
            )

        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())

    def _paint_bar(
        self, painter: QPainter, rect: QRectF, colour: QColor, hatch: Qt.BrushStyle
    ) -> None:
        """A bar (or legend swatch): the series colour, its hatching over it, a thin outline."""
        painter.fillRect(rect, colour)
        if hatch is not Qt.BrushStyle.NoBrush:
            # The hatching takes the background's colour, so it shows on any bar colour.
            lines = QColor(self.palette().color(QPalette.ColorRole.Base))
            lines.setAlpha(190)
            painter.fillRect(rect, QBrush(lines, hatch))
        painter.setPen(QPen(colour.darker(140), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect)
