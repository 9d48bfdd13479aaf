"""The call screen as a whole: reachable by Tab, named for a screen reader, readable, in view."""

import re

import pytest
import shiboken6
from key_presses import press
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible, QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QStyle,
    QStyleOptionButton,
    QTableView,
    QWidget,
)

from ui.mainwindow import MainWindow
from ui.models.pains import WORDS_COLUMN
from ui.screen_fit import WINDOW_FRAME, keep_dialogs_on_screen

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def start_call(qtbot, window):
    """Brightwire open, on the call."""
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "brightwire")
    with qtbot.waitSignal(window.prospect_list.prospect_activated):
        press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F5)
    assert window.call_panel.in_call()


def start_call_with_a_pain(qtbot, window):
    """Brightwire open, on the call, one present pain noted in their words."""
    start_call(qtbot, window)
    press(qtbot, Qt.Key.Key_2, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "ads ring phones nobody answers")


def walk(qtbot, window, backwards=False, limit=40):
    """Press Tab (or Shift+Tab) until the keys leave the call panel; the names passed."""
    passed = []
    for _ in range(limit):
        if backwards:
            press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        else:
            press(qtbot, Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if not window.call_panel.isAncestorOf(focused):
            return passed
        passed.append(focused.objectName())
    raise AssertionError(f"Tab never left the call panel: {passed[-10:]}")


def in_order(passed, wanted):
    """``wanted`` appear in ``passed`` in this order, each exactly once."""
    assert [name for name in passed if name in wanted] == list(wanted), passed


def test_tab_walks_the_call_from_the_time_check_through_the_pains_and_out(qtbot, window):
    start_call_with_a_pain(qtbot, window)
    window.call_panel.findChild(QWidget, "timeCheckAsked").setFocus()

    forward = ["timeCheckAsked", *walk(qtbot, window)]
    in_order(
        forward,
        ("timeCheckAsked", "timeCheckMinutes", "timeCheckCallType", "painTable", "painWords"),
    )
    backward = walk(qtbot, window, backwards=True)
    in_order(backward, ("painWords", "painTable", "timeCheckCallType", "timeCheckAsked"))

    # Hung up: the outcome bar joins the chain after the pains, and Tab leaves it too.
    press(qtbot, Qt.Key.Key_F6)
    window.call_panel.findChild(QWidget, "painWords").setFocus()
    ending = walk(qtbot, window)
    in_order(ending, ("painAsked", "outcome_connected", "outcomeNote", "logCallButton"))
    assert "painTable" not in ending


CODE_LIKE = re.compile(r"(^|\s)([a-z]+[A-Z]\w*|[a-z0-9]+_\w+)(\s|$)")
"""camelCase or snake_case words: an objectName, not words a person would say."""
ITEMS = {QAccessible.Role.ListItem, QAccessible.Role.Cell, QAccessible.Role.PageTab}
"""Rows, cells and tabs are named by their own text; their views are checked instead."""


def heard_name(interface):
    """The name a screen reader says for this part.

    Qt on Linux names a combo box by its value and says what it is through its
    label (the "labelled by" relation), so there the label's words count.
    """
    if interface.role() == QAccessible.Role.ComboBox:
        labels = interface.relations(QAccessible.Relation.Label)
        return " ".join(label.text(QAccessible.Text.Name) for label, _relation in labels)
    return interface.text(QAccessible.Text.Name)


def focusable_parts(window):
    """Every part of the window's accessible tree a reader can land on, with its heard name."""
    found = []
    pending = [QAccessible.queryAccessibleInterface(window)]
    while pending:
        interface = pending.pop()
        state = interface.state()
        if state.invisible:
            continue
        if state.focusable and interface.role() not in ITEMS:
            part = interface.object()
            found.append((part.objectName() if part else "?", heard_name(interface)))
        pending.extend(interface.child(i) for i in range(interface.childCount()))
    return found


def unnamed_or_coded(window):
    return [
        (part, name)
        for part, name in focusable_parts(window)
        if not name.strip() or CODE_LIKE.search(name)
    ]


def test_a_screen_reader_hears_every_part_of_the_call_in_words(qtbot, window):
    start_call_with_a_pain(qtbot, window)
    press(qtbot, Qt.Key.Key_1, ALT)  # 5 minutes: the reschedule part opens too
    parts = dict(focusable_parts(window))
    assert {"timeCheckCallType", "slotDate", "painWords", "prospectStatus"} <= parts.keys()
    assert parts["timeCheckCallType"].startswith("Call type")
    assert unnamed_or_coded(window) == []

    press(qtbot, Qt.Key.Key_F6)
    assert "outcomeNote" in dict(focusable_parts(window))
    assert unnamed_or_coded(window) == []


def test_every_label_of_a_field_is_its_buddy(qtbot, window):
    start_call_with_a_pain(qtbot, window)
    press(qtbot, Qt.Key.Key_F6)
    assert labels_checked(window) > 10


def labels_checked(root):
    """How many form labels under ``root`` name a field; fails on one not tied to it."""
    checked = 0
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or field is None or not isinstance(label.widget(), QLabel):
                continue
            fields = [
                widget
                for widget in widgets_in(field)
                if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ]
            if fields:
                checked += 1
                assert label.widget().buddy() in fields, label.widget().text()
    return checked


def widgets_in(item):
    """The widgets of a layout item, itself and everything inside it."""
    widget = item.widget()
    if widget is not None:
        return [widget, *widget.findChildren(QWidget)]
    layout = item.layout()
    if layout is None:
        return []
    return [found for index in range(layout.count()) for found in widgets_in(layout.itemAt(index))]


def squeezed(widget):
    """Laid out lower than its words need: a big font in too little room cuts them."""
    if isinstance(widget, QHeaderView):
        # A header needs the height of its titles, not that of Qt's smallest scroll area.
        return widget.height() < widget.sizeHint().height()
    if isinstance(widget, QAbstractScrollArea):
        # What it holds scrolls rather than being cut (the pains table: see cut_words).
        return False
    if widget.hasHeightForWidth():
        return widget.height() < widget.heightForWidth(widget.width())
    return widget.height() < widget.minimumSizeHint().height()


def fully_in_view(widget):
    """Shown whole: inside every parent up to the window (a scroll area's viewport too),
    and neither it nor what it holds squeezed."""
    if not widget.isVisible():
        return False
    parts = [widget, *widget.findChildren(QWidget)]
    if any(squeezed(part) for part in parts if part.isVisible() and not part.isWindow()):
        return False
    window = widget.window()
    shown = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    holder = widget.parentWidget()
    while holder is not None and holder is not window:
        if not QRect(holder.mapTo(window, QPoint(0, 0)), holder.size()).contains(shown):
            return False
        holder = holder.parentWidget()
    return window.rect().contains(shown)


@pytest.fixture
def big_font(qapp):
    """A 16 pt application font, as a rep who set a large system font has; put back after."""
    before = QFont(qapp.font())
    larger = QFont(before)
    larger.setPointSize(16)
    qapp.setFont(larger)
    yield
    qapp.setFont(before)


@pytest.mark.parametrize(
    ("width", "height", "font"),
    [
        (1280, 720, None),
        (1366, 768, None),
        (960, 540, None),
        (1280, 720, "big_font"),
        (1366, 768, "big_font"),
    ],
)
def test_what_a_call_needs_stays_in_view(
    qtbot, request, demo_bridge, settings, width, height, font
):
    if font:
        request.getfixturevalue(font)
    window = MainWindow(demo_bridge, settings)
    qtbot.addWidget(window)
    window.resize(width, height)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    listing = window.left_tabs
    assert listing.isVisible()

    start_call_with_a_pain(qtbot, window)
    press(qtbot, Qt.Key.Key_G, ALT)
    press(qtbot, Qt.Key.Key_1, ALT)  # 5 minutes: reschedule, and the long proposal opens
    press(qtbot, Qt.Key.Key_4, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "another agency lost a whole vet group")
    qtbot.waitUntil(lambda: not listing.isVisible())  # the call gets the room
    decision = window.findChild(QLabel, "timeCheckDecision")
    words = window.findChild(QLineEdit, "painWords")
    timer = window.findChild(QLabel, "callTimer")
    who = window.findChild(QLabel, "callProspect")
    assert decision.text().startswith("Reschedule")
    qtbot.waitUntil(lambda: all(fully_in_view(part) for part in (decision, words, timer, who)))
    pains = window.findChild(QTableView, "painTable")
    qtbot.waitUntil(lambda: len(words_in(pains)) == 2 and cut_words(pains) == [])
    assert without_empty_rows(pains)

    press(qtbot, Qt.Key.Key_F6)
    outcome = window.findChild(QWidget, "outcomeBar")
    note = window.findChild(QLineEdit, "outcomeNote")
    qtbot.waitUntil(lambda: all(fully_in_view(part) for part in (outcome, note, decision, timer)))

    press(qtbot, Qt.Key.Key_1)
    with qtbot.waitSignal(window.call_panel.call_finished):
        press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(listing.isVisible)  # back after the call, for who is next


def words_in(table):
    return [
        table.model().index(row, WORDS_COLUMN).data() for row in range(table.model().rowCount())
    ]


def cut_words(table):
    """The pains' words that the table does not show whole: cut short, or out of its view."""
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    cut = []
    for row in range(table.model().rowCount()):
        index = table.model().index(row, WORDS_COLUMN)
        cell = table.visualRect(index)
        words = index.data()
        room = cell.width() - 2 * margin
        needed = table.fontMetrics().boundingRect(
            QRect(0, 0, room, 10 * cell.height()), Qt.TextFlag.TextWordWrap, words
        )
        whole = needed.width() <= room and needed.height() <= cell.height()
        if not (whole and table.viewport().rect().contains(cell)):
            cut.append(words)
    return cut


def without_empty_rows(table):
    """As tall as the pains heard: each whole, and no empty room below them."""
    rows = range(table.model().rowCount())
    return table.viewport().height() == sum(table.rowHeight(row) for row in rows)


@pytest.mark.usefixtures("big_font")
def test_at_16_pt_the_pains_show_the_prospects_words_whole(qtbot, demo_bridge, settings):
    window = MainWindow(demo_bridge, settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    table = window.findChild(QTableView, "painTable")
    start_call(qtbot, window)
    assert not table.isVisible()  # no empty rows before a pain is heard: the hint instead
    assert window.findChild(QLabel, "painHint").isVisible()

    press(qtbot, Qt.Key.Key_2, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "ads ring phones nobody answers after six")
    press(qtbot, Qt.Key.Key_4, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "another agency lost a whole vet group")
    heard = ["ads ring phones nobody answers after six", "another agency lost a whole vet group"]
    # Once saved, as the rep pauses: the table shows what the database holds.
    qtbot.waitUntil(lambda: words_in(table) == heard)
    qtbot.waitUntil(lambda: cut_words(table) == [])
    assert table.rowHeight(0) > table.fontMetrics().lineSpacing() * 2  # on several lines
    assert without_empty_rows(table)

    tall = table.height()
    window.resize(window.width() - 200, window.height())  # a narrower words column
    qtbot.waitUntil(lambda: table.height() > tall)
    qtbot.waitUntil(lambda: cut_words(table) == [])
    assert without_empty_rows(table)


@pytest.mark.usefixtures("big_font")
def test_at_16_pt_every_check_box_on_the_call_is_as_big_as_its_words(qtbot, window):
    start_call_with_a_pain(qtbot, window)
    boxes = [box for box in window.call_panel.findChildren(QCheckBox) if box.isVisible()]
    names = {box.objectName() for box in boxes}
    assert {"timeCheckAsked", "painAsked", "painAcknowledged", "painCanHelp"} <= names
    for box in boxes:
        option = QStyleOptionButton()
        box.initStyleOption(option)
        indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
        assert indicator.height() >= box.fontMetrics().ascent(), box.objectName()


def test_the_quick_minute_buttons_stay_put_when_the_advice_flips(qtbot, window):
    start_call_with_a_pain(qtbot, window)
    five = window.call_panel.findChild(QWidget, "quickMinutes5")
    decision = window.findChild(QLabel, "timeCheckDecision")
    places = set()
    for key, says in ((Qt.Key.Key_1, "Reschedule"), (Qt.Key.Key_5, "Proceed")) * 2:
        press(qtbot, key, ALT)
        qtbot.waitUntil(lambda says=says: decision.text().startswith(says))
        places.add(five.mapTo(window, QPoint(0, 0)).x())
    assert len(places) == 1  # the rep's eyes and mouse find them where they were


DIALOG_ACTIONS = (
    "new_action",
    "bookings_action",
    "assign_action",
    "trash_action",
    "settings_action",
    "review_action",
    "lookup_action",
    "editor_action",
    "shortcuts_action",
    "import_action",
)
"""Every dialog the window opens, by the menu action (and its keys) that opens it."""


def open_dialog(qtbot, window, action_name):
    """The dialog behind ``action_name``, opened on Brightwire as a rep would."""
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "brightwire")
    with qtbot.waitSignal(window.prospect_list.prospect_activated):
        press(qtbot, Qt.Key.Key_Return)
    getattr(window, action_name).trigger()
    dialog = window.current_dialog()
    assert dialog is not None, action_name
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize("action_name", DIALOG_ACTIONS)
def test_a_screen_reader_hears_every_dialog_in_words(qtbot, window, action_name):
    dialog = open_dialog(qtbot, window, action_name)
    name = QAccessible.queryAccessibleInterface(dialog).text(QAccessible.Text.Name)
    assert name.strip()
    assert not CODE_LIKE.search(name), name
    assert focusable_parts(dialog)
    assert unnamed_or_coded(dialog) == []
    labels_checked(dialog)


@pytest.mark.parametrize("action_name", DIALOG_ACTIONS)
def test_every_dialog_opens_inside_the_free_part_of_the_screen(qtbot, window, action_name):
    dialog = open_dialog(qtbot, window, action_name)
    available = dialog.screen().availableGeometry()
    # Offscreen, the screen is 800x800: narrower than the review asks for, about
    # what a 1080p screen holds at 200% (960x540) or 150% (1280x720) in width.
    assert available.width() < 1200
    qtbot.waitUntil(lambda: available.contains(dialog.geometry().marginsAdded(WINDOW_FRAME)))
    # What scrolls is reached by scrolling; the buttons that close or act must be in sight.
    fixed = [
        button
        for button in dialog.findChildren(QAbstractButton)
        if button.isVisible() and not any(area.isAncestorOf(button) for area in scrollers(dialog))
    ]
    assert fixed
    for button in fixed:
        shown = QRect(button.mapTo(dialog, QPoint(0, 0)), button.size())
        assert dialog.rect().contains(shown), button.text()


def scrollers(dialog):
    return dialog.findChildren(QAbstractScrollArea)


@pytest.fixture
def dialogs_kept_on_screen(qapp):
    """Every dialog kept inside its screen, as callassist starts the application."""
    keeper = keep_dialogs_on_screen(qapp)
    yield
    # Gone at once: the next test's application must not find it still there.
    shiboken6.delete(keeper)


def message_box(owner):
    return QMessageBox(
        QMessageBox.Icon.Question,
        "Leave the script unsaved?",
        "What you changed in this script is not saved yet.",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        owner,
    )


def file_dialog(owner):
    # Qt's own file dialog, the one a desktop without a file chooser of its own shows.
    files = QFileDialog(owner, "Export prospects")
    files.setOption(QFileDialog.Option.DontUseNativeDialog)
    return files


def owner_in_the_corner(qtbot):
    """A shown window in the screen's corner, half off it, and the screen's free part: a
    dialog centred over it would hang over the screen's edge with its buttons."""
    owner = QWidget()
    qtbot.addWidget(owner)
    owner.resize(400, 300)
    available = owner.screen().availableGeometry()
    owner.move(available.right() - 200, available.bottom() - 150)
    owner.show()
    qtbot.waitExposed(owner)
    return owner, available


@pytest.mark.usefixtures("dialogs_kept_on_screen")
@pytest.mark.parametrize("make", [message_box, file_dialog])
def test_a_message_box_or_file_dialog_opens_inside_the_screen(qtbot, make):
    owner, available = owner_in_the_corner(qtbot)
    opened = make(owner)
    opened.open()
    qtbot.waitExposed(opened)
    qtbot.waitUntil(lambda: available.contains(opened.geometry().marginsAdded(WINDOW_FRAME)))
    opened.close()


@pytest.mark.usefixtures("dialogs_kept_on_screen")
def test_a_message_box_asked_again_opens_inside_the_screen_again(qtbot):
    owner, available = owner_in_the_corner(qtbot)
    asked = message_box(owner)
    for _ in range(2):
        asked.open()
        qtbot.waitExposed(asked)
        qtbot.waitUntil(lambda: available.contains(asked.geometry().marginsAdded(WINDOW_FRAME)))
        asked.close()
        # Dragged half off the screen before it is asked again.
        asked.move(available.right() - 50, available.bottom() - 50)


def test_the_queue_and_the_day_review_chart_are_named_in_words(qtbot, window):
    press(qtbot, Qt.Key.Key_F, CTRL)
    window.queue_action.trigger()
    assert window.queue.isVisible()
    assert unnamed_or_coded(window) == []
    window.review_action.trigger()
    chart = window.current_dialog().findChild(QWidget, "activityChart")
    assert not CODE_LIKE.search(chart.accessibleName())


def test_what_to_say_first_is_under_the_header_when_the_call_starts(qtbot, demo_bridge, settings):
    window = MainWindow(demo_bridge, settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    start_call_with_a_pain(qtbot, window)
    prospect = demo_bridge.desk.prospect(window.card.current_prospect_id())
    say = window.findChild(QLabel, "sayNow")
    qtbot.waitUntil(lambda: fully_in_view(say))
    assert say.text().startswith(f"Say: Hi {prospect.first_name},")
    assert "still a good time" in say.text()
    assert say.accessibleName() == "What to say now"
    assert say.accessibleDescription() in say.text()
    asked = window.findChild(QWidget, "timeCheckAsked")
    timer = window.findChild(QLabel, "callTimer")
    # The header, then the words, then the time check.
    assert top(timer) < top(say) < top(asked)

    press(qtbot, Qt.Key.Key_5, ALT)  # they have the time: on to the opener
    qtbot.waitUntil(lambda: "still a good time" not in say.text())
    assert prospect.company in say.text()  # the question stays until the opener replaces it
    qtbot.waitUntil(lambda: fully_in_view(say))

    press(qtbot, Qt.Key.Key_F6)  # hung up: nothing left to say
    assert not say.isVisible()


def top(widget):
    return widget.mapTo(widget.window(), QPoint(0, 0)).y()
