"""Check boxes as big as their words, at any font size."""

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QRadioButton, QStyle, QStyleOptionButton

from ui.style import FontSizedIndicators


def indicator(box, style):
    option = QStyleOptionButton()
    box.initStyleOption(option)
    return style.subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)


def test_a_check_box_grows_with_a_large_font(qtbot):
    style = FontSizedIndicators("Fusion")
    box = QCheckBox("Asked (Alt+A)")
    qtbot.addWidget(box)
    box.setStyle(style)
    small = indicator(box, style).height()

    font = QFont(box.font())
    font.setPointSize(16)
    box.setFont(font)
    large = indicator(box, style)
    assert large.height() >= box.fontMetrics().ascent() > small
    assert large.width() == large.height()
    assert box.sizeHint().height() >= large.height()


def test_the_usual_font_keeps_the_style_s_own_size(qtbot):
    style = FontSizedIndicators("Fusion")
    plain = QStyle.PixelMetric.PM_IndicatorWidth
    radio = QRadioButton("Yes")
    qtbot.addWidget(radio)
    font = QFont(radio.font())
    font.setPointSize(6)
    radio.setFont(font)
    base = style.baseStyle().pixelMetric(plain, None, radio)
    assert style.pixelMetric(plain, None, radio) == base
