"""The end-of-day review window, on a seeded day whose every figure is known.

The seeded history is the ``seeded`` fixture of tests/conftest.py, which the
core's review tests read too: Tuesday 10 March 2026 in Chicago.
"""

import io
import json
import stat
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QDateEdit, QLabel, QPushButton, QTableView

from callassist import paths
from callassist.cli import main
from callassist.vocabulary import FollowUpKind, Outcome
from ui.dialogs.review import ReviewDialog
from ui.models.queue import DUE_COLUMN, NAME_COLUMN, PROSPECT_ID_ROLE, QUEUE_ITEM_ROLE
from ui.models.review import ATTEMPT_ID_ROLE, MISSING_OUTCOME_ROLE, MissingOutcomeModel
from ui.widgets.activity_chart import ActivityChart, series_colours

CHICAGO = ZoneInfo("America/Chicago")
FIGURE_NAMES = (
    "reviewDials", "reviewConnects", "reviewConnectRate", "reviewVoicemails", "reviewEmails",
    "reviewReschedules", "reviewTimeChecks", "reviewOverran", "reviewMovedOn", "reviewPains",
    "reviewPainsAsked", "reviewPainsAcknowledged", "reviewPainsPast", "reviewPainsPresent",
    "reviewPainsFuture", "reviewPainsPeers",
)  # fmt: skip


def chicago(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=CHICAGO)


def open_review(qtbot, bridge, day=None, urls=None, opens=True):
    def open_url(url: QUrl) -> bool:
        if urls is not None:
            urls.append(url)
        return opens

    dialog = ReviewDialog(bridge, day, open_url=open_url)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    worked_out(qtbot, dialog)
    return dialog


def worked_out(qtbot, dialog):
    """Wait for the day's figures, read in a worker, to be on screen."""
    if dialog.is_working_out():
        with qtbot.waitSignal(dialog.day_worked_out):
            pass


def figures(dialog) -> dict[str, str]:
    """Every figure as the rep reads it."""
    return {name: dialog.findChild(QLabel, name).text() for name in FIGURE_NAMES}


def label(dialog, name) -> QLabel:
    return dialog.findChild(QLabel, name)


def missing_view(dialog) -> QTableView:
    return dialog.findChild(QTableView, "reviewMissingOutcomes")


def tomorrow_view(dialog) -> QTableView:
    return dialog.findChild(QTableView, "reviewTomorrow")


def column(view, role, column_number=0):
    model = view.model()
    return [model.index(row, column_number).data(role) for row in range(model.rowCount())]


def press(qtbot, dialog, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(dialog.focusWidget() or dialog, key, modifier)


def page(qtbot, dialog, key, modifier):
    """Press a key that shows another day, and wait for that day's figures."""
    press(qtbot, dialog, key, modifier)
    worked_out(qtbot, dialog)


def run_cli(db_location, clock, *argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(["--db", str(db_location), *argv], clock=clock, out=out, err=err)
    assert status == 0, err.getvalue()
    return out.getvalue()


SEEDED_TUESDAY = {
    "reviewDials": "7",
    "reviewConnects": "2",
    "reviewConnectRate": "29%",
    "reviewVoicemails": "2",
    "reviewEmails": "1",
    "reviewReschedules": "1",
    "reviewTimeChecks": "1 of 2",
    "reviewOverran": "1",
    "reviewMovedOn": "0",
    "reviewPains": "3",
    "reviewPainsAsked": "2 of 3",
    "reviewPainsAcknowledged": "1 of 3",
    "reviewPainsPast": "1",
    "reviewPainsPresent": "2",
    "reviewPainsFuture": "0",
    "reviewPainsPeers": "0",
}


def test_the_window_shows_the_same_figures_as_the_core_and_the_command_line(
    qtbot, bridge, desk, seeded, db_location, moving
):
    dialog = open_review(qtbot, bridge)

    assert dialog.objectName() == "dayReview"
    assert dialog.accessibleName() == "Day review"
    # Opened on the rep's today: 17:30 in Chicago is still Tuesday.
    assert dialog.day() == date(2026, 3, 10)
    assert label(dialog, "reviewHeadline").text() == "Tuesday, March 10, 2026"
    assert figures(dialog) == SEEDED_TUESDAY

    review = desk.review(date(2026, 3, 10))
    cli = json.loads(
        run_cli(db_location, moving, "review", "--date", "2026-03-10", "--format", "json")
    )
    shown = figures(dialog)
    for key, name in (
        ("dials", "reviewDials"),
        ("connects", "reviewConnects"),
        ("voicemails", "reviewVoicemails"),
        ("emails", "reviewEmails"),
        ("reschedules", "reviewReschedules"),
        ("overran", "reviewOverran"),
        ("moved_on", "reviewMovedOn"),
    ):
        assert shown[name] == str(cli[key]) == str(getattr(review, key)), key
    assert shown["reviewTimeChecks"] == f"{cli['time_checks_asked']} of {cli['connects']}"
    assert shown["reviewConnectRate"] == f"{cli['connects'] / cli['dials']:.0%}"
    pains = cli["pains"]
    assert shown["reviewPains"] == str(pains["total"])
    assert shown["reviewPainsAsked"] == f"{pains['asked']} of {pains['total']}"
    assert shown["reviewPainsAcknowledged"] == f"{pains['acknowledged']} of {pains['total']}"
    for kind in ("past", "present", "future", "peers"):
        assert shown[f"reviewPains{kind.title()}"] == str(pains["by_kind"][kind]), kind

    # The call left open: same attempt, same time on the rep's clock.
    [missing] = cli["missing_outcomes"]
    view = missing_view(dialog)
    assert column(view, ATTEMPT_ID_ROLE) == [missing["attempt_id"]] == [seeded["forgotten"].id]
    assert column(view, Qt.ItemDataRole.DisplayRole, 0) == ["4:00 PM"]
    assert column(view, Qt.ItemDataRole.DisplayRole, 1) == [missing["name"]] == ["Ana Ruiz"]
    assert datetime.fromisoformat(missing["at"]) == chicago(10, 16, 0)

    # Tomorrow's list: the same people, actions and scripts as the JSON.
    items = column(tomorrow_view(dialog), QUEUE_ITEM_ROLE)
    assert [(i.prospect_id, i.action, i.script, i.leave_message) for i in items] == [
        (line["prospect_id"], line["action"], line["script"], line["leave_message"])
        for line in cli["tomorrow"]
    ]
    [bo_line] = [row for row, item in enumerate(items) if item.prospect_id == seeded["bo"].id]
    model = tomorrow_view(dialog).model()
    cells = [model.index(bo_line, c).data() for c in range(model.columnCount())]
    assert "Bo Chen" in cells
    assert "Call" in cells
    assert "Leave a message" in cells
    assert "Third voicemail" in cells
    assert "1 call still needs an outcome" in label(dialog, "reviewSummary").text()


def test_an_empty_day_is_all_zeros_with_nothing_to_fix(qtbot, bridge, seeded):
    dialog = open_review(qtbot, bridge, date(2026, 3, 8))

    assert label(dialog, "reviewHeadline").text() == "Sunday, March 8, 2026"
    shown = figures(dialog)
    assert shown["reviewConnectRate"] == "—"
    assert shown["reviewTimeChecks"] == "0 of 0"
    assert shown["reviewPainsAsked"] == "0 of 0"
    assert {
        value
        for name, value in shown.items()
        if name not in ("reviewConnectRate", "reviewTimeChecks", "reviewPainsAsked",
                        "reviewPainsAcknowledged")
    } == {"0"}  # fmt: skip
    assert not missing_view(dialog).isVisible()
    assert label(dialog, "reviewAllLogged").isVisible()
    assert label(dialog, "reviewSummary").text().startswith("Nothing left open.")


def test_alt_arrows_page_through_the_days_counted_on_the_reps_clock(qtbot, bridge, seeded):
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))

    page(qtbot, dialog, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    # Wednesday holds only the 00:30 call: the 23:30 one stays on Tuesday in Chicago,
    # although it is Wednesday in UTC.
    assert chicago(10, 23, 30).astimezone(UTC).date() == date(2026, 3, 11)
    assert dialog.day() == date(2026, 3, 11)
    assert label(dialog, "reviewHeadline").text() == "Wednesday, March 11, 2026"
    assert figures(dialog)["reviewDials"] == "1"
    assert dialog.windowTitle() == "Day review — Wednesday, March 11, 2026"

    page(qtbot, dialog, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    page(qtbot, dialog, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert dialog.day() == date(2026, 3, 9)
    assert figures(dialog)["reviewDials"] == "0"

    # From the date box too, where plain arrows move through the date's parts.
    dialog.findChild(QDateEdit, "reviewDate").setFocus()
    page(qtbot, dialog, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert dialog.day() == date(2026, 3, 8)

    page(qtbot, dialog, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert dialog.day() == date(2026, 3, 10)
    assert figures(dialog)["reviewDials"] == "7"


def test_a_call_left_open_at_2345_is_fixed_on_its_chicago_day(
    qtbot, bridge, desk, moving, make_call, seeded
):
    late = make_call(seeded["lee"], chicago(10, 23, 45), 1, None)
    moving.at = chicago(10, 23, 50)
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))

    assert column(missing_view(dialog), ATTEMPT_ID_ROLE) == [seeded["forgotten"].id, late.id]
    assert column(missing_view(dialog), Qt.ItemDataRole.DisplayRole) == ["4:00 PM", "11:45 PM"]
    assert figures(dialog)["reviewDials"] == "8"

    page(qtbot, dialog, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert not missing_view(dialog).isVisible()
    assert figures(dialog)["reviewDials"] == "1"


def test_fixing_the_open_call_with_two_keys_updates_the_review_at_once(qtbot, bridge, desk, seeded):
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))
    view = missing_view(dialog)
    assert dialog.focusWidget() is view

    press(qtbot, dialog, Qt.Key.Key_Return)
    prompt = label(dialog, "reviewOutcomePrompt")
    assert prompt.isVisible()
    assert prompt.text() == "How did Ana Ruiz's call at 4:00 PM end? Press its number."

    with qtbot.waitSignal(dialog.outcome_fixed) as fixed:
        press(qtbot, dialog, Qt.Key.Key_2)
    worked_out(qtbot, dialog)  # the review reloads without the call

    record = fixed.args[0]
    assert (record.id, record.outcome) == (seeded["forgotten"].id, Outcome.VOICEMAIL_LEFT)
    assert figures(dialog)["reviewVoicemails"] == "3"
    assert not view.isVisible()
    assert view.model().rowCount() == 0
    assert label(dialog, "reviewAllLogged").isVisible()
    assert not prompt.isVisible()
    assert label(dialog, "reviewMessage").text() == (
        "Logged Ana Ruiz's call at 4:00 PM: voicemail left."
    )
    assert label(dialog, "reviewSummary").text().startswith("Nothing left open.")
    stored = {a.id: a for a in desk.prospect_detail(seeded["ana"].id).attempts}
    assert stored[seeded["forgotten"].id].outcome is Outcome.VOICEMAIL_LEFT
    assert desk.review(date(2026, 3, 10)).missing_outcomes == ()


def test_esc_backs_out_of_the_chooser_first_then_closes_the_review(qtbot, bridge, desk, seeded):
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))
    view = missing_view(dialog)
    where = view.visualRect(view.model().index(0, 1)).center()
    # A real double-click: the view only acts on the second click of a pair.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert label(dialog, "reviewOutcomePrompt").isVisible()

    with qtbot.assertNotEmitted(dialog.outcome_fixed):
        press(qtbot, dialog, Qt.Key.Key_Escape)
    assert not label(dialog, "reviewOutcomePrompt").isVisible()
    assert dialog.isVisible()
    assert dialog.focusWidget() is missing_view(dialog)
    assert desk.review(date(2026, 3, 10)).missing_outcomes[0].attempt_id == seeded["forgotten"].id

    with qtbot.waitSignal(dialog.rejected):
        press(qtbot, dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_call_logged_elsewhere_shows_in_the_open_review(qtbot, bridge, desk, seeded):
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))
    chart = dialog.findChild(ActivityChart, "activityChart")
    assert chart.days()[-1].dials == 7

    desk.log_attempt(seeded["dana"].id, Outcome.NO_ANSWER, at=chicago(10, 17, 0))
    worked_out(qtbot, dialog)

    assert figures(dialog)["reviewDials"] == "8"
    assert figures(dialog)["reviewConnectRate"] == "25%"
    assert chart.days()[-1].dials == 8


def test_ctrl_p_writes_the_printable_page_and_opens_it(qtbot, bridge, seeded):
    urls: list[QUrl] = []
    dialog = open_review(qtbot, bridge, date(2026, 3, 10), urls=urls)

    with qtbot.waitSignal(dialog.page_opened) as opened:
        press(qtbot, dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)

    page = paths.data_dir() / "reviews" / "review-2026-03-10.html"
    assert opened.args == [page]
    assert urls == [QUrl.fromLocalFile(str(page))]
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert "Day review: Tuesday, March 10, 2026" in text
    # Other people's names and calls: the rep's alone to read, whatever the umask.
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert stat.S_IMODE(page.parent.stat().st_mode) == 0o700
    assert "Ana Ruiz" in text
    said = label(dialog, "reviewMessage").text()
    assert "print it from there" in said
    assert str(page) in said  # the whole path, in case no browser really opened


def test_a_page_no_browser_opens_says_where_it_is(qtbot, bridge, seeded):
    dialog = open_review(qtbot, bridge, date(2026, 3, 9), opens=False)

    dialog.findChild(QPushButton, "reviewPrintable").click()

    page = paths.data_dir() / "reviews" / "review-2026-03-09.html"
    assert page.exists()
    assert str(page) in label(dialog, "reviewMessage").text()


def test_enter_on_tomorrows_line_asks_to_open_that_prospect(qtbot, bridge, seeded):
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))
    view = tomorrow_view(dialog)
    row = column(view, PROSPECT_ID_ROLE).index(seeded["bo"].id)
    view.setFocus()
    view.setCurrentIndex(view.model().index(row, 1))

    with qtbot.waitSignal(dialog.prospect_requested) as requested:
        press(qtbot, dialog, Qt.Key.Key_Enter)

    assert requested.args == [seeded["bo"].id]


def test_the_chart_gets_the_seven_days_and_says_them_in_words(qtbot, bridge, seeded):
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))
    chart = dialog.findChild(ActivityChart, "activityChart")

    assert [day.day for day in chart.days()] == [date(2026, 3, d) for d in range(4, 11)]
    words = chart.accessibleDescription()
    assert words == chart.toolTip()
    assert "Tue 10: 7 dials, 2 connects, 2 voicemails, 1 email" in words
    assert "Sun 8: 0 dials, 0 connects, 0 voicemails, 0 emails" in words
    assert chart.grab().size() == chart.size()


def test_the_chart_colours_follow_a_light_or_dark_palette(qtbot):
    light = QPalette()
    light.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    light.setColor(QPalette.ColorRole.Highlight, QColor("#308cc6"))
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))

    for palette in (light, dark):
        colours = series_colours(palette)
        base = palette.color(QPalette.ColorRole.Base).lightness()
        # Four different colours, each far from the background they are painted on.
        assert len({colour.name() for colour in colours}) == 4
        assert all(abs(colour.lightness() - base) > 80 for colour in colours)

    chart = ActivityChart()
    qtbot.addWidget(chart)
    chart.set_days([])
    assert chart.accessibleDescription() == "No activity to show."
    assert chart.sizeHint().height() > chart.minimumSizeHint().height()


def test_every_action_has_a_shortcut_and_words(qtbot, bridge, seeded):
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))

    actions = dialog.menu_actions()
    assert all(action.text() and not action.shortcut().isEmpty() for action in actions)
    keys = {action.text(): action.shortcut().toString() for action in actions}
    assert keys["Review the previous day"] == "Alt+Left"
    assert keys["Review the next day"] == "Alt+Right"
    assert keys["Review today"] == "Ctrl+T"
    assert keys["Open the review as a printable page"] == "Ctrl+P"
    assert keys["Log the open call as: Voicemail left"] == "2"


def test_the_models_pass_qtmodeltester(
    qtmodeltester, qtbot, bridge, desk, moving, make_call, seeded
):
    make_call(seeded["bo"], chicago(10, 17, 0), 1, None)
    moving.at = chicago(10, 17, 30)
    model = MissingOutcomeModel()
    model.set_missing(desk.review(date(2026, 3, 10)).missing_outcomes, CHICAGO)
    assert model.rowCount() == 2
    assert model.index(1, 0).data(MISSING_OUTCOME_ROLE).name == "Bo Chen"
    qtmodeltester.check(model)

    dialog = open_review(qtbot, bridge, date(2026, 3, 10))
    qtmodeltester.check(missing_view(dialog).model())
    qtmodeltester.check(tomorrow_view(dialog).model())


def test_a_connect_fixed_from_the_review_is_not_hours_long_nor_overran(
    qtbot, bridge, desk, moving, seeded
):
    # The forgotten 4:00 PM call had a time check: five minutes, it turns out.
    forgotten = seeded["forgotten"]
    desk.record_time_check(
        forgotten.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=False
    )
    moving.at = chicago(10, 23, 50)  # fixed late that evening
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))
    press(qtbot, dialog, Qt.Key.Key_Return)
    with qtbot.waitSignal(dialog.outcome_fixed) as fixed:
        press(qtbot, dialog, Qt.Key.Key_1)
    worked_out(qtbot, dialog)

    assert (fixed.args[0].outcome, fixed.args[0].ended_at) == (Outcome.CONNECTED, None)
    stored = {a.id: a for a in desk.prospect_detail(seeded["ana"].id).attempts}
    assert stored[forgotten.id].ended_at is None
    assert figures(dialog)["reviewConnects"] == "3"
    assert figures(dialog)["reviewOverran"] == "1"  # Lee's call, as before: not this one


def test_tomorrows_list_is_the_one_the_review_worked_out(qtbot, bridge, desk, seeded, monkeypatch):
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))
    asked: list[object] = []
    queue = desk.queue

    def counted(day=None):
        asked.append(day)
        return queue(day)

    monkeypatch.setattr(desk, "queue", counted)
    dialog.refresh()
    worked_out(qtbot, dialog)

    assert asked == [date(2026, 3, 11)]  # once, by desk.review(), not again by the list
    review = dialog.review()
    assert review is not None
    shown = column(tomorrow_view(dialog), QUEUE_ITEM_ROLE)
    assert shown == list(review.tomorrow)
    assert seeded["bo"].id in column(tomorrow_view(dialog), PROSPECT_ID_ROLE)


def test_tomorrows_list_says_later_today_for_a_call_not_yet_due(
    qtbot, bridge, desk, moving, seeded
):
    # 5:30 PM on Tuesday: Dana's call was due at 4:30, Lee's is still to come at 6:30.
    for who, hour in (("dana", 16), ("lee", 18)):
        desk.add_follow_up(
            seeded[who].id, due_at=chicago(10, hour, 30), minutes=20, kind=FollowUpKind.CALL
        )
    dialog = open_review(qtbot, bridge, date(2026, 3, 10))
    view = tomorrow_view(dialog)
    view.setFocus()
    due = dict(
        zip(
            column(view, Qt.ItemDataRole.DisplayRole, NAME_COLUMN),
            column(view, Qt.ItemDataRole.DisplayRole, DUE_COLUMN),
            strict=True,
        )
    )

    # Booked after the rep's 9 to 5: the line says so.
    assert due["Lee Park"] == "Later today · Tue 6:30 PM · outside your hours"
    assert due["Dana Whitfield"] == "Overdue · Tue 4:30 PM"
    assert due["Bo Chen"].startswith("Wed ")  # tomorrow's own: no group word

    # Paging away and back a little after 6:30 finds Lee's call late too.
    moving.at = chicago(10, 18, 45)
    page(qtbot, dialog, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    page(qtbot, dialog, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    row = column(view, PROSPECT_ID_ROLE).index(seeded["lee"].id)
    assert (
        view.model().index(row, DUE_COLUMN).data() == "Overdue · Tue 6:30 PM · outside your hours"
    )
