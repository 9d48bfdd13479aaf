"""The day's review on a seeded history, with exact figures, through the core and the CLI."""

import csv
import io
import json
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from callassist.cli import main
from callassist.cli.review import review_text
from callassist.review import CHART_TOP, chart_layout
from callassist.vocabulary import FollowUpKind, Outcome

CHICAGO = ZoneInfo("America/Chicago")
REVIEW_KEYS = [
    "date", "dials", "connects", "voicemails", "emails", "reschedules", "time_checks_asked",
    "overran", "moved_on", "missing_outcomes", "pains", "tomorrow",
]  # fmt: skip


def chicago(day, hour, minute=0):
    return datetime(2026, 3, day, hour, minute, tzinfo=CHICAGO)


def test_every_figure_of_a_seeded_day(desk, seeded):
    review = desk.review(date(2026, 3, 10))
    assert (review.dials, review.connects, review.voicemails, review.emails) == (7, 2, 2, 1)
    assert (review.reschedules, review.time_checks_asked, review.overran) == (1, 1, 1)
    assert review.connect_rate == pytest.approx(2 / 7)
    assert [m.attempt_id for m in review.missing_outcomes] == [seeded["forgotten"].id]
    assert (review.pains.total, review.pains.asked, review.pains.acknowledged) == (3, 2, 1)
    assert review.pains.by_kind == {"past": 1, "present": 2, "future": 0, "peers": 0}


def test_a_call_at_2330_belongs_to_the_reps_day_not_utcs(desk, seeded):
    wednesday = desk.review(date(2026, 3, 11))
    assert wednesday.dials == 1  # only the 00:30 call, not Tuesday's 23:30 one
    assert chicago(10, 23, 30).astimezone(UTC).date() == date(2026, 3, 11)


def test_an_empty_day_is_all_zeros(desk, seeded):
    review = desk.review(date(2026, 3, 8))
    assert (review.dials, review.connects, review.pains.total, review.moved_on) == (0, 0, 0, 0)
    assert review.connect_rate is None
    assert review.missing_outcomes == ()


def test_fixing_a_missing_outcome_updates_the_review(desk, seeded):
    desk.finish_attempt(seeded["forgotten"].id, Outcome.VOICEMAIL_LEFT)
    review = desk.review(date(2026, 3, 10))
    assert review.missing_outcomes == ()
    assert review.voicemails == 3


def test_moved_on_and_tomorrows_list(desk, moving, seeded):
    bo = seeded["bo"]
    moving.at = chicago(10, 8, 0)
    desk.enroll(bo.id, "three_voicemails")
    # Bo's two attempts at 10:30 and 14:00 used up steps 1 and 2; the third is due Wednesday.
    moving.at = chicago(10, 17, 30)
    review = desk.review(date(2026, 3, 10))
    [line] = [item for item in review.tomorrow if item.prospect_id == bo.id]
    assert (line.action, line.script, line.step) == ("call", "voicemail_third", 3)
    assert line.due_at.astimezone(CHICAGO).date() == date(2026, 3, 11)
    assert review.moved_on == 0

    # The printable page names the script as the rep knows it, not by its file name.
    page = desk.review_html(review)
    assert "<td>Third voicemail</td>" in page
    assert "voicemail_third" not in page


def run_cli(db_location, clock, *argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(["--db", str(db_location), *argv], clock=clock, out=out, err=err)
    assert status == 0, err.getvalue()
    return out.getvalue()


def test_json_review_has_the_documented_keys_and_agrees_with_the_core(
    desk, seeded, db_location, moving
):
    data = json.loads(
        run_cli(db_location, moving, "review", "--date", "2026-03-10", "--format", "json")
    )
    assert list(data) == REVIEW_KEYS
    review = desk.review(date(2026, 3, 10))
    assert data["date"] == "2026-03-10"
    assert (data["dials"], data["connects"], data["overran"]) == (review.dials, review.connects, 1)
    assert data["pains"] == {
        "total": 3,
        "asked": 2,
        "acknowledged": 1,
        "by_kind": {"past": 1, "present": 2, "future": 0, "peers": 0},
    }
    assert [m["attempt_id"] for m in data["missing_outcomes"]] == [seeded["forgotten"].id]
    assert data["missing_outcomes"][0]["at"] == "2026-03-10T16:00:00-05:00"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def test_html_and_csv_reports(desk, seeded, db_location, moving, tmp_path):
    target = tmp_path / "review.html"
    said = run_cli(
        db_location,
        moving,
        "review",
        "--date",
        "2026-03-10",
        "--format",
        "html",
        "--output",
        str(target),
    )
    assert str(target) in said
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page
    parser = _Text()
    parser.feed(page)
    text = " ".join(" ".join(parser.parts).split())
    assert "Day review: Tuesday, March 10, 2026" in text
    assert "7 dials" in text
    assert "2 connects (29%)" in text
    assert "Ana Ruiz" in text  # the forgotten outcome

    rows = list(
        csv.reader(
            io.StringIO(
                run_cli(db_location, moving, "review", "--date", "2026-03-10", "--format", "csv")
            )
        )
    )
    assert rows[0] == ["section", "item", "value"]
    assert ["figures", "dials", "7"] in rows
    assert ["pains_by_kind", "present", "2"] in rows


def test_html_escapes_names(desk, db_location, moving):
    evil = desk.add_prospect(first_name="<script>alert(1)</script>", phone="(312) 555-0188")
    moving.at = chicago(10, 9, 0)
    desk.start_call(evil.id)
    page = run_cli(db_location, moving, "review", "--date", "2026-03-10", "--format", "html")
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


def test_text_review_and_a_bad_date(db_location, moving, seeded):
    text = run_cli(db_location, moving, "review", "--date", "2026-03-10")
    assert "Dials 7, connects 2 (29%)" in text
    assert "No outcome logged:" in text
    err = io.StringIO()
    assert (
        main(
            ["--db", str(db_location), "review", "--date", "10/03/2026"],
            clock=moving,
            out=io.StringIO(),
            err=err,
        )
        == 1
    )
    assert "YYYY-MM-DD" in err.getvalue()


def test_activity_of_the_last_seven_days(desk, seeded):
    week = desk.activity(date(2026, 3, 11))
    assert [day.day for day in week] == [date(2026, 3, d) for d in range(5, 12)]
    tuesday = week[-2]
    assert (tuesday.dials, tuesday.connects, tuesday.voicemails, tuesday.emails) == (7, 2, 2, 1)
    assert week[-1].dials == 1


def test_a_prospect_moved_on_that_day_is_counted(desk, moving):
    dana = desk.add_prospect(first_name="Dana", phone="(505) 828-1788", timezone="America/Chicago")
    moving.at = chicago(3, 9, 0)
    desk.enroll(dana.id, "three_voicemails")
    for day, outcome in (
        (3, Outcome.VOICEMAIL_LEFT),
        (4, Outcome.VOICEMAIL_LEFT),
        (5, Outcome.VOICEMAIL_LEFT),
        (5, Outcome.EMAIL_SENT),
    ):
        desk.log_attempt(dana.id, outcome, at=chicago(day, 9, 0))
    moving.at = chicago(10, 17, 0)  # three business days after Thursday's email
    desk.settle_cadences()  # as the window does each minute, and the command line's review
    review = desk.review(date(2026, 3, 10))
    assert review.moved_on == 1
    assert desk.review(date(2026, 3, 9)).moved_on == 0


def test_a_call_fixed_hours_later_is_not_hours_long_nor_overran(desk, moving):
    dana = desk.add_prospect(first_name="Dana", phone="(505) 828-1788")
    moving.at = chicago(10, 10, 0)
    call = desk.start_call(dana.id)
    desk.record_time_check(
        call.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=False
    )
    moving.at = chicago(10, 18, 0)  # the outcome is only logged from the day's review
    fixed = desk.finish_attempt(call.id, Outcome.CONNECTED, logged_late=True)
    assert fixed.outcome is Outcome.CONNECTED
    assert fixed.ended_at is None  # when it ended is unknown: not 10:00 to 18:00
    [kept] = desk.prospect_detail(dana.id).attempts
    assert kept.ended_at is None
    review = desk.review(date(2026, 3, 10))
    assert (review.connects, review.overran, review.missing_outcomes) == (1, 0, ())


def test_a_call_ended_on_the_spot_still_counts_when_it_overran(desk, moving):
    dana = desk.add_prospect(first_name="Dana", phone="(505) 828-1788")
    moving.at = chicago(10, 10, 0)
    call = desk.start_call(dana.id)
    desk.record_time_check(
        call.id, asked=True, minutes_available=5, call_type="discovery", immediate_need=False
    )
    moving.at = chicago(10, 10, 12)
    ended = desk.finish_attempt(call.id, Outcome.CONNECTED)
    assert ended.ended_at == chicago(10, 10, 12)
    assert desk.review(date(2026, 3, 10)).overran == 1


def test_tomorrows_list_says_later_today_until_the_time_has_passed(desk, moving, seeded):
    # 5:30 PM on Tuesday: Dana's call was due at 4:30, Lee's is still to come at 6:30.
    for who, hour in (("dana", 16), ("lee", 18)):
        desk.add_follow_up(
            seeded[who].id, due_at=chicago(10, hour, 30), minutes=20, kind=FollowUpKind.CALL
        )

    def tomorrow_rows() -> dict[str, str]:
        page = desk.review_html(desk.review(date(2026, 3, 10)))
        rows = page.split("<h2>Tomorrow</h2>")[1].split("<tr>")
        return {name: row for row in rows for name in ("Dana", "Lee", "Bo") if name in row}

    rows = tomorrow_rows()
    assert "Tue 2026-03-10 18:30 (18:30 CDT theirs, later today)" in rows["Lee"]
    assert "Tue 2026-03-10 16:30 (15:30 MDT theirs, overdue)" in rows["Dana"]
    assert "later today" not in rows["Bo"]  # Wednesday's voicemail is tomorrow's own
    assert "overdue" not in rows["Bo"]

    # Once 6:30 has passed, Lee's call is late too.
    moving.at = chicago(10, 18, 45)
    assert "18:30 (18:30 CDT theirs, overdue)" in tomorrow_rows()["Lee"]


def test_the_command_lines_review_says_later_today_as_the_window_does(desk, moving, seeded):
    desk.add_follow_up(
        seeded["lee"].id, due_at=chicago(10, 18, 30), minutes=20, kind=FollowUpKind.CALL
    )
    text = review_text(desk.review(date(2026, 3, 10)), ZoneInfo("America/Chicago"), moving.at)
    [lee] = [line for line in text.splitlines() if "Lee" in line and "Tomorrow" not in line]
    assert "(18:30 CDT theirs, later today)" in lee


def test_the_printable_review_carries_the_weeks_chart_with_its_numbers(desk, seeded):
    page = desk.review_html(desk.review(date(2026, 3, 10)))
    start, end = page.index("<svg"), page.index("</svg>") + len("</svg>")
    svg = ElementTree.fromstring(page[start:end])
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert svg.get("role") == "img"
    assert svg.find("svg:title", ns).text == "Activity of the 7 days to Tue 10:"
    description = svg.find("svg:desc", ns).text
    assert "Tue 10: 7 dials, 2 connects, 2 voicemails, 1 email" in description
    assert "Wed 4: 0 dials" in description
    words = [text.text for text in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert words[:4] == ["Dials", "Connects", "Voicemails", "Emails"]
    # Seven days of four bars, each with its count, and each day named once.
    assert len(words) == 4 + 7 * 5
    assert words[-5:] == ["7", "2", "2", "1", "Tue 10"]
    bars = [
        rect
        for rect in svg.iter("{http://www.w3.org/2000/svg}rect")
        if rect.get("fill", "").startswith("url(") and float(rect.get("y")) > 20
    ]
    assert len(bars) == 7 * 4


def test_the_chart_layout_stands_its_bars_on_one_line_and_fills_the_height(desk, seeded):
    chart = chart_layout(desk.activity(date(2026, 3, 10)))
    tuesday = chart.days[-1]
    assert tuesday.reviewed
    assert not any(day.reviewed for day in chart.days[:-1])
    dials, connects, _voicemails, emails = tuesday.bars
    for bar in tuesday.bars:
        assert bar.y + bar.height == pytest.approx(chart.baseline, abs=0.1)
    assert dials.y == pytest.approx(CHART_TOP)
    assert connects.height == pytest.approx(dials.height * 2 / 7, abs=0.2)
    assert emails.height == pytest.approx(dials.height / 7, abs=0.2)
    assert all(bar.height == 0 for bar in chart.days[0].bars)
    assert [day.label for day in chart.days] == [
        "Wed 4", "Thu 5", "Fri 6", "Sat 7", "Sun 8", "Mon 9", "Tue 10",
    ]  # fmt: skip
    # Bars never spill into the next day or off the chart.
    lefts = [bar.x for day in chart.days for bar in day.bars]
    assert lefts == sorted(lefts)
    assert all(
        bar.x >= 0 and bar.x + bar.width <= chart.width for d in chart.days for bar in d.bars
    )
