"""The TOML header every script starts with: its title, channel and moment of use."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Literal, NoReturn, cast, get_args

from jinja2 import Environment, TemplateSyntaxError

from callassist.errors import ScriptError

ScriptChannel = Literal["call", "voicemail", "email"]

_CHANNELS: tuple[str, ...] = get_args(ScriptChannel)
_HEADER_KEYS = ("title", "channel", "used_when", "subject")
_HEADER = re.compile(r"\A(\s*)\{#-?(.*?)-?#\}", re.DOTALL)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")


@dataclass(frozen=True, slots=True)
class ScriptHeader:
    """What a script's header says; ``subject_line`` is where an error in the subject is."""

    title: str
    channel: ScriptChannel
    used_when: str
    subject: str | None
    subject_line: int


def parse_header(template_name: str, source: str, environment: Environment) -> ScriptHeader:
    """The header of script file ``template_name``; ScriptError names the line to fix.

    ``environment`` checks that an email's subject is a Jinja string it can fill in.
    """
    match = _HEADER.match(source)
    if match is None:
        raise ScriptError(
            template_name,
            1,
            "the script must start with a {#- ... -#} header giving title, channel and used_when",
        )
    first_line = match.group(1).count("\n") + 1
    body = match.group(2)
    try:
        data = tomllib.loads(body)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        position = _TOML_POSITION.search(message)
        line = first_line + int(position.group(1)) - 1 if position else first_line
        message = _TOML_POSITION.sub("", message)
        raise ScriptError(
            template_name, line, f"the header is not valid TOML: {message}"
        ) from error

    def line_of(key: str) -> int:
        pattern = re.compile(rf"^\s*{key}\s*=", re.MULTILINE)
        found = pattern.search(body)
        return first_line + body.count("\n", 0, found.start()) if found else first_line

    def fail(key: str, message: str) -> NoReturn:
        raise ScriptError(template_name, line_of(key), message)

    for key in data:
        if key not in _HEADER_KEYS:
            known = ", ".join(_HEADER_KEYS)
            fail(key, f"the header has an unknown key {key!r} (known: {known})")
    texts: dict[str, str] = {}
    for key in ("title", "channel", "used_when"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            fail(key, f'the header needs {key} = "..."')
        texts[key] = value.strip()
    channel = texts["channel"]
    if channel not in _CHANNELS:
        fail("channel", f"channel must be one of {', '.join(_CHANNELS)}, not {channel!r}")
    subject = data.get("subject")
    if channel == "email":
        if not isinstance(subject, str) or not subject.strip():
            fail("subject", 'an email script needs subject = "..." in its header')
        try:
            environment.parse(subject)
        except TemplateSyntaxError as error:
            fail("subject", f"subject: {error.message}")
    elif subject is not None:
        fail("subject", "only email scripts have a subject")
    return ScriptHeader(
        title=texts["title"],
        channel=cast(ScriptChannel, channel),
        used_when=texts["used_when"],
        subject=subject,
        subject_line=line_of("subject"),
    )
