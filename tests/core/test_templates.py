"""Scripts: the bundled wording, the rep's overrides, missing fields and errors.

Past 500 lines: every bundled script's wording and every way a rep's own script can go
wrong, on one script library.
"""

import os
import tracemalloc
from datetime import UTC, date, datetime, time
from pathlib import Path
from time import monotonic

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callassist.errors import NotFoundError, ScriptError
from callassist.records import CallTypeRecord, ProfileRecord, ProspectRecord, ResearchRecord
from callassist.stored_versions import StoredVersion, StoredVersions
from callassist.templates import (
    BUNDLED_DIR,
    RENDER_OUTPUT_LIMIT,
    RENDER_TIME_LIMIT_SECONDS,
    Fields,
    ScriptLibrary,
    build_context,
)
from callassist.templates.speaking import count_words
from callassist.vocabulary import PainKind, ProspectStatus

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
SLOT = datetime(2026, 11, 24, 21, 30, tzinfo=UTC)  # 2:30 PM in Denver, 3:30 PM in Chicago

SCRIPT_CHANNELS = {
    "opener_research": "call",
    "time_check_question": "call",
    "reschedule_proposal": "call",
    "voicemail_first": "voicemail",
    "voicemail_missed_again": "voicemail",
    "voicemail_third": "voicemail",
    "email_after_voicemails": "email",
    "voicemail_commitment_test": "voicemail",
    "voicemail_role_changed": "voicemail",
    "pain_acknowledgement": "call",
}
VOICEMAILS = sorted(name for name, channel in SCRIPT_CHANNELS.items() if channel == "voicemail")

HEADER = '{#-\ntitle = "Test"\nchannel = "call"\nused_when = "In tests."\n-#}\n'
"""A valid four-line header; the script body starts on line 6."""


def make_profile(**changes: object) -> ProfileRecord:
    values: dict[str, object] = {
        "name": "Dana Reyes",
        "company": "Brightline Systems",
        "phone": "+15058281788",
        "phone_display": "(505) 828-1788",
        "email": "dana@brightline.example",
        "signature": "Dana Reyes\nAccount Executive, Brightline Systems\n(505) 828-1788",
        "timezone": "America/Chicago",
        "timezone_is_set": True,
        "business_start": time(8),
        "business_end": time(17),
        "call_types": (CallTypeRecord("discovery call", 20),),
    }
    values.update(changes)
    return ProfileRecord(**values)  # type: ignore[arg-type]


def prospect_record(**changes: object) -> ProspectRecord:
    """A prospect as the database would hand it over, built without one: what a script sees."""
    values: dict[str, object] = {
        "id": 1,
        "first_name": "Maria",
        "last_name": "Lopez",
        "title": "VP Operations",
        "company": "Acme Pumps",
        "website": "acmepumps.example",
        "linkedin": "",
        "email": "maria@acme.example",
        "phone": "+13035550142",
        "phone_display": "(303) 555-0142",
        "timezone": "America/Denver",
        "status": ProspectStatus.NEW,
        "tags": (),
        "notes": "",
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(changes)
    return ProspectRecord(**values)  # type: ignore[arg-type]


def make_research(**changes: object) -> ResearchRecord:
    values: dict[str, object] = {
        "prospect_id": 1,
        "company_summary": "Acme Pumps builds industrial pumps for water utilities",
        "person_profile": "Runs a field service team of forty",
        "angle": "your field techs could log service calls from the truck instead of retyping them",
    }
    values.update(changes)
    return ResearchRecord(**values)  # type: ignore[arg-type]


def full_context(**changes: object) -> dict[str, object]:
    """Everything a script can use, for a prospect with research done."""
    profile = make_profile()
    values: dict[str, object] = {
        "profile": profile,
        "prospect": prospect_record(),
        "research": make_research(),
        "call_type": profile.call_types[0],
        "minutes_available": 8,
        "slot": SLOT,
        "slot_minutes": 20,
        "pain_kind": PainKind.PRESENT,
        "pain_words": "our techs lose an hour a day to paperwork",
        "attempt_number": 3,
        # SLOT's Tuesday; the next call the day after; voicemails since the Thursday before.
        "today": date(2026, 11, 24),
        "next_call_day": date(2026, 11, 25),
        "first_voicemail_day": date(2026, 11, 19),
    }
    values.update(changes)
    return build_context(**values)  # type: ignore[arg-type]


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    return tmp_path / "config" / "scripts"  # not created: saving must create it


@pytest.fixture
def library(user_dir: Path) -> ScriptLibrary:
    return ScriptLibrary(user_dir)


# The bundled scripts ------------------------------------------------------------


def test_list_scripts_has_every_moment_of_the_method_with_its_channel(library: ScriptLibrary):
    scripts = library.list_scripts()

    assert [script.name for script in scripts] == sorted(SCRIPT_CHANNELS)
    assert {script.name: script.channel for script in scripts} == SCRIPT_CHANNELS
    assert all(script.origin == "bundled" for script in scripts)
    assert all(script.title and script.used_when for script in scripts)
    assert [script.name for script in scripts if script.has_html] == ["email_after_voicemails"]
    assert library.problems() == []


def test_bundled_dir_is_the_scripts_templates_package():
    assert (BUNDLED_DIR / "__init__.py").is_file()
    assert (BUNDLED_DIR / "voicemail_first.txt.j2").is_file()


@pytest.mark.parametrize("name", sorted(SCRIPT_CHANNELS))
def test_every_bundled_script_renders_fully_for_a_complete_prospect(
    library: ScriptLibrary, name: str
):
    rendered = library.render(name, full_context())

    assert rendered.missing_fields == ()
    for part in (rendered.text, rendered.html or "", rendered.subject or ""):
        assert "[missing" not in part
        assert "None" not in part
        assert "{{" not in part
    assert rendered.text.strip() == rendered.text != ""
    assert rendered.channel == SCRIPT_CHANNELS[name]


@pytest.mark.parametrize("name", sorted(SCRIPT_CHANNELS))
def test_every_bundled_script_reads_sensibly_without_research(library: ScriptLibrary, name: str):
    rendered = library.render(name, full_context(research=None))

    assert rendered.missing_fields == ()


@pytest.mark.parametrize("name", VOICEMAILS)
def test_bundled_voicemails_fit_in_about_thirty_seconds(library: ScriptLibrary, name: str):
    rendered = library.render(name, full_context())

    assert rendered.word_count < 80
    assert rendered.speaking_seconds is not None
    assert rendered.speaking_seconds <= 35


@pytest.mark.parametrize("name", VOICEMAILS)
def test_bundled_voicemails_say_the_number_twice_slowly(library: ScriptLibrary, name: str):
    text = library.render(name, full_context()).text

    assert text.count("505 ... 828 ... 1788") == 2
    assert "Maria" in text
    assert "Dana Reyes" in text
    assert "Brightline Systems" in text


def test_first_voicemail_says_why_it_matters_from_the_research(library: ScriptLibrary):
    text = library.render("voicemail_first", full_context()).text

    assert "log service calls from the truck instead of retyping them." in text


def test_opener_shows_homework_and_does_not_ask_if_it_is_a_bad_time(library: ScriptLibrary):
    text = library.render("opener_research", full_context()).text

    assert "Acme Pumps" in text
    assert "log service calls from the truck" in text
    assert "bad time" not in text
    assert "good time" not in text


@pytest.mark.parametrize(
    ("research", "said"),
    [
        (make_research(), "here's what caught my eye"),
        (make_research(angle=""), "Acme Pumps builds industrial pumps"),
        (make_research(angle="", company_summary=""), "I read up on your role"),
        (make_research(angle="", company_summary="", person_profile=""), "this is a cold call"),
        (None, "this is a cold call"),
    ],
)
def test_opener_claims_homework_only_when_there_is_research(
    library: ScriptLibrary, research: ResearchRecord | None, said: str
):
    text = library.render("opener_research", full_context(research=research)).text

    assert said in text
    claims_homework = "before calling" in text
    assert claims_homework is (research is not None and "cold call" not in said)


@pytest.mark.parametrize("name", ["voicemail_first", "email_after_voicemails"])
def test_messages_without_research_do_not_say_they_looked(library: ScriptLibrary, name: str):
    rendered = library.render(name, full_context(research=None))

    for part in filter(None, (rendered.text, rendered.html)):
        assert "looking at" not in part
        assert "I have an idea that could help Acme Pumps" in part


def test_time_check_and_reschedule_use_the_minutes_the_call_needs(library: ScriptLibrary):
    check = library.render("time_check_question", full_context()).text
    proposal = library.render("reschedule_proposal", full_context()).text

    assert "20 minutes" in check
    assert "still a good time" in check
    assert "Tuesday, November 24 at 2:30 PM MST" in proposal
    assert "20 minutes" in proposal
    assert "8 minutes" in proposal


def test_third_voicemail_announces_the_email(library: ScriptLibrary):
    assert "email" in library.render("voicemail_third", full_context()).text


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (PainKind.PAST, "back then"),
        (PainKind.PRESENT, "right now"),
        (PainKind.FUTURE, "the worry for later"),
        (PainKind.PEERS, "happen to others"),
    ],
)
def test_pain_acknowledgement_differs_by_kind_and_quotes_the_words(
    library: ScriptLibrary, kind: PainKind, expected: str
):
    text = library.render(
        "pain_acknowledgement", full_context(pain_kind=kind, pain_words="the vendor went dark")
    ).text

    assert expected in text
    assert '"the vendor went dark"' in text
    assert text.endswith("?")


def test_pain_acknowledgement_handles_a_negative_answer(library: ScriptLibrary):
    rendered = library.render(
        "pain_acknowledgement",
        full_context(pain_kind=None, pain_words="replace your scheduling tool"),
    )

    assert "don't see a need to replace your scheduling tool" in rendered.text
    assert rendered.missing_fields == ()


# Email -----------------------------------------------------------------------


def test_email_has_subject_text_and_larger_html_with_signature(library: ScriptLibrary):
    rendered = library.render("email_after_voicemails", full_context())

    assert rendered.subject == "Following up on my calls, Maria"
    assert rendered.text.startswith("Hi Maria,")
    assert "Account Executive, Brightline Systems" in rendered.text
    assert rendered.html is not None
    assert "font-size: 17px" in rendered.html
    assert "Account Executive, Brightline Systems<br>" in rendered.html
    assert "log service calls from the truck" in rendered.html
    assert rendered.speaking_seconds is None


def test_email_html_escapes_prospect_data(library: ScriptLibrary):
    context = full_context(
        prospect=prospect_record(company="<script>alert(1)</script>"), research=None
    )

    rendered = library.render("email_after_voicemails", context)

    assert rendered.html is not None
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "<script>alert(1)</script>" in rendered.text  # plain text is not HTML


def test_email_html_follows_the_reps_own_text(library: ScriptLibrary, user_dir: Path):
    source = library.bundled_source("email_after_voicemails").replace(
        "I left you a few voicemails", "I tried you <by phone> a few times"
    )
    write_own(user_dir, "email_after_voicemails", source)

    rendered = library.render("email_after_voicemails", full_context())

    assert rendered.html is not None
    assert "I tried you &lt;by phone&gt; a few times" in rendered.html
    assert "voicemails last week" not in rendered.html
    assert "font-size: 17px" in rendered.html


# Missing fields ------------------------------------------------------------------


def test_missing_first_name_is_visible_and_listed(library: ScriptLibrary):
    context = full_context(prospect=prospect_record(first_name=""))

    rendered = library.render("voicemail_first", context)

    assert rendered.text.startswith("Hi [missing: prospect.first_name], this is Dana Reyes")
    assert "Hi ," not in rendered.text
    assert rendered.missing_fields == ("prospect.first_name",)


def test_missing_field_is_marked_in_html(library: ScriptLibrary):
    context = full_context(prospect=prospect_record(first_name=""))

    rendered = library.render("email_after_voicemails", context)

    assert rendered.html is not None
    assert '<mark class="missing">[missing: prospect.first_name]</mark>' in rendered.html
    assert rendered.missing_fields == ("prospect.first_name",)


def test_missing_fields_are_unique_and_in_order(library: ScriptLibrary):
    context = full_context(profile=make_profile(phone=None, phone_display=""))
    context["prospect"] = Fields("prospect", {"first_name": None, "company": "Acme"})

    rendered = library.render("voicemail_first", context)

    assert rendered.missing_fields == ("prospect.first_name", "rep.phone_spoken")


def test_required_rep_fields_show_the_marker(library: ScriptLibrary):
    context = full_context(profile=make_profile(name="", company=""))

    rendered = library.render("voicemail_role_changed", context)

    assert rendered.missing_fields[:2] == ("rep.name", "rep.company")


def test_top_level_and_chained_missing_names(library: ScriptLibrary):
    source = HEADER + "{{ slot }} / {{ slot.day }} / {{ prospect.first_name }}"

    rendered = library.render_source("draft", source, {"prospect": {"first_name": ""}})

    assert rendered.text == "[missing: slot] / [missing: slot.day] / [missing: prospect.first_name]"
    assert rendered.missing_fields == ("slot", "slot.day", "prospect.first_name")


def test_tests_on_missing_fields_print_no_marker(library: ScriptLibrary):
    source = (
        HEADER + "{% if research.angle %}angle{% else %}no angle{% endif %}"
        " {{ research.angle | default('none') }}"
    )

    rendered = library.render_source("draft", source, full_context(research=None))

    assert rendered.text == "no angle none"
    assert rendered.missing_fields == ()


def test_arithmetic_on_a_missing_field_is_a_script_error(library: ScriptLibrary):
    source = HEADER + "\n{{ call.minutes_needed + 5 }}"

    with pytest.raises(ScriptError) as caught:
        library.render_source("draft", source, {"call": {}})

    assert caught.value.line == 7
    assert "call.minutes_needed is missing" in caught.value.detail


# Context -------------------------------------------------------------------------


def test_slot_is_shown_in_the_prospects_zone(library: ScriptLibrary):
    source = HEADER + "{{ slot.day }} at {{ slot.time }} {{ slot.timezone }}, {{ slot.minutes }}"

    rendered = library.render_source("draft", source, full_context())

    assert rendered.text == "Tuesday, November 24 at 2:30 PM MST, 20"


def test_slot_falls_back_to_the_reps_zone(library: ScriptLibrary):
    source = HEADER + "{{ slot.day }} at {{ slot.time }} {{ slot.timezone }}"
    context = full_context(prospect=prospect_record(timezone=None))

    rendered = library.render_source("draft", source, context)

    assert rendered.text == "Tuesday, November 24 at 3:30 PM CST"


def test_build_context_fields():
    context = full_context()

    assert isinstance(context["rep"], Fields)
    rep = context["rep"]
    assert rep["phone_spoken"] == "505 ... 828 ... 1788"
    assert rep["phone"] == "(505) 828-1788"
    assert rep["first_name"] == "Dana"
    prospect = context["prospect"]
    assert isinstance(prospect, Fields)
    assert prospect["full_name"] == "Maria Lopez"
    assert prospect["phone"] == "(303) 555-0142"
    call = context["call"]
    assert isinstance(call, Fields)
    assert (call["type"], call["minutes_needed"], call["minutes_available"]) == (
        "discovery call",
        20,
        8,
    )
    pain = context["pain"]
    assert isinstance(pain, Fields)
    assert pain["kind"] == "present"
    assert type(pain["kind"]) is str


def test_build_context_leaves_blank_values_out():
    context = build_context(profile=make_profile(signature="  ", phone=None, phone_display=""))

    rep = context["rep"]
    assert isinstance(rep, Fields)
    assert "signature" not in rep
    assert "phone" not in rep
    assert "phone_spoken" not in rep
    assert "name" in rep
    assert len(context["prospect"]) == 0  # type: ignore[arg-type]


def test_build_context_refuses_a_naive_slot():
    with pytest.raises(ValueError, match="aware"):
        build_context(profile=make_profile(), slot=datetime(2026, 11, 24, 14, 30))


def test_fields_are_read_only():
    fields = Fields("rep", {"name": "Dana"})

    with pytest.raises(AttributeError):
        fields.name = "Other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        _ = fields.company


# Errors --------------------------------------------------------------------------


def test_syntax_error_names_the_line(library: ScriptLibrary):
    source = HEADER + "Hello\n{% if prospect.first_name %}\nno end"

    with pytest.raises(ScriptError) as caught:
        library.render_source("draft", source, full_context())

    assert caught.value.template == "draft.txt.j2"
    assert caught.value.line == 8


def test_runtime_error_names_the_line(library: ScriptLibrary):
    source = HEADER + "line 6\n{{ 1 / 0 }}\nline 8"

    with pytest.raises(ScriptError) as caught:
        library.render_source("draft", source, full_context())

    assert (caught.value.template, caught.value.line) == ("draft.txt.j2", 7)
    assert "division by zero" in caught.value.detail


def test_runtime_error_on_line_four_of_a_saved_script(library: ScriptLibrary, user_dir: Path):
    user_dir.mkdir(parents=True)
    source = '{#- title = "T"\nchannel = "call"\nused_when = "x" -#}\n{{ 1 / 0 }}\n'
    (user_dir / "divide.txt.j2").write_text(source, encoding="utf-8")

    with pytest.raises(ScriptError) as caught:
        library.render("divide", full_context())

    assert (caught.value.template, caught.value.line) == ("divide.txt.j2", 4)
    assert str(caught.value).startswith("script divide.txt.j2, line 4:")


@pytest.mark.parametrize(
    "expression", ["{{ prospect.__class__ }}", "{{ ''.__class__.__mro__ }}", "{{ rep._values }}"]
)
def test_sandbox_violation_is_reported_not_run(library: ScriptLibrary, expression: str):
    source = HEADER + "Hi\n" + expression

    with pytest.raises(ScriptError) as caught:
        library.render_source("draft", source, full_context())

    assert caught.value.line == 7
    assert "unsafe" in caught.value.detail


def test_sandbox_violation_in_a_test_is_reported(library: ScriptLibrary):
    source = HEADER + "{% if prospect.__class__ %}yes{% endif %}"

    with pytest.raises(ScriptError, match="unsafe"):
        library.render_source("draft", source, full_context())


def test_unknown_script_is_not_found(library: ScriptLibrary):
    with pytest.raises(NotFoundError) as caught:
        library.render("no_such_script", full_context())

    assert str(caught.value) == "no script named no_such_script; `callassist scripts` lists them"
    with pytest.raises(NotFoundError):
        library.info("../voicemail_first")


@pytest.mark.parametrize(
    ("header", "line", "words"),
    [
        ("Hello", 1, "must start with"),
        ('{#-\ntitle = "T"\nchannel = "call"\nused_when = \n-#}', 4, "not valid TOML"),
        ('{#-\ntitle = "T"\nchannel = "fax"\nused_when = "x"\n-#}', 3, "channel must be"),
        ('{#-\ntitle = "T"\nchannel = "call"\n-#}', 1, "used_when"),
        ('{#-\ntitle = "T"\nchannel = "email"\nused_when = "x"\n-#}', 1, "subject"),
        ('{#-\ntitle = "T"\nchannel = "call"\nused_when = "x"\ncolour = "red"\n-#}', 5, "colour"),
        (
            '{#-\ntitle = "T"\nchannel = "email"\nused_when = "x"\nsubject = "{{ x"\n-#}',
            5,
            "subject",
        ),
    ],
)
def test_broken_headers_are_script_errors_with_lines(
    library: ScriptLibrary, header: str, line: int, words: str
):
    with pytest.raises(ScriptError) as caught:
        library.render_source("draft", header + "\nbody", full_context())

    assert caught.value.line == line
    assert words in caught.value.detail


# The rep's own scripts -----------------------------------------------------------


def write_own(user_dir: Path, name: str, text: str) -> Path:
    """The rep's own script as a file of their folder (not brought into a database)."""
    user_dir.mkdir(parents=True, exist_ok=True)
    path = user_dir / f"{name}.txt.j2"
    path.write_text(text, encoding="utf-8")
    return path


def test_user_override_wins_and_removing_it_restores(library: ScriptLibrary, user_dir: Path):
    bundled = library.bundled_source("voicemail_first")
    mine = bundled.replace("I'd like to tell you more.", "Five minutes could save you hours.")

    path = write_own(user_dir, "voicemail_first", mine)

    assert library.source("voicemail_first") == mine
    assert library.info("voicemail_first").origin == "user"
    rendered = library.render("voicemail_first", full_context())
    assert "Five minutes could save you hours." in rendered.text

    path.unlink()

    assert library.source("voicemail_first") == bundled
    assert library.info("voicemail_first").origin == "bundled"
    assert "I'd like to tell you more." in library.render("voicemail_first", full_context()).text


def test_the_reps_own_version_then_the_folder_then_the_teams_then_the_bundled_one(
    user_dir: Path,
):
    def version(words: str, *, team: bool) -> StoredVersion:
        text = HEADER.replace('"call"', '"voicemail"') + words
        return StoredVersion("voicemail_first", text, None, team, "Sam Rivera", NOW)

    stored = StoredVersions(
        own={"voicemail_first": version("Own.", team=False)},
        team={"voicemail_first": version("Team.", team=True)},
    )
    library = ScriptLibrary(user_dir, stored=lambda: stored)
    write_own(user_dir, "voicemail_first", HEADER + "Folder.")

    def said() -> str:
        return library.render("voicemail_first", full_context()).text

    assert (said(), library.info("voicemail_first").origin) == ("Own.", "user")
    stored = StoredVersions(team=stored.team)
    assert (said(), library.info("voicemail_first").origin) == ("Folder.", "user")
    stored = StoredVersions(team=stored.team, imported_files=frozenset({"voicemail_first.txt.j2"}))
    assert (said(), library.info("voicemail_first").origin) == ("Team.", "team")
    stored = StoredVersions(imported_files=stored.imported_files)
    assert library.info("voicemail_first").origin == "bundled"


def test_a_file_edited_outside_callassist_is_filled_in_as_it_now_reads(
    library: ScriptLibrary, user_dir: Path
):
    # Compiled scripts are kept between renders; an editor that saves twice within
    # one tick of the file's clock, at the same length, must still be seen.
    before = HEADER.replace('"call"', '"voicemail"') + "Hi {{ prospect.first_name }}, call me.\n"
    path = write_own(user_dir, "voicemail_first", before)
    assert library.render("voicemail_first", full_context()).text == "Hi Maria, call me."
    saved = path.stat()

    path.write_text(before.replace("call me", "ring me"), encoding="utf-8")
    os.utime(path, ns=(saved.st_atime_ns, saved.st_mtime_ns))

    assert library.render("voicemail_first", full_context()).text == "Hi Maria, ring me."


def test_a_new_user_script_is_listed_as_the_reps(library: ScriptLibrary, user_dir: Path):
    write_own(user_dir, "gatekeeper", HEADER.replace('"Test"', '"Gatekeeper"') + "Hi")

    scripts = {script.name: script for script in library.list_scripts()}

    assert scripts["gatekeeper"].origin == "user"
    assert scripts["gatekeeper"].title == "Gatekeeper"
    assert len(scripts) == len(SCRIPT_CHANNELS) + 1


def test_a_check_refuses_a_syntax_error_with_its_line(library: ScriptLibrary):
    with pytest.raises(ScriptError) as caught:
        library.check_source("voicemail_first", HEADER + "Hi\n{{ prospect.first_name \n")

    assert caught.value.line == 7


def test_a_check_refuses_a_broken_header_with_its_line(library: ScriptLibrary):
    with pytest.raises(ScriptError) as caught:
        library.check_source(
            "voicemail_first", '{#-\ntitle = "T"\nchannel = "phone"\nused_when = "x"\n-#}Hi'
        )

    assert caught.value.line == 3


def test_a_check_refuses_names_that_could_leave_a_folder(library: ScriptLibrary):
    with pytest.raises(ScriptError):
        library.check_source("../escape", HEADER + "Hi")


def test_broken_user_header_is_a_problem_and_hides_nothing_else(
    library: ScriptLibrary, user_dir: Path
):
    user_dir.mkdir(parents=True)
    (user_dir / "broken.txt.j2").write_text(
        '{#-\ntitle = "Broken"\nchannel = "call"\nused_when = "x\n-#}\nHi', encoding="utf-8"
    )

    names = [script.name for script in library.list_scripts()]
    problems = library.problems()

    assert names == sorted(SCRIPT_CHANNELS)
    assert len(problems) == 1
    assert problems[0].template == "broken.txt.j2"
    assert problems[0].line == 4
    with pytest.raises(ScriptError):
        library.info("broken")


def test_a_user_file_that_is_not_utf8_is_a_problem(library: ScriptLibrary, user_dir: Path):
    user_dir.mkdir(parents=True)
    (user_dir / "latin.txt.j2").write_bytes((HEADER + "Ol\xe9").encode("latin-1"))

    problems = library.problems()

    assert [(p.template, p.line) for p in problems] == [("latin.txt.j2", None)]
    assert "UTF-8" in problems[0].detail
    assert len(library.list_scripts()) == len(SCRIPT_CHANNELS)


def test_render_of_a_user_script_with_a_syntax_error_names_the_line(
    library: ScriptLibrary, user_dir: Path
):
    user_dir.mkdir(parents=True)
    (user_dir / "opener_research.txt.j2").write_text(HEADER + "ok\n{% endif %}\n", encoding="utf-8")

    with pytest.raises(ScriptError) as caught:
        library.render("opener_research", full_context())

    assert (caught.value.template, caught.value.line) == ("opener_research.txt.j2", 7)


# Timing ------------------------------------------------------------------------


def test_voicemail_speaking_time_is_150_words_a_minute(library: ScriptLibrary):
    voicemail_header = HEADER.replace('"call"', '"voicemail"')

    rendered = library.render_source("draft", voicemail_header + "word " * 150, {})
    call = library.render_source("draft", HEADER + "word " * 150, {})

    assert rendered.word_count == 150
    assert rendered.speaking_seconds == 60
    assert call.speaking_seconds is None


@given(st.text(st.characters(blacklist_categories=("No", "Cs"))))
def test_words_said_are_each_digit_and_each_token_with_a_letter(text: str):
    said = 0
    for token in text.split():
        digits = [character for character in token if character.isdigit()]
        said += len(digits) if digits else any(character.isalpha() for character in token)

    assert count_words(text) == said


def test_a_spoken_number_is_its_digits_and_its_pauses(library: ScriptLibrary):
    source = HEADER.replace('"call"', '"voicemail"') + "{{ rep.phone_spoken }}"

    rendered = library.render_source("draft", source, full_context())

    assert rendered.text == "505 ... 828 ... 1788"
    assert rendered.word_count == 10  # digit by digit; the "..." are not words
    assert rendered.speaking_seconds == 5  # 10 words at 150 a minute, two half-second pauses


def test_a_voicemail_saying_its_number_twice_is_timed_for_both(library: ScriptLibrary):
    source = HEADER.replace('"call"', '"voicemail"') + (
        "Hi {{ prospect.first_name }}, call me at {{ rep.phone_spoken }}.\n"
        "Again, that's {{ rep.phone_spoken }}. Thanks!"
    )

    rendered = library.render_source("draft", source, full_context())

    assert rendered.text.count("505 ... 828 ... 1788") == 2
    assert rendered.word_count == 5 + 10 + 2 + 10 + 1
    # 28 words are 11.2 seconds, and four pauses add 2: not the 5 seconds of 12 written words.
    assert rendered.speaking_seconds == 13


def test_a_typed_ellipsis_is_a_pause_too(library: ScriptLibrary):
    voicemail_header = HEADER.replace('"call"', '"voicemail"')

    rendered = library.render_source("draft", voicemail_header + "word " * 150 + "\u2026 ...", {})

    assert rendered.word_count == 150
    assert rendered.speaking_seconds == 61


# Runaway scripts -----------------------------------------------------------------

NESTED_LOOP = "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}"


def test_a_loop_that_never_ends_is_stopped_at_the_time_limit(library: ScriptLibrary):
    source = HEADER + "Hello\n" + NESTED_LOOP

    started = monotonic()
    with pytest.raises(ScriptError) as caught:
        library.render_source("draft", source, full_context())
    elapsed = monotonic() - started

    assert RENDER_TIME_LIMIT_SECONDS <= elapsed < RENDER_TIME_LIMIT_SECONDS + 1
    assert (caught.value.template, caught.value.line) == ("draft.txt.j2", 7)
    assert "took longer than 2 seconds" in caught.value.detail


def test_a_script_held_up_by_a_busy_computer_still_finishes(library, monkeypatch):
    # While the first value prints, the computer stalls for ten seconds (other
    # programs, a slow disk): the script itself did almost nothing, so its text
    # comes out whole instead of being stopped as a runaway.
    stalled = [0.0]
    clock = monotonic
    monkeypatch.setattr("callassist.templates.limits.time.monotonic", lambda: clock() + stalled[0])

    class Stalling:
        def __str__(self) -> str:
            stalled[0] += 10 * RENDER_TIME_LIMIT_SECONDS
            return "Dana"

    source = HEADER + "Hi {{ who }}.{% for step in range(3) %} {{ step }}{% endfor %}"
    rendered = library.render_source("draft", source, {"who": Stalling()})
    assert rendered.text == "Hi Dana. 0 1 2"


RUNAWAY_VALUES = {
    "repeat": "{{ 'x' * 10**9 }}",
    "repeat a list": "{{ ['x'] * 10**9 }}",
    "power": "{{ 7 ** 999999 }}",
    "double with ~": (
        "{% set ns = namespace(s='x') %}"
        "{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}"
    ),
    "double with +": (
        "{% set ns = namespace(s='x') %}"
        "{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s | length }}"
    ),
    "loop into a set block": (
        "{% set s %}{% for a in range(100000) %}{% for b in range(100000) %}"
        "0123456789{% endfor %}{% endfor %}{% endset %}{{ s | length }}"
    ),
    "macro doubling": (
        "{% macro twice(n) %}{% if n %}{{ twice(n - 1) }}{{ twice(n - 1) }}"
        "{% else %}0123456789{% endif %}{% endmacro %}{{ twice(40) | length }}"
    ),
    "width in a method": "{{ 'x'.ljust(10**9) }}",
    "width in str.format": "{{ '{:>999999999}'.format('x') }}",
    "width in %": "{{ '%999999999s' % 'x' }}",
    "width in the format filter": "{{ '%999999999s' | format('x') }}",
    "replace": "{{ ('x' * 99999).replace('x', 'y' * 99999) | length }}",
    "replace filter": "{{ ('x' * 99999) | replace('x', 'y' * 99999) | length }}",
    "expandtabs": "{{ ('\t' * 99999).expandtabs(99999) | length }}",
    "indent": "{{ ('\n' * 99999) | indent(99999) | length }}",
    "join": "{{ ('y' * 99999).join(['x'] * 99999) | length }}",
    "join filter": "{{ (['x' * 99999] * 99999) | join | length }}",
    "width from an argument": "{{ '{:{}}'.format('x', 999999999) }}",
    "width from a % argument": "{{ '%*s' % (999999999, 'x') }}",
    "batch padding": "{{ [1] | batch(999999999, 'x') | list }}",
    "plain output": "{% for a in range(100000) %}{{ 'x' * 99999 }}{% endfor %}",
    "a list grown in place": (
        "{% set items = [1] %}{% for i in range(40) %}{{ items.extend(items) }}{% endfor %}"
    ),
    "a list of big lists": "{% set big = ['x' * 99999] %}{{ [big] * 99999 }}",
    "nested lists printed": (
        "{% set ns = namespace(x=['0123456789']) %}"
        "{% for i in range(40) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x }}"
    ),
    "nested lists joined with ~": (
        "{% set ns = namespace(x=['0123456789']) %}"
        "{% for i in range(40) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ '' ~ ns.x }}"
    ),
}


@pytest.mark.parametrize("body", RUNAWAY_VALUES.values(), ids=RUNAWAY_VALUES.keys())
def test_a_runaway_value_is_refused_before_it_fills_the_memory(library: ScriptLibrary, body: str):
    tracemalloc.start()
    try:
        with pytest.raises(ScriptError) as caught:
            library.render_source("draft", HEADER + body, full_context())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert caught.value.template == "draft.txt.j2"
    assert "100,000" in caught.value.detail
    # The largest value allowed is 100,000 characters; a few of them at once is
    # still far below what the runaway would take (a gigabyte and more).
    assert peak < 20_000_000


def test_a_saved_runaway_script_is_named_and_the_next_render_works(
    library: ScriptLibrary, user_dir: Path
):
    user_dir.mkdir(parents=True)
    (user_dir / "runaway.txt.j2").write_text(HEADER + "{{ 'x' * 10**9 }}", encoding="utf-8")

    with pytest.raises(ScriptError) as caught:
        library.render("runaway", full_context())

    assert str(caught.value).startswith("script runaway.txt.j2, line 6: it would produce more")
    assert library.render("voicemail_first", full_context()).text.startswith("Hi Maria")


def test_output_up_to_the_limit_renders_and_one_character_more_is_refused(
    library: ScriptLibrary,
):
    passes = RENDER_OUTPUT_LIMIT // 100
    exactly = HEADER + "{% for i in range(" + str(passes) + ") %}" + "x" * 100 + "{% endfor %}"

    assert len(library.render_source("draft", exactly, full_context()).text) == RENDER_OUTPUT_LIMIT
    with pytest.raises(ScriptError, match="more than 100,000 characters"):
        library.render_source("draft", exactly + "y", full_context())


def test_the_limits_leave_ordinary_scripts_alone(library: ScriptLibrary):
    body = (
        "{% for x in range(3) %}{{ loop.index }}/{{ loop.length }} {% endfor %}"
        "{{ 'a' ~ 'b' }} {{ 'ab' * 2 }} {{ 2 ** 10 }} {{ [1, 2] | join(',') }}"
        " {{ 'a b' | replace(' ', '_') }} {{ 'a b'.replace(' ', '-') }}"
        " {{ '%s-%d' | format('a', 3) }}"
        " {{ '{}!'.format('hi') }} {{ '%03d' % 7 }} {{ '-'.join(['x', 'y']) }}"
        # Large numbers are fine as numbers: only as a width or a count are they refused.
        " {{ '{:,}'.format(1234567) }} {{ 1234567.8 | round | int }} {{ 250000 * 4 }}"
        " {{ 1500000 | filesizeformat }} {{ [1, 2, 3] | batch(2) | list }}"
    )

    rendered = library.render_source("draft", HEADER + body, full_context())

    assert rendered.text == (
        "1/3 2/3 3/3 ab abab 1024 1,2 a_b a-b a-3 hi! 007 x-y"
        " 1,234,567 1234568 1000000 1.5 MB [[1, 2], [3]]"
    )


def test_a_range_past_the_sandboxs_cap_is_said_in_our_words(library: ScriptLibrary):
    with pytest.raises(ScriptError) as caught:
        library.render_source(
            "draft", HEADER + "{% for i in range(10**9) %}x{% endfor %}", full_context()
        )
    assert caught.value.detail == "range() counts to 100,000 at most in a script"
    assert "OverflowError" not in str(caught.value)


def test_a_fixed_voicemail_is_timed_by_the_rule(library: ScriptLibrary):
    # The rule benchmarks/speaking_time.py checks against espeak-ng: words at 150 a
    # minute, digits one by one, half a second at each pause, dashes unsaid.
    text = (
        "Hi Dana — it's Sam with Northwind. Call me at 505 … 828 … 1788, "
        "that's 505 … 828 … 1788. Talk soon!"
    )

    rendered = library.render_source("draft", HEADER.replace('"call"', '"voicemail"') + text, {})

    assert rendered.word_count == 12 + 20  # twelve words, and twenty digits said one by one
    # 32 words are 12.8 seconds, and four pauses add 2: 14.8, said as 15.
    assert rendered.speaking_seconds == 15
