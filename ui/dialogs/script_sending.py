"""How a rendered script leaves callassist: the clipboard text, a mailto: link, a tel: link."""

from PySide6.QtCore import QUrl

from callassist.templates import RenderedScript


def text_to_send(rendered: RenderedScript) -> str:
    """What Copy puts on the clipboard: the text, with its subject for an email."""
    if rendered.subject:
        return f"Subject: {rendered.subject}\n\n{rendered.text}"
    return rendered.text


def mailto_url(address: str, subject: str, body: str) -> QUrl:
    """A mailto: link with every part percent-encoded (RFC 6068: CRLF line breaks)."""
    url = QUrl()
    url.setScheme("mailto")
    url.setPath(address)

    def encoded(value: str) -> str:
        return bytes(QUrl.toPercentEncoding(value).data()).decode("ascii")

    crlf_body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    url.setQuery(
        f"subject={encoded(subject)}&body={encoded(crlf_body)}", QUrl.ParsingMode.StrictMode
    )
    return url


def tel_url(e164: str, extension: str | None = None) -> QUrl:
    """A tel: link a softphone dials: the number in E.164, and its extension (RFC 3966)."""
    return QUrl(f"tel:{e164};ext={extension}" if extension else f"tel:{e164}")
