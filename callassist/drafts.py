"""Emails as drafts a mail app opens: an .eml with the plain text and the larger-type HTML.

A mailto: link carries plain text only, so the HTML version the method asks for
(the voicemail's words in slightly larger type) never reached the prospect. An
.eml file carries both as multipart/alternative; ``X-Unsent: 1`` makes Outlook
open it as a message to send rather than one received.
"""

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP

from callassist import paths
from callassist.errors import InvalidInputError
from callassist.records import ProfileRecord, ProspectRecord
from callassist.templates import RenderedScript


def build_draft(
    rendered: RenderedScript, *, prospect: ProspectRecord | None, profile: ProfileRecord
) -> EmailMessage:
    """The email script as a message to the prospect from the rep, ready to send."""
    if rendered.channel != "email":
        raise InvalidInputError(f"{rendered.title} is not an email; only emails become drafts")
    # SMTP's policy writes CRLF line ends, as every mail program expects in a file.
    message = EmailMessage(policy=SMTP)
    if profile.email:
        message["From"] = Address(profile.name, addr_spec=profile.email)
    if prospect is not None and prospect.email:
        message["To"] = Address(prospect.full_name, addr_spec=prospect.email)
    # A header cannot hold a line break; a subject from the rep's own template might.
    message["Subject"] = " ".join((rendered.subject or "").split())
    message["X-Unsent"] = "1"
    message.set_content(rendered.text)
    if rendered.html is not None:
        message.add_alternative(rendered.html, subtype="html")
    return message


def draft_file_name(rendered: RenderedScript, prospect: ProspectRecord | None, at: datetime) -> str:
    """ "2026-03-12-1405-email-after-voicemails-dana-whitfield.eml", at ``at``'s wall time."""
    script = paths.name_part(rendered.name, "email")
    if prospect is None:
        return f"{at:%Y-%m-%d-%H%M}-{script}.eml"
    who = paths.name_part(prospect.full_name, f"prospect-{prospect.id}")
    return f"{at:%Y-%m-%d-%H%M}-{script}-{who}.eml"
