"""What a script sees of a value: read-only groups of fields, and a visible marker
for a missing one (see "Missing fields" in :mod:`callassist.templates`)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import NoReturn, cast

from jinja2 import Undefined, UndefinedError
from markupsafe import Markup

_MARKER_TEXT = "[missing: {}]"
# Case-insensitive so a marker that went through `upper` or `title` still counts.
MISSING_MARKER = re.compile(r"\[(missing): ([^\]]+)\]", re.IGNORECASE)


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


def full_stop(value: object) -> object:
    """The text ending with a full stop unless it already ends a sentence."""
    if isinstance(value, Undefined):
        return value
    text = str(value).rstrip()
    if not text or text.rstrip("\"'”’)")[-1:] in (".", "!", "?", "…"):
        return text
    return text + "."


def wrap_context(context: Mapping[str, object]) -> dict[str, object]:
    # A plain mapping becomes Fields so its missing keys are labelled too
    # ("prospect.first_name", not just "first_name").
    return {
        key: Fields(key, value) if isinstance(value, Mapping) else value
        for key, value in context.items()
    }


def missing_fields(*outputs: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for output in outputs:
        for match in MISSING_MARKER.finditer(output):
            label = match.group(2)
            # A marker passed through `upper`/`title` still names the field.
            seen.setdefault(label if match.group(1) == "missing" else label.lower(), None)
    return tuple(seen)
