"""One generated section of a Markdown report that several generators share.

docs/reliability.md holds the crash test's figures and the hostile inputs'
results; each generator rewrites its own section, between its two markers, and
keeps the rest of the file as it is.
"""

from pathlib import Path


def write_section(report: Path, begin: str, end: str, body: str) -> None:
    """Put ``body`` between the lines ``begin`` and ``end`` in ``report``.

    The section replaces the one already there; a file without it gets it at
    its end, and a missing file is created with it alone.
    """
    section = f"{begin}\n{body.rstrip()}\n{end}\n"
    text = report.read_text(encoding="utf-8") if report.exists() else ""
    start = text.find(begin + "\n")
    stop = text.find(end + "\n", start) if start >= 0 else -1
    if start >= 0 and stop >= 0:
        text = text[:start] + section + text[stop + len(end) + 1 :]
    elif text:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        text = section
    report.write_text(text, encoding="utf-8")
