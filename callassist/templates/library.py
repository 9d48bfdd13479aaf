"""The script catalogue: the bundled scripts, the team's and the rep's own, listed, checked and
rendered."""

from __future__ import annotations

import functools
import importlib.resources
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.sandbox import MAX_RANGE
from markupsafe import escape

from callassist.errors import NotFoundError, ScriptError
from callassist.stored_versions import StoredVersion, StoredVersions
from callassist.templates.fields import (
    MISSING_MARKER,
    MissingField,
    full_stop,
    missing_fields,
    wrap_context,
)
from callassist.templates.header import ScriptChannel, ScriptHeader, parse_header
from callassist.templates.limits import LimitedEnvironment, render_budget, render_within_limits
from callassist.templates.speaking import count_words, speaking_seconds

ScriptOrigin = Literal["bundled", "user", "team"]

BUNDLED_DIR: Path = Path(str(importlib.resources.files("scripts_templates")))
"""The folder of the bundled scripts (a regular package, shipped in the wheel)."""

TEXT_SUFFIX = ".txt.j2"
HTML_SUFFIX = ".html.j2"

COMPILED_KEPT = 64
"""Compiled scripts kept: every bundled script and the rep's own, with room for the
versions the editor's preview goes through."""
_SCRIPT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

# The HTML part made from the text when the rep has rewritten an email's text
# but not its HTML: the bundled HTML would say different words than the text.
# Same larger type as the bundled email HTML, so it still stands out.
_DERIVED_HTML_PAGE = (
    "<!DOCTYPE html>\n"
    '<html lang="en">\n'
    '<body style="margin: 0; padding: 16px;">\n'
    '<div style="font-family: Arial, Helvetica, sans-serif; font-size: 17px;'
    ' line-height: 1.5; color: #1a1a1a; max-width: 640px;">\n'
    "{body}\n"
    "</div>\n"
    "</body>\n"
    "</html>"
)


@dataclass(frozen=True, slots=True)
class ScriptInfo:
    """One script as the script list shows it."""

    name: str
    title: str
    channel: ScriptChannel
    used_when: str
    """The moment of the call method the script is for, in one sentence."""
    origin: ScriptOrigin
    """Where the text in effect comes from: the rep's own version or folder ("user"), the
    team's version ("team") or ours."""
    has_html: bool
    """True when rendering also produces an HTML part (emails)."""


@dataclass(frozen=True, slots=True)
class RenderedScript:
    """A script filled in for one prospect."""

    name: str
    title: str
    channel: ScriptChannel
    text: str
    html: str | None
    subject: str | None
    missing_fields: tuple[str, ...]
    """Dotted names of the fields shown as missing, in order of first appearance."""
    word_count: int
    """Words as said aloud: each digit of a number counts as one."""
    speaking_seconds: int | None
    """How long the text takes to say at 150 words a minute, half a second more at
    each "..." pause; voicemails only."""


class ScriptLibrary:
    """The bundled scripts, the team's and the rep's own, rendered in Jinja's sandbox.

    ``user_dir`` is the rep's folder (it need not exist yet); None means
    bundled scripts only, e.g. in a read-only preview. ``stored`` gives what the
    database holds (see :mod:`callassist.stored_versions`): a name is looked up in
    the rep's own version, then in a file of ``user_dir`` not brought into the
    database yet, then in the team's version, then in the bundled file.
    """

    def __init__(
        self,
        user_dir: Path | None,
        bundled_dir: Path = BUNDLED_DIR,
        stored: Callable[[], StoredVersions] | None = None,
    ) -> None:
        self.user_dir = user_dir
        self.bundled_dir = bundled_dir
        self.stored = stored
        loaders: list[BaseLoader] = []
        if user_dir is not None:
            loaders.append(FileSystemLoader(user_dir, encoding="utf-8"))
        loaders.append(FileSystemLoader(bundled_dir, encoding="utf-8"))
        self._env = LimitedEnvironment(
            loader=ChoiceLoader(loaders),
            autoescape=select_autoescape(
                enabled_extensions=("html.j2",),
                disabled_extensions=(),
                default_for_string=False,
                default=False,
            ),
            undefined=MissingField,
            keep_trailing_newline=False,
            trim_blocks=True,
            lstrip_blocks=True,
            # No loader cache: the rep edits files while the app runs, and a
            # cache keyed on mtime can miss two saves within one mtime tick.
            # Compiled scripts are cached on their text instead (see below).
            cache_size=0,
        )
        self._env.filters["full_stop"] = full_stop
        # Compiling is nearly all of a render's cost (a voicemail: 5 ms to compile,
        # 0.1 ms to fill in). Keyed on the text itself, so an edit saved a moment
        # ago is compiled afresh, and bounded: the editor's preview compiles every
        # version typed.
        self._compiled = functools.lru_cache(maxsize=COMPILED_KEPT)(self._compile)
        self._headers = functools.lru_cache(maxsize=COMPILED_KEPT)(self._parse_header)
        self._subjects = functools.lru_cache(maxsize=COMPILED_KEPT)(self._env.from_string)
        # The bundled scripts ship with callassist and do not change while it runs, so
        # they are listed and read once: on some machines a file's stat or read costs
        # more than filling in a voicemail. The rep's own files are looked at every time.
        self._bundled_files = (
            frozenset(path.name for path in bundled_dir.iterdir())
            if bundled_dir.is_dir()
            else frozenset()
        )
        self._bundled_sources = functools.cache(_read)

    # Listing ---------------------------------------------------------------

    def list_scripts(self) -> list[ScriptInfo]:
        """Every usable script, sorted by name; broken ones are in :meth:`problems`."""
        return self._scan()[0]

    def problems(self) -> list[ScriptError]:
        """Why some of the rep's scripts are left out of :meth:`list_scripts`."""
        return self._scan()[1]

    def info(self, name: str) -> ScriptInfo:
        """The script called ``name``; ScriptError when its header is broken."""
        source, origin, _, version = self._effective(name)
        header = self._headers(name + TEXT_SUFFIX, source)
        return self._info(name, header, origin, version)

    def own_version(self, name: str) -> StoredVersion | None:
        """The rep's own version of script ``name`` in the database, if there is one."""
        return self._stored().own.get(name)

    def team_version(self, name: str) -> StoredVersion | None:
        """The team's version of script ``name`` in the database, if there is one."""
        return self._stored().team.get(name)

    def team_script_names(self) -> set[str]:
        """The names of the scripts every rep has: the bundled ones and the team's."""
        bundled = {
            file.removesuffix(TEXT_SUFFIX)
            for file in self._bundled_files
            if file.endswith(TEXT_SUFFIX)
        }
        return bundled | set(self._stored().team)

    def folder_files(self) -> frozenset[str]:
        """The names of the files in the rep's folder not brought into the database yet."""
        return self._user_files()

    def _scan(self) -> tuple[list[ScriptInfo], list[ScriptError]]:
        # One look at the rep's folder; the bundled scripts were listed at start.
        user_files = self._user_files()
        stored = self._stored()
        names: set[str] = {*stored.own, *stored.team}
        problems: list[ScriptError] = []
        for file in sorted(self._bundled_files | user_files):
            if not file.endswith(TEXT_SUFFIX):
                continue
            name = file.removesuffix(TEXT_SUFFIX)
            if _SCRIPT_NAME.match(name):
                names.add(name)
            else:
                problems.append(
                    ScriptError(
                        file,
                        None,
                        "a script name uses only letters, digits, _ and -; rename the file",
                    )
                )
        scripts: list[ScriptInfo] = []
        for name in sorted(names):
            try:
                source, origin, _, version = self._effective(name, stored, user_files)
                header = self._headers(name + TEXT_SUFFIX, source)
            except ScriptError as error:
                # One broken file must not hide the rest of the list.
                problems.append(error)
            else:
                scripts.append(self._info(name, header, origin, version))
        return scripts, problems

    def _stored(self) -> StoredVersions:
        return self.stored() if self.stored is not None else StoredVersions()

    def _user_files(self) -> frozenset[str]:
        if self.user_dir is None:
            return frozenset()
        try:
            with os.scandir(self.user_dir) as entries:
                files = frozenset(entry.name for entry in entries if entry.is_file())
        except OSError:
            # No folder yet (or none readable): no scripts of the rep's own.
            return frozenset()
        return files - self._stored().imported_files if self.stored is not None else files

    def _info(
        self, name: str, header: ScriptHeader, origin: ScriptOrigin, version: StoredVersion | None
    ) -> ScriptInfo:
        return ScriptInfo(
            name=name,
            title=header.title,
            channel=header.channel,
            used_when=header.used_when,
            origin=origin,
            has_html=(version is not None and version.html_source is not None)
            or self._html_file(name, "user") is not None
            or self._html_file(name, "bundled") is not None,
        )

    # Sources ---------------------------------------------------------------

    def source(self, name: str) -> str:
        """The text source in effect: the rep's own file, else the bundled one."""
        return self._effective(name)[0]

    def bundled_source(self, name: str) -> str:
        """The text source shipped with callassist."""
        path = self._text_file(name, "bundled")
        if path is None:
            raise NotFoundError(f"no bundled script named {name}")
        return self._bundled_sources(path)

    def check_source(self, name: str, source: str) -> None:
        """Refuse a script name or text that cannot be used (ScriptError, with its line)."""
        if not _SCRIPT_NAME.match(name):
            raise ScriptError(name, None, "a script name uses only letters, digits, _ and -")
        self._compiled(name + TEXT_SUFFIX, source, f"<unsaved {name}{TEXT_SUFFIX}>")
        self._headers(name + TEXT_SUFFIX, source)

    def _effective(
        self,
        name: str,
        stored: StoredVersions | None = None,
        user_files: frozenset[str] | None = None,
    ) -> tuple[str, ScriptOrigin, str, StoredVersion | None]:
        """The text in effect for ``name``, where it comes from, the file name its errors
        name, and the database's version it is (None for a file)."""
        stored = stored if stored is not None else self._stored()
        own, team = stored.own.get(name), stored.team.get(name)
        if own is not None:
            return own.source, "user", f"<your {name}{TEXT_SUFFIX}>", own
        in_folder = (
            name + TEXT_SUFFIX in user_files
            if user_files is not None
            else self._text_file(name, "user") is not None
        )
        if in_folder and self.user_dir is not None and _SCRIPT_NAME.match(name):
            folder_path = self.user_dir / (name + TEXT_SUFFIX)
            return self._source(folder_path, "user"), "user", str(folder_path), None
        if team is not None:
            return team.source, "team", f"<the team's {name}{TEXT_SUFFIX}>", team
        bundled_path = self._text_file(name, "bundled")
        if bundled_path is not None:
            return self._source(bundled_path, "bundled"), "bundled", str(bundled_path), None
        raise NotFoundError(f"no script named {name}; `callassist scripts` lists them")

    def _folder(self, origin: Literal["bundled", "user"]) -> Path | None:
        return self.user_dir if origin == "user" else self.bundled_dir

    def _text_file(self, name: str, origin: Literal["bundled", "user"]) -> Path | None:
        return self._file(name, origin, TEXT_SUFFIX)

    def _html_file(self, name: str, origin: Literal["bundled", "user"]) -> Path | None:
        return self._file(name, origin, HTML_SUFFIX)

    def _file(self, name: str, origin: Literal["bundled", "user"], suffix: str) -> Path | None:
        folder = self._folder(origin)
        # The name check keeps "../x" and the like out of the folders.
        if folder is None or not _SCRIPT_NAME.match(name):
            return None
        path = folder / (name + suffix)
        if origin == "bundled":
            return path if path.name in self._bundled_files else None
        if self.stored is not None and path.name in self._stored().imported_files:
            return None  # brought into the database: the copy in the folder no longer counts
        return path if path.is_file() else None

    def _source(self, path: Path, origin: ScriptOrigin) -> str:
        return self._bundled_sources(path) if origin == "bundled" else _read(path)

    # Rendering -------------------------------------------------------------

    def render(self, name: str, context: Mapping[str, object]) -> RenderedScript:
        """Fill in the script in effect for ``name``."""
        source, origin, filename, version = self._effective(name)
        return self._render(name, source, filename, origin, context, version)

    def render_source(
        self, name: str, source: str, context: Mapping[str, object]
    ) -> RenderedScript:
        """Fill in unsaved text as if it were script ``name`` (the editor's preview)."""
        if not _SCRIPT_NAME.match(name):
            raise ScriptError(name, None, "a script name uses only letters, digits, _ and -")
        bundled = self._text_file(name, "bundled")
        # Unchanged bundled text pairs with the bundled HTML; edited text is
        # what the rep will save as their own.
        is_bundled = bundled is not None and self._bundled_sources(bundled) == source
        origin: ScriptOrigin = "bundled" if is_bundled else "user"
        return self._render(name, source, f"<unsaved {name}{TEXT_SUFFIX}>", origin, context, None)

    def _render(
        self,
        name: str,
        source: str,
        filename: str,
        origin: ScriptOrigin,
        context: Mapping[str, object],
        version: StoredVersion | None,
    ) -> RenderedScript:
        text_name = name + TEXT_SUFFIX
        header = self._headers(text_name, source)
        values = wrap_context(context)
        with render_budget():
            text = self._render_template(
                text_name, self._compiled(text_name, source, filename), values
            ).strip()

            subject = None
            if header.subject is not None:
                subject = " ".join(self._render_subject(name, header, values).split())

            html = None
            if header.channel == "email":
                html = self._render_html(name, origin, version, text, values)

        missing = missing_fields(subject or "", text, html or "")
        words = count_words(text)
        seconds = speaking_seconds(text, words) if header.channel == "voicemail" else None
        return RenderedScript(
            name=name,
            title=header.title,
            channel=header.channel,
            text=text,
            html=html,
            subject=subject,
            missing_fields=missing,
            word_count=words,
            speaking_seconds=seconds,
        )

    def _render_html(
        self,
        name: str,
        text_origin: ScriptOrigin,
        version: StoredVersion | None,
        text: str,
        values: Mapping[str, object],
    ) -> str | None:
        # The HTML must say what the text says: use the HTML kept with the text, or
        # an HTML file from the same folder as the text (or the rep's own HTML),
        # else build it from the text.
        html_name = name + HTML_SUFFIX
        if version is not None and version.html_source is not None:
            owner = "the team's" if version.team else "your"
            filename = f"<{owner} {html_name}>"
            template = self._compiled(html_name, version.html_source, filename)
            return self._render_template(html_name, template, values).strip()
        user_html = self._html_file(name, "user")
        bundled_html = self._html_file(name, "bundled")
        chosen = user_html or (bundled_html if text_origin == "bundled" else None)
        if chosen is None:
            return _html_from_text(text) if bundled_html is not None else None
        source = self._source(chosen, "user" if chosen == user_html else "bundled")
        template = self._compiled(html_name, source, str(chosen))
        return self._render_template(html_name, template, values).strip()

    def _render_subject(self, name: str, header: ScriptHeader, values: Mapping[str, object]) -> str:
        assert header.subject is not None
        try:
            template = self._subjects(header.subject)
            return render_within_limits(template, values)
        except Exception as error:
            raise ScriptError(name, header.subject_line, f"subject: {_describe(error)}") from error

    def _parse_header(self, template_name: str, source: str) -> ScriptHeader:
        return parse_header(template_name, source, self._env)

    def _compile(self, template_name: str, source: str, filename: str) -> Template:
        try:
            code = self._env.compile(source, name=template_name, filename=filename)
        except TemplateSyntaxError as error:
            raise ScriptError(template_name, error.lineno, error.message or str(error)) from error
        except Exception as error:
            raise ScriptError(template_name, None, _describe(error)) from error
        return self._env.template_class.from_code(
            self._env, code, self._env.make_globals(None), None
        )

    def _render_template(
        self, template_name: str, template: Template, values: Mapping[str, object]
    ) -> str:
        try:
            return render_within_limits(template, values)
        except Exception as error:
            line = _template_line(error, template.filename)
            if line is None and isinstance(error, TemplateSyntaxError):
                line = error.lineno
            raise ScriptError(template_name, line, _describe(error)) from error


def _read(path: Path) -> str:
    # A script saved by another editor in another encoding, or a file that
    # vanished or lost its permissions, is the rep's to fix, not a crash.
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ScriptError(path.name, None, "not UTF-8 text; save it as UTF-8") from error
    except OSError as error:
        raise ScriptError(path.name, None, f"could not read it: {error.strerror}") from error


def _describe(error: BaseException) -> str:
    if isinstance(error, TemplateSyntaxError):
        return error.message or str(error)
    if isinstance(error, TemplateNotFound):
        return f"no template named {error.name}"
    if isinstance(error, TemplateError):
        return str(error)
    if isinstance(error, OverflowError) and "MAX_RANGE" in str(error):
        # Jinja's sandbox caps range(); say so in our words, not the sandbox's.
        return f"range() counts to {MAX_RANGE:,} at most in a script"
    return f"{type(error).__name__}: {error}"


def _template_line(error: BaseException, filename: str | None) -> int | None:
    """The line of the deepest traceback frame inside the template.

    Jinja rewrites tracebacks so frames of template code carry the template's
    filename and line numbers.
    """
    if filename is None:
        return None
    line = None
    tb = error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _html_from_text(text: str) -> str:
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    blocks = []
    for paragraph in paragraphs:
        lines = [str(escape(line.strip())) for line in paragraph.strip().splitlines()]
        blocks.append("<p>" + "<br>\n".join(lines) + "</p>")
    body = MISSING_MARKER.sub(
        lambda m: f'<mark class="missing">{m.group(0)}</mark>', "\n".join(blocks)
    )
    return _DERIVED_HTML_PAGE.format(body=body)
