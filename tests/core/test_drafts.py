"""Email drafts (.eml) as mail programs read them: both versions, addressed, marked unsent."""

import stat
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

import pytest

from callassist import paths
from callassist.errors import InvalidInputError

EMAIL = "email_after_voicemails"


def parsed(path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)
    return message


def test_the_draft_has_the_text_and_the_larger_html_addressed_to_the_prospect(desk, dana):
    rendered = desk.render_script(EMAIL, dana.id)
    draft = desk.write_email_draft(rendered, dana.id)

    assert draft.parent == paths.drafts_dir()
    assert draft.name == "2026-03-10-1000-email-after-voicemails-dana-whitfield.eml"
    message = parsed(draft)
    assert message["To"] == "Dana Whitfield <dana@mesa.example>"
    assert message["From"] == "Sam Rivera <sam@northwind.example>"
    assert message["Subject"] == rendered.subject
    assert message["X-Unsent"] == "1"
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None
    assert html is not None
    assert plain.get_content().replace("\r\n", "\n").rstrip("\n") == rendered.text.rstrip("\n")
    assert html.get_content().replace("\r\n", "\n").rstrip("\n") == rendered.html.rstrip("\n")
    assert "font-size: 17px" in html.get_content()
    assert b"\r\n" in draft.read_bytes()


def test_drafts_are_private_and_never_overwrite_each_other(desk, dana):
    rendered = desk.render_script(EMAIL, dana.id)
    first = desk.write_email_draft(rendered, dana.id)
    second = desk.write_email_draft(rendered, dana.id)
    assert first != second
    assert second.name.endswith("-dana-whitfield-2.eml")
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(paths.drafts_dir().stat().st_mode) == 0o700


def test_a_prospect_without_email_gets_a_draft_with_no_recipient(desk):
    lee = desk.add_prospect(first_name="Lee", last_name="Park", phone="(312) 555-0199")
    draft = desk.write_email_draft(desk.render_script(EMAIL, lee.id), lee.id)
    message = parsed(draft)
    assert message["To"] is None
    assert message["From"] == "Sam Rivera <sam@northwind.example>"


def test_a_subject_over_two_lines_becomes_one(desk, dana, tmp_path):
    (tmp_path / "my-scripts").mkdir(exist_ok=True)
    (tmp_path / "my-scripts" / "note.txt.j2").write_text(
        '{#-\ntitle = "A note"\nchannel = "email"\nused_when = "Mine."\n'
        'subject = "Hello\\nBcc: someone@else.example"\n-#}\nHi {{ prospect.first_name }}\n'
    )
    rendered = desk.render_script("note", dana.id)
    message = parsed(desk.write_email_draft(rendered, dana.id))
    assert message["Subject"] == "Hello Bcc: someone@else.example"
    assert message["Bcc"] is None
    # A text-only email script makes a text-only draft.
    assert message.get_content_type() == "text/plain"


def test_only_emails_become_drafts(desk, dana):
    with pytest.raises(InvalidInputError, match="not an email"):
        desk.write_email_draft(desk.render_script("voicemail_first", dana.id), dana.id)
    assert not paths.drafts_dir().exists()
