"""What the rep typed shows as typed: a name like "<b>Bold</b>" is text, never markup.

Qt guesses rich text from the text itself, in labels and tooltips alike, so
every place that shows a prospect's name or company is read here the way Qt
would draw it, and must still hold the literal characters.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from key_presses import press
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QTableView, QTextBrowser

from callassist.vocabulary import PainKind
from ui.dialogs.review import ReviewDialog
from ui.dialogs.script_lookup import ScriptLookupDialog
from ui.models.pains import WORDS_COLUMN
from ui.widgets.enrollment import EnrollmentBox

FIRST = "<b>Bold</b>"
COMPANY = "<img src=x> & Sons"
CHICAGO = ZoneInfo("America/Chicago")
CTRL = Qt.KeyboardModifier.ControlModifier


def as_drawn(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """``text`` as Qt draws it in a label of ``text_format`` (a tooltip is AutoText)."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(text)
    )
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def label_text(parent, name) -> str:
    label = parent.findChild(QLabel, name)
    assert label is not None, name
    return as_drawn(label.text(), label.textFormat())


@pytest.fixture
def bold(desk):
    return desk.add_prospect(
        first_name=FIRST,
        last_name="Quill",
        company=COMPANY,
        phone="(312) 555-0150",
        timezone="America/Chicago",
    )


@pytest.fixture
def window(open_window, bridge, bold):
    del bold
    return open_window(bridge)


def open_bold(qtbot, window):
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(QApplication.focusWidget(), "Quill")
    with qtbot.waitSignal(window.prospect_list.prospect_activated):
        press(qtbot, Qt.Key.Key_Return)


def test_the_card_the_call_panel_and_the_list_show_the_name_as_typed(qtbot, window):
    open_bold(qtbot, window)

    assert label_text(window.card, "prospectName") == f"{FIRST} Quill"
    assert COMPANY in label_text(window.card, "prospectSubtitle")
    assert label_text(window.call_panel, "callProspect").startswith(
        f"Call {FIRST} Quill · {COMPANY} · (312) 555-0150"
    )
    press(qtbot, Qt.Key.Key_F5)
    assert label_text(window.call_panel, "callProspect").startswith(
        f"On the call with {FIRST} Quill · {COMPANY}"
    )

    listing = window.prospect_list.findChild(QTableView, "prospectList")
    tooltip = listing.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert COMPANY in as_drawn(tooltip)


def test_the_script_lookup_shows_the_name_and_company_as_typed(qtbot, window):
    open_bold(qtbot, window)

    press(qtbot, Qt.Key.Key_K, CTRL)
    dialog = window.findChild(ScriptLookupDialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.waitUntil(lambda: not dialog.preview_pending())  # rendered in a worker

    assert label_text(dialog, "scriptProspect") == f"Filled in for {FIRST} Quill · {COMPANY}"
    assert f"Hi {FIRST}" in dialog.findChild(QTextBrowser, "scriptPreview").toPlainText()
    assert dialog.windowTitle() == f"Scripts — {FIRST} Quill"


def test_the_queue_tooltip_and_line_show_the_name_as_typed(qtbot, window, desk, bold):
    desk.enroll(bold.id, "three_voicemails")

    press(qtbot, Qt.Key.Key_T, CTRL)

    model = window.queue.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    tooltip = as_drawn(model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole))
    assert tooltip.startswith(f"{FIRST} Quill · {COMPANY} — Call, leave a message")
    assert label_text(window.queue, "queueDetail").startswith(f"{FIRST} Quill · {COMPANY}")


def test_the_review_names_the_prospect_as_typed(qtbot, window, desk, bold, moving):
    moving.at = datetime(2026, 3, 10, 9, 0, tzinfo=CHICAGO)
    desk.start_call(bold.id)  # left without an outcome
    desk.enroll(bold.id, "three_voicemails")  # and due again tomorrow
    moving.at = datetime(2026, 3, 10, 17, 30, tzinfo=CHICAGO)

    press(qtbot, Qt.Key.Key_R, CTRL)
    dialog = window.findChild(ReviewDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.waitUntil(lambda: not dialog.is_working_out())  # read in a worker

    missing = dialog.findChild(QTableView, "reviewMissingOutcomes")
    tooltip = missing.model().index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert as_drawn(tooltip).startswith(f"{FIRST} Quill's call at 9:00 AM has no outcome")
    tomorrow = dialog.findChild(QTableView, "reviewTomorrow")
    assert as_drawn(tomorrow.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)).startswith(
        f"{FIRST} Quill · {COMPANY}"
    )

    press(qtbot, Qt.Key.Key_Return)
    assert label_text(dialog, "reviewOutcomePrompt").startswith(f"How did {FIRST} Quill's call")
    with qtbot.waitSignal(dialog.outcome_fixed):
        press(qtbot, Qt.Key.Key_3)  # no answer
    assert label_text(dialog, "reviewMessage").startswith(f"Logged {FIRST} Quill's call")


def test_the_pain_pane_says_back_the_words_and_company_as_typed(qtbot, window, desk, bold):
    open_bold(qtbot, window)
    press(qtbot, Qt.Key.Key_F5)

    press(qtbot, Qt.Key.Key_4, CTRL)  # a peers pain, whose say-back names their company
    qtbot.keyClicks(QApplication.focusWidget(), "<i>lost</i> a client")

    say_back = window.findChild(QLabel, "painAcknowledgement")
    qtbot.waitUntil(lambda: "<i>lost</i>" in as_drawn(say_back.toolTip()))
    assert COMPANY in as_drawn(say_back.toolTip())
    assert "<i>lost</i>" in as_drawn(say_back.text(), say_back.textFormat())
    # Once saved, the list of pains shows the words on hover as typed too.
    words = window.findChild(QTableView, "painTable").model().index(0, WORDS_COLUMN)
    qtbot.waitUntil(lambda: words.data(Qt.ItemDataRole.ToolTipRole) is not None)
    assert as_drawn(words.data(Qt.ItemDataRole.ToolTipRole)) == "<i>lost</i> a client"
    [pain] = desk.prospect_detail(bold.id).pains
    assert (pain.kind, pain.words) == (PainKind.PEERS, "<i>lost</i> a client")


def test_the_enrollment_box_shows_a_cadence_of_the_reps_as_written(
    qtbot, bridge, desk, bold, tmp_path
):
    mine = tmp_path / "xdg-config" / "callassist" / "cadences"
    mine.mkdir(parents=True)
    (mine / "weekly.toml").write_text(
        'title = "<b>Weekly</b>"\n'
        '[[steps]]\naction = "call"\nwait = "none"\nprompt = "Ask for <i>Ops</i>"\n',
        encoding="utf-8",
    )
    desk.enroll(bold.id, "weekly")

    box = EnrollmentBox(bridge)
    qtbot.addWidget(box)
    box.show()
    box.set_prospect(bold.id)

    assert label_text(box, "enrollmentState") == "<b>Weekly</b> · step 1 of 1"
    assert label_text(box, "enrollmentPrompt") == "Ask for <i>Ops</i>"


def test_the_reschedule_words_name_the_company_as_typed(qtbot, window):
    open_bold(qtbot, window)
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # asked if it's a good time
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # they have 5 minutes

    proposal = window.call_panel.findChild(QLabel, "rescheduleScript")
    qtbot.waitUntil(proposal.isVisible)
    assert COMPANY in as_drawn(proposal.text(), proposal.textFormat())
