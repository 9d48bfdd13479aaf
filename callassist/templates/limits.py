"""Jinja's sandbox made safe from runaway scripts: a time and a size limit per render.

See "Limits" in :mod:`callassist.templates` for what is refused and when.
"""

from __future__ import annotations

import contextlib
import functools
import math
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import cast

from jinja2 import Template, TemplateError, Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

RENDER_TIME_LIMIT_SECONDS = 2.0
"""How long filling in one script may take before it is stopped."""

_WORKING_SHARE = 0.25
"""The last part of the time limit, in which a render must keep the processor busy to be
stopped once the limit is up.

A busy computer can hold a render up for seconds (other programs, a slow
disk) while the script itself does almost nothing: that is no runaway script,
and stopping it would fail a script that is fine. A loop that never ends keeps
the processor busy, so it is still stopped once the time is up.
"""

RENDER_OUTPUT_LIMIT = 100_000
"""The most characters one script may produce, and the longest value it may build.

About 15,000 words: far more than any call, voicemail or email needs.
"""


class ScriptLimitError(TemplateError):
    """A script went past :data:`RENDER_TIME_LIMIT_SECONDS` or :data:`RENDER_OUTPUT_LIMIT`."""


def _too_long() -> ScriptLimitError:
    return ScriptLimitError(
        f"it would produce more than {RENDER_OUTPUT_LIMIT:,} characters, so it was stopped;"
        " look for a loop or a repeat that runs away"
    )


@dataclass(slots=True)
class _RenderBudget:
    """What is left to one render: its deadlines and the characters it may still produce."""

    watched_from: float
    """On the clock (time.monotonic): when the render's own processor time starts to count."""
    deadline: float
    """On the clock (time.monotonic)."""
    characters_left: int
    working_deadline: float | None = None
    """In the processor time of the render's thread (time.thread_time), set at ``watched_from``.

    Read only once a render runs late: reading a thread's processor clock is a
    system call, which on some machines costs more than rendering a whole voicemail.
    """

    def check_time(self) -> None:
        now = time.monotonic()
        if now < self.watched_from:
            return
        if self.working_deadline is None:
            self.working_deadline = time.thread_time() + RENDER_TIME_LIMIT_SECONDS * _WORKING_SHARE
        elif now > self.deadline and time.thread_time() > self.working_deadline:
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


@contextlib.contextmanager
def render_budget() -> Iterator[None]:
    """One render's time and characters: everything filled in inside shares them."""
    started = time.monotonic()
    budget = _RenderBudget(
        watched_from=started + RENDER_TIME_LIMIT_SECONDS * (1 - _WORKING_SHARE),
        deadline=started + RENDER_TIME_LIMIT_SECONDS,
        characters_left=RENDER_OUTPUT_LIMIT,
    )
    token = _BUDGET.set(budget)
    try:
        yield
    finally:
        _BUDGET.reset(token)


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

    Every ``for`` loop goes through :meth:`LimitedEnvironment.guard_loop`, so
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


class LimitedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox that also stops runaway scripts (Limits in :mod:`callassist.templates`)."""

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


def render_within_limits(template: Template, values: Mapping[str, object]) -> str:
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
