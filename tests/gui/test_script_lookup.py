"""The script lookup, driven from the keyboard as a rep does mid-call."""

import threading
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl, QUrlQuery
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QListView, QTextBrowser

from callassist import paths
from callassist.steps import scripts_for_now
from callassist.vocabulary import Outcome
from ui.dialogs.script_lookup import ScriptLookupDialog, missing_highlight, text_to_send
from ui.mainwindow import MainWindow
from ui.models.scripts import (
    NEXT_STEP_RANK_ROLE,
    SCRIPT_NAME_ROLE,
    ScriptFilterProxy,
    ScriptListModel,
)

HEADER = '{#-\ntitle = "My first voicemail"\nchannel = "voicemail"\nused_when = "Mine."\n-#}\n'


def prospect_named(bridge, last_name):
    (prospect_id,) = bridge.desk.prospect_ids(search=last_name)
    return prospect_id


def open_lookup(qtbot, bridge, prospect_id, first=(), urls=None, opens=True):
    def open_url(url: QUrl) -> bool:
        if urls is not None:
            urls.append(url)
        return opens

    dialog = ScriptLookupDialog(bridge, prospect_id, first, open_url=open_url)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    wait_for_preview(qtbot, dialog)
    return dialog


def wait_for_preview(qtbot, dialog):
    """The preview is rendered in a worker: wait until it shows the highlighted script."""
    qtbot.waitUntil(lambda: not dialog.preview_pending())


def filter_box(dialog) -> QLineEdit:
    return dialog.findChild(QLineEdit, "scriptFilter")


def script_list(dialog) -> QListView:
    return dialog.findChild(QListView, "scriptList")


def preview(dialog) -> QTextBrowser:
    return dialog.findChild(QTextBrowser, "scriptPreview")


def label(dialog, name) -> QLabel:
    return dialog.findChild(QLabel, name)


def listed_names(dialog):
    model = script_list(dialog).model()
    return [model.index(row, 0).data(SCRIPT_NAME_ROLE) for row in range(model.rowCount())]


@pytest.fixture
def mei(demo_bridge):
    """Three voicemails left: the email is her next step."""
    return prospect_named(demo_bridge, "Tanaka")


def test_next_step_scripts_are_on_top_and_marked(qtbot, demo_bridge, mei):
    attempts = demo_bridge.desk.prospect_detail(mei).attempts
    first = scripts_for_now(attempts, on_a_call=True)
    assert first == ("opener_research", "time_check_question", "email_after_voicemails")

    dialog = open_lookup(qtbot, demo_bridge, mei, first)

    assert dialog.objectName() == "scriptLookup"
    assert dialog.accessibleName() == "Script lookup"
    assert listed_names(dialog)[:3] == list(first)
    model = script_list(dialog).model()
    assert model.index(0, 0).data() == "Cold call opener\nNext step · on the call"
    assert model.index(2, 0).data() == "Email after three voicemails\nNext step · email"
    assert "Next step" not in model.index(3, 0).data()
    assert len(listed_names(dialog)) == len(demo_bridge.desk.list_scripts())
    # The best script is already shown, filled in for her.
    assert dialog.current_name() == "opener_research"
    assert filter_box(dialog).hasFocus()
    assert "Hi Mei, this is Sam Rivera with Northwind Answering." in preview(dialog).toPlainText()


def test_typing_third_shows_the_third_voicemail_with_its_speaking_time(qtbot, demo_bridge, mei):
    dialog = open_lookup(qtbot, demo_bridge, mei, ("email_after_voicemails",))

    qtbot.keyClicks(filter_box(dialog), "third")
    wait_for_preview(qtbot, dialog)

    # The email mentions "the third voicemail" too, but a title match comes first.
    assert listed_names(dialog) == ["voicemail_third", "email_after_voicemails"]
    assert dialog.current_name() == "voicemail_third"
    text = preview(dialog).toPlainText()
    assert text.startswith("Hi Mei, Sam Rivera at Northwind Answering")
    speaking = label(dialog, "scriptSpeakingTime")
    assert speaking.isVisible()
    assert speaking.text().startswith("Speaking time: about ")
    assert speaking.text().endswith(" seconds")
    # A screen reader hears the time, not just what the label is.
    assert speaking.accessibleName() == "Speaking time"
    assert speaking.text() == f"Speaking time: {speaking.accessibleDescription()}"
    assert not label(dialog, "scriptSubject").isVisible()


def test_up_and_down_move_through_the_list_while_typing(qtbot, demo_bridge, mei):
    dialog = open_lookup(qtbot, demo_bridge, mei)
    box = filter_box(dialog)
    qtbot.keyClicks(box, "voicemail")
    names = listed_names(dialog)
    assert dialog.current_name() == names[0]

    qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert dialog.current_name() == names[2]
    qtbot.keyClick(box, Qt.Key.Key_Up)

    assert dialog.current_name() == names[1]
    assert box.hasFocus()
    assert box.text() == "voicemail"
    wait_for_preview(qtbot, dialog)
    assert dialog.rendered.name == names[1]


def test_typing_goes_on_while_a_script_renders_and_the_script_typed_for_is_shown(
    qtbot, demo_bridge, mei, monkeypatch
):
    dialog = open_lookup(qtbot, demo_bridge, mei)
    real_render = demo_bridge.desk.render_script
    rendering = threading.Event()
    finish = threading.Event()

    def slow_render(name, prospect_id=None, **options):
        # Held like a rep's own script that takes its time, until the keys are typed.
        rendering.set()
        assert finish.wait(60)
        return real_render(name, prospect_id, **options)

    monkeypatch.setattr(demo_bridge.desk, "render_script", slow_render)
    box = filter_box(dialog)
    qtbot.keyClicks(box, "v")
    assert rendering.wait(60)

    qtbot.keyClicks(box, "oicemail third")
    assert box.text() == "voicemail third"
    assert dialog.current_name() == "voicemail_third"
    assert dialog.preview_pending()
    finish.set()
    wait_for_preview(qtbot, dialog)

    assert dialog.rendered.name == "voicemail_third"
    assert preview(dialog).toPlainText().startswith("Hi Mei, Sam Rivera at Northwind Answering")


def test_enter_copies_the_script_and_reports_it_used(qtbot, demo_bridge, mei):
    dialog = open_lookup(qtbot, demo_bridge, mei)
    qtbot.keyClicks(filter_box(dialog), "third voicemail")
    expected = demo_bridge.desk.render_script("voicemail_third", mei).text

    with qtbot.waitSignal(
        dialog.script_used, check_params_cb=lambda name, text: name == "voicemail_third"
    ) as used:
        qtbot.keyClick(filter_box(dialog), Qt.Key.Key_Return)

    assert used.args == ["voicemail_third", expected]
    assert QApplication.clipboard().text() == expected
    assert not QApplication.clipboard().mimeData().hasHtml()
    assert not dialog.isVisible()
    assert dialog.result() == ScriptLookupDialog.DialogCode.Accepted


def test_ctrl_c_copies_the_email_with_its_subject(qtbot, demo_bridge, mei):
    dialog = open_lookup(qtbot, demo_bridge, mei, ("email_after_voicemails",))
    rendered = demo_bridge.desk.render_script("email_after_voicemails", mei)
    assert label(dialog, "scriptSubject").text() == f"Subject: {rendered.subject}"
    assert rendered.subject == "Following up on my calls, Mei"

    with qtbot.waitSignal(dialog.script_used) as used:
        qtbot.keySequence(filter_box(dialog), "Ctrl+C")

    copied = QApplication.clipboard().text()
    assert copied == f"Subject: Following up on my calls, Mei\n\n{rendered.text}"
    assert used.args == ["email_after_voicemails", copied]
    # Pasted into a mail, it keeps the larger type of its HTML version.
    pasted = QApplication.clipboard().mimeData()
    assert pasted.hasHtml()
    assert pasted.html() == rendered.html
    assert "font-size: 17px" in pasted.html()


def test_ctrl_c_on_a_selection_in_the_preview_copies_only_that(qtbot, demo_bridge, mei):
    dialog = open_lookup(qtbot, demo_bridge, mei, ("voicemail_third",))
    text_view = preview(dialog)
    text_view.setFocus()
    qtbot.waitUntil(text_view.hasFocus)
    qtbot.keySequence(text_view, "Ctrl+A")

    with qtbot.assertNotEmitted(dialog.script_used):
        qtbot.keySequence(text_view, "Ctrl+C")

    assert QApplication.clipboard().text() == text_view.textCursor().selectedText().replace(
        "\u2029", "\n"
    )
    assert QApplication.clipboard().text().startswith("Hi Mei")
    assert dialog.isVisible()


def test_ctrl_m_writes_a_draft_with_both_versions_and_opens_it(qtbot, demo_bridge, mei):
    urls: list[QUrl] = []
    dialog = open_lookup(qtbot, demo_bridge, mei, ("email_after_voicemails",), urls)
    rendered = demo_bridge.desk.render_script("email_after_voicemails", mei)

    with qtbot.waitSignal(dialog.script_used) as used:
        qtbot.keySequence(filter_box(dialog), "Ctrl+M")

    (draft,) = paths.drafts_dir().glob("*.eml")
    assert urls == [QUrl.fromLocalFile(str(draft))]
    message = message_from_bytes(draft.read_bytes(), policy=default)
    assert message["To"] == "Mei Tanaka <mei@willamettevet.example>"
    assert message["Subject"] == "Following up on my calls, Mei"
    assert message["X-Unsent"] == "1"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert used.args == ["email_after_voicemails", text_to_send(rendered)]
    # Open, so the rep can read where the draft went.
    assert dialog.isVisible()
    assert label(dialog, "scriptStatus").text() == (
        f"Draft opened in your mail app; it is saved as {draft}"
    )


def test_when_no_app_takes_the_draft_the_mailto_link_carries_the_plain_text(
    qtbot, demo_bridge, mei
):
    urls: list[QUrl] = []

    def only_links(url: QUrl) -> bool:
        urls.append(url)
        return url.scheme() == "mailto"

    dialog = ScriptLookupDialog(demo_bridge, mei, ("email_after_voicemails",), open_url=only_links)
    qtbot.addWidget(dialog)
    dialog.show()
    rendered = demo_bridge.desk.render_script("email_after_voicemails", mei)

    with qtbot.waitSignal(dialog.script_used):
        dialog.mail_action.trigger()

    (draft,) = paths.drafts_dir().glob("*.eml")
    file_url, url = urls
    assert file_url == QUrl.fromLocalFile(str(draft))
    assert url.scheme() == "mailto"
    assert url.path() == "mei@willamettevet.example"
    query = QUrlQuery(url)
    decoded = QUrl.ComponentFormattingOption.FullyDecoded
    assert [key for key, _ in query.queryItems()] == ["subject", "body"]
    assert query.queryItemValue("subject", decoded) == "Following up on my calls, Mei"
    assert query.queryItemValue("body", decoded) == rendered.text.replace("\n", "\r\n")
    encoded = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
    assert encoded.startswith(
        "mailto:mei@willamettevet.example"
        "?subject=Following%20up%20on%20my%20calls%2C%20Mei"
        "&body=Hi%20Mei%2C%0D%0A%0D%0AI%20left%20you%20a%20few%20voicemails%20last%20week"
        "%2C%20so%20I%20thought%20I%27d%20put"
    )
    assert " " not in encoded
    assert "\n" not in encoded
    assert label(dialog, "scriptStatus").text() == (
        f"No app opened the draft saved as {draft}. Your mail app has it as plain text instead."
    )


def test_mail_is_only_for_emails(qtbot, demo_bridge, mei):
    urls: list[QUrl] = []
    dialog = open_lookup(qtbot, demo_bridge, mei, ("voicemail_third",), urls)

    qtbot.keySequence(filter_box(dialog), "Ctrl+M")

    assert urls == []
    assert not dialog.mail_action.isEnabled()
    assert dialog.isVisible()


def test_mail_app_that_does_not_open_keeps_the_dialog_with_a_hint(qtbot, demo_bridge, mei):
    dialog = open_lookup(qtbot, demo_bridge, mei, ("email_after_voicemails",), opens=False)

    with qtbot.assertNotEmitted(dialog.script_used):
        qtbot.keySequence(filter_box(dialog), "Ctrl+M")

    assert dialog.isVisible()
    (draft,) = paths.drafts_dir().glob("*.eml")
    assert label(dialog, "scriptStatus").text() == (
        f"No app opened the draft saved as {draft}. "
        "No mail app took a mailto: link either: copy it with Enter."
    )


def test_a_draft_that_cannot_be_written_says_why_and_sends_the_link(qtbot, demo_bridge, mei):
    # A file where the drafts folder should be: nothing can be written in it.
    paths.data_dir().mkdir(parents=True, exist_ok=True)
    paths.drafts_dir().write_text("not a folder")
    urls: list[QUrl] = []
    dialog = open_lookup(qtbot, demo_bridge, mei, ("email_after_voicemails",), urls)

    with qtbot.waitSignal(dialog.script_used):
        qtbot.keySequence(filter_box(dialog), "Ctrl+M")

    assert [url.scheme() for url in urls] == ["mailto"]
    status = label(dialog, "scriptStatus").text()
    assert status.startswith("The draft was not written: could not write the email draft: ")
    assert status.endswith("Your mail app has it as plain text instead.")
    assert paths.drafts_dir().read_text() == "not a folder"


def test_dial_opens_a_tel_link_with_her_number_and_stays_open(qtbot, demo_bridge, mei):
    urls: list[QUrl] = []
    dialog = open_lookup(qtbot, demo_bridge, mei, urls=urls)

    qtbot.keySequence(filter_box(dialog), "Ctrl+D")

    assert [url.toString() for url in urls] == ["tel:+15038942276"]
    assert urls[0].scheme() == "tel"
    assert dialog.isVisible()
    assert label(dialog, "scriptStatus").text() == "Dialing (503) 894-2276…"


def test_dial_is_off_for_a_prospect_without_a_number(qtbot, bridge):
    walk_in = bridge.desk.add_prospect(first_name="Robin", company="Walk-in Co")
    urls: list[QUrl] = []
    dialog = open_lookup(qtbot, bridge, walk_in.id, urls=urls)

    qtbot.keySequence(filter_box(dialog), "Ctrl+D")

    assert urls == []
    assert not dialog.dial_action.isEnabled()


def test_a_missing_first_name_is_highlighted_and_named(qtbot, bridge):
    okafor = bridge.desk.add_prospect(
        last_name="Okonkwo", company="Lagos Street Dental", phone="(505) 828-1788"
    )
    dialog = open_lookup(qtbot, bridge, okafor.id, ("voicemail_first",))

    missing = label(dialog, "scriptMissing")
    assert missing.isVisible()
    assert missing.text() == "Missing: prospect.first_name — add it to the card"
    assert missing.accessibleDescription() == missing.text()
    document = preview(dialog).document()
    marker = "[missing: prospect.first_name]"
    assert marker in document.toPlainText()
    highlight = missing_highlight(preview(dialog).palette())
    backgrounds = {}
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            char_format: QTextCharFormat = fragment.charFormat()
            backgrounds[fragment.text()] = char_format.background().color()
            iterator += 1
        block = block.next()
    assert backgrounds[marker] == highlight
    plain = [text for text in backgrounds if "Sam Rivera" in text]
    assert plain
    assert all(backgrounds[text] != highlight for text in plain)


def test_a_script_that_fails_to_render_shows_its_error_and_line(qtbot, bridge):
    dana = bridge.desk.add_prospect(first_name="Dana", phone="(505) 828-1788")
    user_dir = bridge.desk.scripts.user_dir
    user_dir.mkdir(parents=True)
    (user_dir / "voicemail_first.txt.j2").write_text(
        HEADER + "Hi {{ prospect.first_name }},\n{{ prospect.first_name + 1 }}\n", encoding="utf-8"
    )
    dialog = open_lookup(qtbot, bridge, dana.id, ("voicemail_first",))

    assert dialog.current_name() == "voicemail_first"
    shown = preview(dialog).toPlainText()
    assert "This script could not be filled in." in shown
    assert "voicemail_first.txt.j2, line 7" in shown
    assert not dialog.copy_action.isEnabled()
    with qtbot.assertNotEmitted(dialog.script_used):
        qtbot.keyClick(filter_box(dialog), Qt.Key.Key_Return)
    assert dialog.isVisible()


def test_a_filter_matching_nothing_says_so(qtbot, demo_bridge, mei):
    dialog = open_lookup(qtbot, demo_bridge, mei)

    qtbot.keyClicks(filter_box(dialog), "zebra")

    assert listed_names(dialog) == []
    assert dialog.rendered is None
    assert label(dialog, "scriptHeading").text().startswith("No script matches")
    assert not dialog.copy_action.isEnabled()


def test_escape_closes_without_using_a_script(qtbot, demo_bridge, mei):
    dialog = open_lookup(qtbot, demo_bridge, mei)

    with qtbot.assertNotEmitted(dialog.script_used):
        qtbot.keyClick(filter_box(dialog), Qt.Key.Key_Escape)

    assert not dialog.isVisible()
    assert dialog.result() == ScriptLookupDialog.DialogCode.Rejected


def test_menu_actions_have_shortcuts_and_text(qtbot, demo_bridge, mei):
    dialog = open_lookup(qtbot, demo_bridge, mei)

    shortcuts = {action.text(): action.shortcut().toString() for action in dialog.menu_actions()}

    assert shortcuts == {
        "Copy script": "Ctrl+C",
        "Open email in mail app": "Ctrl+M",
        "Dial the prospect": "Ctrl+D",
    }
    assert [key.toString() for key in dialog.copy_action.shortcuts()] == [
        "Ctrl+C",
        "Return",
        "Enter",
    ]


def test_script_models_pass_the_model_tester(qtmodeltester, desk):
    model = ScriptListModel()
    model.set_scripts(desk.list_scripts(), ("voicemail_third", "opener_research"))
    qtmodeltester.check(model)
    assert model.index(0, 0).data(NEXT_STEP_RANK_ROLE) is None

    proxy = ScriptFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_query("voicemail")
    qtmodeltester.check(proxy)
    names = [proxy.index(row, 0).data(SCRIPT_NAME_ROLE) for row in range(proxy.rowCount())]
    assert names[0] == "voicemail_third"
    assert "opener_research" not in names


def test_ctrl_k_after_a_booked_meeting_offers_the_time_check_not_a_first_voicemail(
    qtbot, demo_bridge, tmp_path
):
    desk = demo_bridge.desk
    # Three voicemails and the email, then she picked up and booked a meeting.
    nora = desk.add_prospect(first_name="Nora", last_name="Quist", phone="(312) 555-0150")
    desk.enroll(nora.id, "three_voicemails")
    for outcome in (Outcome.VOICEMAIL_LEFT,) * 3 + (Outcome.EMAIL_SENT,):
        desk.log_attempt(nora.id, outcome)
    call = desk.start_call(nora.id)
    desk.finish_attempt(call.id, Outcome.RESCHEDULED)
    slot = desk.clock() + timedelta(days=1)
    desk.reschedule(nora.id, slot=slot, call_type="discovery", invites_folder=tmp_path)
    window = MainWindow(demo_bridge, QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(QApplication.focusWidget(), "Quist")
    with qtbot.waitSignal(window.prospect_list.prospect_activated):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)

    dialog = window.findChild(ScriptLookupDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    model = script_list(dialog).model()
    marked = [
        model.index(row, 0).data(SCRIPT_NAME_ROLE)
        for row in range(model.rowCount())
        if model.index(row, 0).data(NEXT_STEP_RANK_ROLE) is not None
    ]
    assert marked == ["time_check_question"]
    assert dialog.current_name() == "time_check_question"
