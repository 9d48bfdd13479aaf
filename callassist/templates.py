"""Scripts: Jinja templates for calls, voicemails and emails, rendered safely.

A script is a file ``NAME.txt.j2`` (plain text, every script has one) and, for
emails, optionally ``NAME.html.j2``. The bundled scripts live in the
``scripts_templates`` package; a file of the same name in the rep's own folder
(:func:`callassist.paths.user_template_dir`) overrides the bundled one, and a
file with a new name there is a new script.

Header
    Every ``.txt.j2`` starts with a Jinja comment ``{#- ... -#}`` holding TOML::

        {#-
        title = "First voicemail"
        channel = "voicemail"          # "call", "voicemail" or "email"
        used_when = "The first unanswered call of the three-voicemail cadence."
        subject = "Following up, {{ prospect.first_name }}"   # emails only
        -#}

    ``subject`` is itself a Jinja string, rendered with the same context.

Context (what :func:`build_context` provides; every name is always present)
    ``prospect``: first_name, last_name, full_name, title, company, website,
    phone (national display, "(505) 828-1788"), timezone (IANA name).

    ``research``: company_summary, person_profile, angle.

    ``rep``: name, first_name, company, phone (national display, or
    "+1 505 828 1788" for a prospect in another country, told by their phone
    or else their time zone), phone_spoken (the same digit groups with pauses,
    "505 ... 828 ... 1788", to read slowly on a voicemail), email, signature.

    ``call``: type (the call type's name), minutes_needed, minutes_available.

    ``slot``: day ("Tuesday, November 24"), time ("2:30 PM"), timezone (the
    zone abbreviation, "MST"), minutes. The slot is shown in the prospect's
    time zone, or the rep's when the prospect has none.

    ``pain``: kind ("past", "present", "future", "peers"; absent for a
    negative answer), words.

    ``attempt``: number.

    ``next_call``: day, the day of the next call if the message is left now, on
    the prospect's calendar: "later today", "tomorrow", a weekday ("Monday"
    after a Friday message) or, a week or more away, "Monday, December 14". It
    is the day their cadence will put the call on; outside a running cadence,
    the next working day.

    ``voicemails``: when, how long ago the first voicemail of their cadence
    (or of all, when they are in none) was left, on their calendar: "today",
    "earlier this week", "last week" or "over the last few weeks"; missing when
    none was left.

Missing fields
    A value that is unknown (None or blank) is left out, and using it prints
    a visible marker instead of a silent blank: ``[missing: prospect.first_name]``
    in text, ``<mark class="missing">[missing: prospect.first_name]</mark>`` in
    HTML. :attr:`RenderedScript.missing_fields` lists them. Tests such as
    ``{% if research.angle %}`` and ``| default(...)`` work on a missing field
    without printing a marker, so optional fields stay optional.

Filters added for script authors
    ``full_stop``: the text with a full stop at its end unless it already ends
    with ". ! ?" (rep-typed research notes rarely end consistently).

Safety
    Scripts run in Jinja's sandbox: the rep can edit them, and a script must
    not be able to reach Python internals (``{{ ''.__class__ }}``). Any error
    while compiling or rendering becomes a :class:`~callassist.errors.ScriptError`
    naming the script and line; rendering never crashes the window.

Limits
    A script that never finishes or that would fill the memory is stopped
    with a ScriptError naming it, and nothing else is affected:

    - filling in one script (text, subject and HTML together) may take
      :data:`RENDER_TIME_LIMIT_SECONDS`; the clock is read at every pass of a
      loop, every call and every printed value, so a loop with an empty body
      is stopped too;
    - a script may produce :data:`RENDER_OUTPUT_LIMIT` characters in all,
      counting text built inside macros and ``{% set %}`` blocks (each pass
      of a loop is charged its literal text);
    - no single value may print longer than that: a string, a list (its
      nested lists counted each time they appear) or a number (in digits)
      built with ``*``, ``**``, ``+``, ``~``, ``%``, a filter or a method is
      refused, before it is built wherever its size can be known from the
      arguments (``'x' * 10**9``, ``ljust(10**9)``,
      ``'{:>999999999}'.format(x)``, ``replace``, ``indent``, ``join``,
      ``batch``), else as soon as it exists; a list grown in place
      (``items.extend(items)``) is measured after each call.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.resources
import math
import os
import re
import string
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Literal, NoReturn, cast, get_args

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    Undefined,
    UndefinedError,
    nodes,
    select_autoescape,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment
from markupsafe import Markup, escape

from callassist.errors import NotFoundError, ScriptError
from callassist.phones import (
    display_phone,
    phone_spoken_for,
    phone_written_for,
    region_of,
    region_of_zone,
    zone,
)
from callassist.records import (
    CallTypeRecord,
    ProfileRecord,
    ProspectRecord,
    ResearchRecord,
)

ScriptChannel = Literal["call", "voicemail", "email"]
ScriptOrigin = Literal["bundled", "user"]

BUNDLED_DIR: Path = Path(str(importlib.resources.files("scripts_templates")))
"""The folder of the bundled scripts (a regular package, shipped in the wheel)."""

TEXT_SUFFIX = ".txt.j2"
HTML_SUFFIX = ".html.j2"

WORDS_PER_MINUTE = 150
"""A calm speaking pace; voicemails are timed against it."""

PAUSE_SECONDS = 0.5
"""What each "..." adds to a voicemail's speaking time: the pause it asks for."""

RENDER_TIME_LIMIT_SECONDS = 2.0
"""How long filling in one script may take before it is stopped (see Limits above)."""

RENDER_OUTPUT_LIMIT = 100_000
"""The most characters one script may produce, and the longest value it may build.

About 15,000 words: far more than any call, voicemail or email needs.
"""

_CHANNELS: tuple[str, ...] = get_args(ScriptChannel)
_HEADER_KEYS = ("title", "channel", "used_when", "subject")
_SCRIPT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_HEADER = re.compile(r"\A(\s*)\{#-?(.*?)-?#\}", re.DOTALL)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)\s*$")
_MARKER_TEXT = "[missing: {}]"
# Case-insensitive so a marker that went through `upper` or `title` still counts.
_MARKER = re.compile(r"\[(missing): ([^\]]+)\]", re.IGNORECASE)

# English names on purpose: the scripts are English, and strftime's %A/%B follow
# the process locale, which Qt sets from the desktop.
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

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
    """Where the file in effect comes from: the rep's folder ("user") or ours."""
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


class Fields:
    """A read-only group of named values, such as ``prospect`` or ``rep``.

    Values that are None or blank are left out, so a script using them gets
    a missing-field marker. Asking for an absent name raises AttributeError,
    which makes Jinja produce an Undefined that points back at this object:
    that is how the marker can say ``prospect.first_name`` rather than just
    ``first_name``. There are no public methods, so no field name is ever
    shadowed by one.
    """

    __slots__ = ("_label", "_values")

    _label: str
    _values: Mapping[str, object]

    def __init__(self, label: str, values: Mapping[str, object]) -> None:
        kept = {key: _clean(value) for key, value in values.items() if not _is_blank(value)}
        object.__setattr__(self, "_label", label)
        object.__setattr__(self, "_values", MappingProxyType(kept))

    def __getattr__(self, name: str) -> object:
        # Private names never come from the values; refusing them early also
        # avoids recursion while the slots are not yet set.
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"{self._label} has no {name}") from None

    def __getitem__(self, name: str) -> object:
        return self._values[name]

    def __contains__(self, name: object) -> bool:
        return name in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{self._label} fields are read-only")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{self._label} fields are read-only")

    def __repr__(self) -> str:
        return f"Fields({self._label!r}, {dict(self._values)!r})"


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean(value: object) -> object:
    # Notes typed into a form often carry stray spaces and newlines at the ends.
    return value.strip() if isinstance(value, str) else value


class MissingField(Undefined):
    """Jinja's Undefined, made visible: prints ``[missing: prospect.first_name]``.

    It stays falsy, empty and iterable like Jinja's own Undefined so
    ``{% if %}`` and ``default`` work; attribute access on it chains the name
    (``slot.day`` when ``slot`` itself is missing). Arithmetic and comparisons
    still raise, becoming a ScriptError with the line.

    The sandbox reports unsafe attributes through an Undefined too (with
    SecurityError as its exception): those must never print as a harmless
    marker, so every use of them raises.
    """

    __slots__ = ()

    @property
    def _is_violation(self) -> bool:
        return not issubclass(self._undefined_exception, UndefinedError)

    @property
    def missing_label(self) -> str:
        """The dotted name of what is missing, e.g. "prospect.first_name"."""
        parent = self._undefined_obj
        name = str(self._undefined_name) if self._undefined_name is not None else "value"
        if isinstance(parent, Fields):
            return f"{parent._label}.{name}"
        if isinstance(parent, MissingField):
            return f"{parent.missing_label}.{name}"
        return name

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        return f"{self.missing_label} is missing, so it cannot be used here"

    def __str__(self) -> str:
        if self._is_violation:
            self._fail_with_undefined_error()
        return _MARKER_TEXT.format(self.missing_label)

    def __html__(self) -> Markup:
        return Markup('<mark class="missing">{}</mark>').format(str(self))

    def __getattr__(self, name: str) -> MissingField:
        if name[:2] == "__" and name[-2:] == "__":
            raise AttributeError(name)
        if self._is_violation:
            self._fail_with_undefined_error()
        return MissingField(obj=self, name=name)

    def __getitem__(self, key: object) -> MissingField:  # type: ignore[override]
        if self._is_violation:
            self._fail_with_undefined_error()
        return MissingField(obj=self, name=cast(str, key))

    def __call__(self, *args: object, **kwargs: object) -> MissingField:  # type: ignore[override]
        # `prospect.first_name.upper()` on a missing name: show the name that
        # is missing, not the method.
        if self._is_violation:
            self._fail_with_undefined_error()
        parent = self._undefined_obj
        return parent if isinstance(parent, MissingField) else self

    def __bool__(self) -> bool:
        if self._is_violation:
            self._fail_with_undefined_error()
        return False

    def __iter__(self) -> Iterator[object]:
        if self._is_violation:
            self._fail_with_undefined_error()
        yield from ()


def _full_stop(value: object) -> object:
    """The text ending with a full stop unless it already ends a sentence."""
    if isinstance(value, Undefined):
        return value
    text = str(value).rstrip()
    if not text or text.rstrip("\"'”’)")[-1:] in (".", "!", "?", "…"):
        return text
    return text + "."


@dataclass(frozen=True, slots=True)
class _Header:
    title: str
    channel: ScriptChannel
    used_when: str
    subject: str | None
    subject_line: int


# Limits ------------------------------------------------------------------------


class ScriptLimitError(TemplateError):
    """A script went past :data:`RENDER_TIME_LIMIT_SECONDS` or :data:`RENDER_OUTPUT_LIMIT`."""


def _too_long() -> ScriptLimitError:
    return ScriptLimitError(
        f"it would produce more than {RENDER_OUTPUT_LIMIT:,} characters, so it was stopped;"
        " look for a loop or a repeat that runs away"
    )


@dataclass(slots=True)
class _RenderBudget:
    """What is left to one render: its deadline and the characters it may still produce."""

    deadline: float
    characters_left: int

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ScriptLimitError(
                f"it took longer than {RENDER_TIME_LIMIT_SECONDS:g} seconds, so it was stopped;"
                " look for a loop that never ends"
            )

    def charge(self, characters: int) -> None:
        self.characters_left -= characters
        if self.characters_left < 0:
            raise _too_long()
        self.check_time()


# Per thread and per task: the editor's preview renders in a worker while the
# window may render another script.
_BUDGET: ContextVar[_RenderBudget | None] = ContextVar("script_render_budget", default=None)


def _check_time() -> None:
    budget = _BUDGET.get()
    if budget is not None:
        budget.check_time()


def _printed_size(value: object) -> int:
    """About how many characters ``value`` takes once printed, counted to just past the limit.

    Parts shared inside a list count each time they appear, as printing
    repeats them: ``[l, l]`` built up in a loop prints in a size that doubles.
    """
    total = 0
    pending = [value]
    while pending and total <= RENDER_OUTPUT_LIMIT:
        item = pending.pop()
        if isinstance(item, (str, bytes)):
            total += len(item)
        elif isinstance(item, bool) or not isinstance(item, (int, list, tuple, set, dict)):
            total += 1
        elif isinstance(item, int):
            total += _digits(item)
        else:
            # Brackets and separators, then the items.
            total += 2 + 2 * len(item)
            if total <= RENDER_OUTPUT_LIMIT:
                pending.extend(item.items() if isinstance(item, dict) else item)
    return total


def _refuse_long(*values: object) -> None:
    """Refuse values that would print past the output limit (a number counts its digits)."""
    for value in values:
        _refuse_past(_printed_size(value))


def _refuse_past(size: int) -> None:
    if size > RENDER_OUTPUT_LIMIT:
        raise _too_long()


def _digits(number: int) -> int:
    # From the bit length: exact enough, and free even for huge numbers.
    return math.ceil(abs(number).bit_length() * math.log10(2)) + 1


def _count(value: object) -> int:
    """A width or count given to a filter or method; 0 when it is not a number."""
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


_SIZED = (str, bytes, list, tuple)


def _operator_size(operator: str, left: object, right: object) -> int:
    """The size ``left operator right`` would have, for the operators that can grow a value."""
    if operator == "*":
        if isinstance(left, _SIZED) and isinstance(right, int):
            return _printed_size(left) * right
        if isinstance(right, _SIZED) and isinstance(left, int):
            return _printed_size(right) * left
        if isinstance(left, int) and isinstance(right, int):
            return _digits(left) + _digits(right)
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            return math.ceil(right * math.log10(abs(left)))
    elif operator == "+" and isinstance(left, _SIZED) and isinstance(right, _SIZED):
        return _printed_size(left) + _printed_size(right)
    elif operator == "%" and isinstance(left, str):
        return len(left) + _widest_printf_field(left, right) + _printed_size(right)
    return 0


_PRINTF_FIELD = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(\*|\d*)(?:\.(\*|\d*))?")


def _widest_printf_field(template: str, arguments: object) -> int:
    """The largest width or precision a ``%`` format asks for (``*`` takes an argument)."""
    fields = _PRINTF_FIELD.findall(template)
    sizes = [int(part) for field in fields for part in field if part.isdigit()]
    if any("*" in field for field in fields):
        values = arguments if isinstance(arguments, tuple) else (arguments,)
        sizes.extend(_count(value) for value in values)
    return max(sizes, default=0)


def _widest_format_field(template: str, arguments: Iterable[object]) -> int:
    """The largest number in the field specs of a ``str.format`` string, or in its arguments
    when a spec takes its width from them (``{:{}}``)."""
    try:
        specs = [spec for _, _, spec, _ in string.Formatter().parse(template) if spec]
    except ValueError:
        return 0  # str.format itself reports the broken string
    sizes = [int(number) for spec in specs for number in re.findall(r"\d+", spec)]
    if any("{" in spec for spec in specs):
        sizes.extend(_count(value) for value in arguments)
    return max(sizes, default=0)


def _joined_size(items: list[object], separator: object) -> int:
    return sum(_printed_size(item) for item in items) + len(str(separator)) * len(items)


def _replaced_size(
    text: object, old: object, new: object, count: object = None, **_options: object
) -> int:
    text, old, new = str(text), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * max(len(new) - len(old), 0)


def _padded_size(text: object, width: object = 80, *_options: object) -> int:
    return max(len(str(text)), _count(width))


def _expanded_size(text: str, tab_size: object = 8) -> int:
    return len(text) + text.count("\t") * _count(tab_size)


def _indented_size(text: object, width: object = 4, *_flags: object, **_options: object) -> int:
    text = str(text)
    step = len(width) if isinstance(width, str) else _count(width)
    return len(text) + (text.count("\n") + 1) * step


_METHOD_SIZES: dict[str, Callable[..., int]] = {
    "center": _padded_size,
    "ljust": _padded_size,
    "rjust": _padded_size,
    "zfill": _padded_size,
    "expandtabs": _expanded_size,
    "replace": _replaced_size,
}
"""Text methods whose result can be far larger than the text: the size it would have."""

_FILTER_SIZES: dict[str, Callable[..., int]] = {
    "center": _padded_size,
    "indent": _indented_size,
    "replace": _replaced_size,
    "format": lambda text, *args, **kwargs: _operator_size("%", str(text), kwargs or args),
    # A batch or slice is padded to its size with fill_with.
    "batch": lambda items, size, *_, **__: _count(size),
    "slice": lambda items, slices, *_, **__: _count(slices),
}
"""Filters whose result can be far larger than their value: the size it would have."""


def _estimated(
    estimate: Callable[..., int], values: list[object], options: dict[str, object]
) -> int:
    try:
        return estimate(*values, **options)
    except TypeError:
        return 0  # arguments the filter or method itself will refuse, with its own words


def _limit_filter(name: str, function: Callable[..., object]) -> Callable[..., object]:
    """``function`` sized before it runs when it can grow its value, and its result measured."""
    # Jinja passes the context or environment first to filters marked so.
    skip = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0
    estimate = _FILTER_SIZES.get(name)

    @functools.wraps(function)
    def limited(*args: object, **kwargs: object) -> object:
        _check_time()
        values = list(args[skip:])
        if values:
            _refuse_long(values[0])
            if name == "join" and isinstance(values[0], Iterable):
                # Joined here, so it is listed once and measured before it is joined.
                items = list(values[0])
                separator = values[1] if len(values) > 1 else kwargs.get("d", "")
                _refuse_past(_joined_size(items, separator))
                args = (*args[:skip], items, *args[skip + 1 :])
            elif estimate is not None:
                _refuse_past(_estimated(estimate, values, kwargs))
        result = function(*args, **kwargs)
        _refuse_long(result)
        return result

    return limited


class _LimitedCodeGenerator(CodeGenerator):
    """Jinja's code generator with the two checks no sandbox hook can make.

    Every ``for`` loop goes through :meth:`_LimitedEnvironment.guard_loop`, so
    even a loop whose body does nothing is stopped on time; and ``~`` measures
    what it joins and its result, so doubling a string is stopped.
    """

    def visit_For(self, node: nodes.For, frame: Frame) -> None:  # noqa: N802 (Jinja's visitor name)
        guarded = nodes.Call(
            nodes.EnvironmentAttribute("guard_loop", lineno=node.lineno),
            [node.iter, nodes.Const(_literal_characters(node.body), lineno=node.lineno)],
            [],
            None,
            None,
            lineno=node.lineno,
        )
        super().visit_For(
            nodes.For(
                node.target,
                guarded,
                node.body,
                node.else_,
                node.test,
                node.recursive,
                lineno=node.lineno,
            ),
            frame,
        )

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802 (Jinja's visitor name)
        measured = [
            nodes.Call(
                nodes.EnvironmentAttribute("limit_size", lineno=part.lineno),
                [part],
                [],
                None,
                None,
                lineno=part.lineno,
            )
            for part in node.nodes
        ]
        self.write("environment.limit_size(")
        super().visit_Concat(nodes.Concat(measured, lineno=node.lineno), frame)
        self.write(")")


def _literal_characters(body: list[nodes.Node]) -> int:
    """The literal text a loop's body can write each pass; inner loops charge their own."""
    total = 0
    pending: list[nodes.Node] = list(body)
    while pending:
        node = pending.pop()
        if isinstance(node, (nodes.For, nodes.Macro)):
            continue
        if isinstance(node, nodes.TemplateData):
            total += len(node.data)
        elif isinstance(node, nodes.Const) and isinstance(node.value, str):
            total += len(node.value)
        pending.extend(node.iter_child_nodes())
    return total


def _charge_output(value: object) -> object:
    """Charge each printed value to the render's budget (Jinja's ``finalize`` hook).

    Values printed inside macros and ``{% set %}`` blocks pass here too, which
    is how text built out of sight is counted.
    """
    budget = _BUDGET.get()
    if budget is not None and not isinstance(value, Undefined):
        budget.charge(_printed_size(value))
    return value


class _LimitedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox that also stops runaway scripts (see Limits in the module docstring)."""

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: object) -> None:
        super().__init__(finalize=_charge_output, **options)
        # Paragraphs of lorem ipsum, as many as asked: no script needs them.
        del self.globals["lipsum"]
        self.filters = {name: _limit_filter(name, f) for name, f in self.filters.items()}

    def guard_loop(self, items: Iterable[object], characters_per_pass: int) -> Iterator[object]:
        """The loop's items, charging each pass its literal text and checking the clock."""
        budget = _BUDGET.get()
        for item in items:
            if budget is not None:
                budget.charge(characters_per_pass)
            yield item

    def limit_size(self, value: object) -> object:
        """A part or the result of ``~``, refused past the output limit."""
        _refuse_long(value)
        return value

    def call_binop(self, context: Context, operator: str, left: object, right: object) -> object:
        _check_time()
        _refuse_past(_operator_size(operator, left, right))
        result = super().call_binop(context, operator, left, right)
        _refuse_long(result)
        return result

    def wrap_str_format(self, value: object) -> Callable[..., str] | None:
        wrapper = super().wrap_str_format(value)
        if wrapper is None:
            return None
        template = cast(str, getattr(value, "__self__", ""))

        def measured(*args: object, **kwargs: object) -> str:
            arguments = [*args, *kwargs.values()]
            _refuse_past(len(template) + _widest_format_field(template, arguments))
            _refuse_long(*arguments)
            return wrapper(*args, **kwargs)

        return functools.update_wrapper(measured, wrapper)

    def call(
        __self,  # noqa: N805 (Jinja's own signature, so keyword arguments pass through)
        __context: Context,
        __obj: object,
        *args: object,
        **kwargs: object,
    ) -> object:
        _check_time()
        owner = getattr(__obj, "__self__", None)
        method = getattr(__obj, "__name__", "")
        if isinstance(owner, str):
            if method == "join" and len(args) == 1:
                # Joined here, so it is listed once and measured before it is joined.
                items = list(cast(Iterable[object], args[0]))
                _refuse_past(_joined_size(items, owner))
                args = (items,)
            elif method in _METHOD_SIZES:
                _refuse_past(_estimated(_METHOD_SIZES[method], [owner, *args], kwargs))
        result = super().call(__context, __obj, *args, **kwargs)
        # A list or dict can grow in place: `items.extend(items)` in a loop doubles it.
        _refuse_long(result, owner)
        return result


class ScriptLibrary:
    """The bundled scripts plus the rep's own, rendered in Jinja's sandbox.

    ``user_dir`` is the rep's folder (it need not exist yet); None means
    bundled scripts only, e.g. in a read-only preview.
    """

    def __init__(self, user_dir: Path | None, bundled_dir: Path = BUNDLED_DIR) -> None:
        self.user_dir = user_dir
        self.bundled_dir = bundled_dir
        loaders: list[BaseLoader] = []
        if user_dir is not None:
            loaders.append(FileSystemLoader(user_dir, encoding="utf-8"))
        loaders.append(FileSystemLoader(bundled_dir, encoding="utf-8"))
        self._env = _LimitedEnvironment(
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
            # No template cache: the rep edits files while the app runs, and a
            # cache keyed on mtime can miss two saves within one mtime tick.
            # Scripts are tiny, so compiling each time costs nothing noticeable.
            cache_size=0,
        )
        self._env.filters["full_stop"] = _full_stop

    # Listing ---------------------------------------------------------------

    def list_scripts(self) -> list[ScriptInfo]:
        """Every usable script, sorted by name; broken ones are in :meth:`problems`."""
        return self._scan()[0]

    def problems(self) -> list[ScriptError]:
        """Why some of the rep's scripts are left out of :meth:`list_scripts`."""
        return self._scan()[1]

    def info(self, name: str) -> ScriptInfo:
        """The script called ``name``; ScriptError when its header is broken."""
        source, origin = self._effective(name)
        header = self._parse_header(name, source)
        return self._info(name, header, origin)

    def _scan(self) -> tuple[list[ScriptInfo], list[ScriptError]]:
        names: set[str] = set()
        problems: list[ScriptError] = []
        for folder in (self.bundled_dir, self.user_dir):
            if folder is None or not folder.is_dir():
                continue
            for path in folder.glob("*" + TEXT_SUFFIX):
                name = path.name.removesuffix(TEXT_SUFFIX)
                if _SCRIPT_NAME.match(name):
                    names.add(name)
                else:
                    problems.append(
                        ScriptError(
                            path.name,
                            None,
                            "a script name uses only letters, digits, _ and -; rename the file",
                        )
                    )
        scripts: list[ScriptInfo] = []
        for name in sorted(names):
            try:
                scripts.append(self.info(name))
            except ScriptError as error:
                # One broken file must not hide the rest of the list.
                problems.append(error)
        return scripts, problems

    def _info(self, name: str, header: _Header, origin: ScriptOrigin) -> ScriptInfo:
        return ScriptInfo(
            name=name,
            title=header.title,
            channel=header.channel,
            used_when=header.used_when,
            origin=origin,
            has_html=self._html_file(name, "user") is not None
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
        return _read(path)

    def save_user_source(self, name: str, source: str) -> Path:
        """Save the rep's version of a script; nothing is written if it is broken."""
        if not _SCRIPT_NAME.match(name):
            raise ScriptError(name, None, "a script name uses only letters, digits, _ and -")
        if self.user_dir is None:
            raise ScriptError(name, None, "there is no folder for your own scripts")
        self._compile(name + TEXT_SUFFIX, source, f"<unsaved {name}{TEXT_SUFFIX}>")
        self._parse_header(name, source)
        target = self.user_dir / (name + TEXT_SUFFIX)
        try:
            _write_atomically(target, source)
        except OSError as error:
            raise ScriptError(name, None, f"could not save {target}: {error.strerror}") from error
        return target

    def reset_to_bundled(self, name: str) -> None:
        """Delete the rep's override of a bundled script (text and HTML)."""
        if self._text_file(name, "bundled") is None:
            raise NotFoundError(f"no bundled script named {name}")
        if self.user_dir is None:
            return
        for suffix in (TEXT_SUFFIX, HTML_SUFFIX):
            (self.user_dir / (name + suffix)).unlink(missing_ok=True)

    def _effective(self, name: str) -> tuple[str, ScriptOrigin]:
        for origin in ("user", "bundled"):
            path = self._text_file(name, origin)
            if path is not None:
                return _read(path), origin
        raise NotFoundError(f"no script named {name}; `callassist scripts` lists them")

    def _folder(self, origin: ScriptOrigin) -> Path | None:
        return self.user_dir if origin == "user" else self.bundled_dir

    def _text_file(self, name: str, origin: ScriptOrigin) -> Path | None:
        return self._file(name, origin, TEXT_SUFFIX)

    def _html_file(self, name: str, origin: ScriptOrigin) -> Path | None:
        return self._file(name, origin, HTML_SUFFIX)

    def _file(self, name: str, origin: ScriptOrigin, suffix: str) -> Path | None:
        folder = self._folder(origin)
        # The name check keeps "../x" and the like out of the folders.
        if folder is None or not _SCRIPT_NAME.match(name):
            return None
        path = folder / (name + suffix)
        return path if path.is_file() else None

    # Rendering -------------------------------------------------------------

    def render(self, name: str, context: Mapping[str, object]) -> RenderedScript:
        """Fill in the script in effect for ``name``."""
        source, origin = self._effective(name)
        path = self._text_file(name, origin)
        return self._render(name, source, str(path), origin, context)

    def render_source(
        self, name: str, source: str, context: Mapping[str, object]
    ) -> RenderedScript:
        """Fill in unsaved text as if it were script ``name`` (the editor's preview)."""
        if not _SCRIPT_NAME.match(name):
            raise ScriptError(name, None, "a script name uses only letters, digits, _ and -")
        bundled = self._text_file(name, "bundled")
        # Unchanged bundled text pairs with the bundled HTML; edited text is
        # what the rep will save as their own.
        is_bundled = bundled is not None and _read(bundled) == source
        origin: ScriptOrigin = "bundled" if is_bundled else "user"
        return self._render(name, source, f"<unsaved {name}{TEXT_SUFFIX}>", origin, context)

    def _render(
        self,
        name: str,
        source: str,
        filename: str,
        origin: ScriptOrigin,
        context: Mapping[str, object],
    ) -> RenderedScript:
        header = self._parse_header(name, source)
        values = _wrap_context(context)
        text_name = name + TEXT_SUFFIX
        budget = _RenderBudget(
            deadline=time.monotonic() + RENDER_TIME_LIMIT_SECONDS,
            characters_left=RENDER_OUTPUT_LIMIT,
        )
        token = _BUDGET.set(budget)
        try:
            text = self._render_template(
                text_name, self._compile(text_name, source, filename), values
            ).strip()

            subject = None
            if header.subject is not None:
                subject = " ".join(self._render_subject(name, header, values).split())

            html = None
            if header.channel == "email":
                html = self._render_html(name, origin, text, values)
        finally:
            _BUDGET.reset(token)

        missing = _missing_fields(subject or "", text, html or "")
        words = _count_words(text)
        seconds = _speaking_seconds(text, words) if header.channel == "voicemail" else None
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
        self, name: str, text_origin: ScriptOrigin, text: str, values: Mapping[str, object]
    ) -> str | None:
        # The HTML must say what the text says: use an HTML file from the same
        # folder as the text (or the rep's own HTML), else build it from the text.
        user_html = self._html_file(name, "user")
        bundled_html = self._html_file(name, "bundled")
        chosen = user_html or (bundled_html if text_origin == "bundled" else None)
        if chosen is None:
            return _html_from_text(text) if bundled_html is not None else None
        html_name = name + HTML_SUFFIX
        source = _read(chosen)
        template = self._compile(html_name, source, str(chosen))
        return self._render_template(html_name, template, values).strip()

    def _render_subject(self, name: str, header: _Header, values: Mapping[str, object]) -> str:
        assert header.subject is not None
        try:
            template = self._env.from_string(header.subject)
            return _render_within_limits(template, values)
        except Exception as error:
            raise ScriptError(name, header.subject_line, f"subject: {_describe(error)}") from error

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
            return _render_within_limits(template, values)
        except Exception as error:
            line = _template_line(error, template.filename)
            if line is None and isinstance(error, TemplateSyntaxError):
                line = error.lineno
            raise ScriptError(template_name, line, _describe(error)) from error

    # Header ----------------------------------------------------------------

    def _parse_header(self, name: str, source: str) -> _Header:
        template_name = name + TEXT_SUFFIX
        match = _HEADER.match(source)
        if match is None:
            raise ScriptError(
                template_name,
                1,
                "the script must start with a {#- ... -#} header giving title, channel"
                " and used_when",
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
                self._env.parse(subject)
            except TemplateSyntaxError as error:
                fail("subject", f"subject: {error.message}")
        elif subject is not None:
            fail("subject", "only email scripts have a subject")
        return _Header(
            title=texts["title"],
            channel=cast(ScriptChannel, channel),
            used_when=texts["used_when"],
            subject=subject,
            subject_line=line_of("subject"),
        )


def _render_within_limits(template: Template, values: Mapping[str, object]) -> str:
    """Render chunk by chunk, stopping as soon as the output or the time runs past its limit."""
    budget = _BUDGET.get()
    chunks: list[str] = []
    length = 0
    for chunk in template.generate(values):
        length += len(chunk)
        if length > RENDER_OUTPUT_LIMIT:
            raise _too_long()
        if budget is not None:
            budget.check_time()
        chunks.append(chunk)
    return "".join(chunks)


def _read(path: Path) -> str:
    # A script saved by another editor in another encoding, or a file that
    # vanished or lost its permissions, is the rep's to fix, not a crash.
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ScriptError(path.name, None, "not UTF-8 text; save it as UTF-8") from error
    except OSError as error:
        raise ScriptError(path.name, None, f"could not read it: {error.strerror}") from error


def _wrap_context(context: Mapping[str, object]) -> dict[str, object]:
    # A plain mapping becomes Fields so its missing keys are labelled too
    # ("prospect.first_name", not just "first_name").
    return {
        key: Fields(key, value) if isinstance(value, Mapping) else value
        for key, value in context.items()
    }


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


def _missing_fields(*outputs: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for output in outputs:
        for match in _MARKER.finditer(output):
            label = match.group(2)
            # A marker passed through `upper`/`title` still names the field.
            seen.setdefault(label if match.group(1) == "missing" else label.lower(), None)
    return tuple(seen)


def _count_words(text: str) -> int:
    """The words said aloud, a simple estimate: each digit is a word of its own.

    A number in a voicemail is read digit by digit ("five oh five"), so
    "1788" is four words, not one; a token without digits is one word, and
    "..." between phone digit groups is a pause, not a word.
    """
    count = 0
    for token in text.split():
        digits = sum(ch.isdigit() for ch in token)
        count += digits if digits else int(any(ch.isalpha() for ch in token))
    return count


def _speaking_seconds(text: str, words: int) -> int:
    """Seconds to say ``words`` at WORDS_PER_MINUTE, plus PAUSE_SECONDS at each "..."."""
    pauses = text.count("...") + text.count("\u2026")
    return round(words / WORDS_PER_MINUTE * 60 + pauses * PAUSE_SECONDS)


def _html_from_text(text: str) -> str:
    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    blocks = []
    for paragraph in paragraphs:
        lines = [str(escape(line.strip())) for line in paragraph.strip().splitlines()]
        blocks.append("<p>" + "<br>\n".join(lines) + "</p>")
    body = _MARKER.sub(lambda m: f'<mark class="missing">{m.group(0)}</mark>', "\n".join(blocks))
    return _DERIVED_HTML_PAGE.format(body=body)


def _write_atomically(target: Path, text: str) -> None:
    # Write a temporary file next to the target and rename it over, so a
    # crash or a full disk never leaves half a script behind.
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# Context ---------------------------------------------------------------------


def build_context(
    *,
    profile: ProfileRecord,
    prospect: ProspectRecord | None = None,
    research: ResearchRecord | None = None,
    call_type: CallTypeRecord | None = None,
    minutes_available: int | None = None,
    slot: datetime | None = None,
    slot_minutes: int | None = None,
    pain_kind: str | None = None,
    pain_words: str | None = None,
    attempt_number: int | None = None,
    today: date | None = None,
    next_call_day: date | None = None,
    first_voicemail_day: date | None = None,
) -> dict[str, object]:
    """The values a script can use; see the module docstring for the list.

    ``slot`` must be an aware datetime; it is shown in the prospect's zone.
    ``today``, ``next_call_day`` and ``first_voicemail_day`` are days on the
    prospect's calendar; the last two are worded against ``today``.
    """
    prospect_values: dict[str, object] = {}
    if prospect is not None:
        prospect_values = {
            "first_name": prospect.first_name,
            "last_name": prospect.last_name,
            "full_name": prospect.full_name,
            "title": prospect.title,
            "company": prospect.company,
            "website": prospect.website,
            "phone": prospect.phone_display or display_phone(prospect.phone),
            "timezone": prospect.timezone,
        }

    # Where the prospect is decides whether the rep's number needs its country code.
    listener_region = None
    if prospect is not None:
        listener_region = (
            region_of(prospect.phone) if prospect.phone else region_of_zone(prospect.timezone)
        )

    research_values: dict[str, object] = {}
    if research is not None:
        research_values = {
            "company_summary": research.company_summary,
            "person_profile": research.person_profile,
            "angle": research.angle,
        }

    rep_values: dict[str, object] = {
        "name": profile.name,
        "first_name": profile.name.split()[0] if profile.name.split() else None,
        "company": profile.company,
        "phone": phone_written_for(profile.phone, listener_region),
        "phone_spoken": phone_spoken_for(profile.phone, listener_region),
        "email": profile.email,
        "signature": profile.signature,
    }

    call_values: dict[str, object] = {"minutes_available": minutes_available}
    if call_type is not None:
        call_values["type"] = call_type.name
        call_values["minutes_needed"] = call_type.minutes

    slot_values: dict[str, object] = {"minutes": slot_minutes}
    if slot is not None:
        if slot.tzinfo is None:
            raise ValueError("build_context needs an aware slot datetime")
        zone_name = (prospect.timezone if prospect is not None else None) or profile.timezone
        local = slot.astimezone(zone(zone_name))
        hour = local.hour % 12 or 12
        slot_values["day"] = f"{_WEEKDAYS[local.weekday()]}, {_MONTHS[local.month - 1]} {local.day}"
        slot_values["time"] = f"{hour}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
        slot_values["timezone"] = local.tzname() or zone_name

    pain_values: dict[str, object] = {
        # str() turns a PainKind into its plain value ("past").
        "kind": str(pain_kind) if pain_kind is not None else None,
        "words": pain_words,
    }

    return {
        "prospect": Fields("prospect", prospect_values),
        "research": Fields("research", research_values),
        "rep": Fields("rep", rep_values),
        "call": Fields("call", call_values),
        "slot": Fields("slot", slot_values),
        "pain": Fields("pain", pain_values),
        "attempt": Fields("attempt", {"number": attempt_number}),
        "next_call": Fields(
            "next_call",
            {"day": _day_said(next_call_day, today) if next_call_day and today else None},
        ),
        "voicemails": Fields(
            "voicemails",
            {
                "when": _span_said(first_voicemail_day, today)
                if first_voicemail_day and today
                else None
            },
        ),
    }


def _day_said(day: date, today: date) -> str:
    """The day of a call as a message says it to the listener."""
    ahead = (day - today).days
    if ahead <= 0:
        return "later today"
    if ahead == 1:
        return "tomorrow"
    weekday = _WEEKDAYS[day.weekday()]
    # A bare weekday a week or more away would name the coming one instead.
    if ahead < 7:
        return weekday
    return f"{weekday}, {_MONTHS[day.month - 1]} {day.day}"


def _span_said(first: date, today: date) -> str:
    """How long ago ``first`` was, in calendar weeks (Monday to Sunday) as people say it."""
    this_monday = today - timedelta(days=today.weekday())
    if first >= today:
        return "today"
    if first >= this_monday:
        return "earlier this week"
    if first >= this_monday - timedelta(days=7):
        return "last week"
    return "over the last few weeks"
