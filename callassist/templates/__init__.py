"""Scripts: Jinja templates for calls, voicemails and emails, rendered safely.

A script is a file ``NAME.txt.j2`` (plain text, every script has one) and, for
emails, optionally ``NAME.html.j2``. The bundled scripts live in the
``scripts_templates`` package; the team's version of a script and the rep's own
are kept in the database (:mod:`callassist.stored_versions`), and a file of the
rep's own folder (:func:`callassist.paths.user_template_dir`) counts as theirs
until it is brought into the database. A new name is a new script.

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
      is stopped too. A render the computer held up while the script did
      almost nothing (a busy machine, a slow disk) is not a runaway one: it is
      stopped only once it has also kept the processor busy for a quarter of
      the limit;
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

The package, one job per module: :mod:`~callassist.templates.library` finds,
lists, saves and renders scripts (the rep's own before ours);
:mod:`~callassist.templates.header` reads a script's header;
:mod:`~callassist.templates.context` builds what a script sees of a prospect;
:mod:`~callassist.templates.fields` shows a missing value as a marker;
:mod:`~callassist.templates.limits` stops a runaway script; and
:mod:`~callassist.templates.speaking` times a voicemail.
"""

from callassist.templates.context import build_context
from callassist.templates.fields import Fields, MissingField
from callassist.templates.header import ScriptChannel
from callassist.templates.library import (
    BUNDLED_DIR,
    HTML_SUFFIX,
    TEXT_SUFFIX,
    RenderedScript,
    ScriptInfo,
    ScriptLibrary,
    ScriptOrigin,
)
from callassist.templates.limits import (
    RENDER_OUTPUT_LIMIT,
    RENDER_TIME_LIMIT_SECONDS,
    ScriptLimitError,
)
from callassist.templates.speaking import PAUSE_SECONDS, WORDS_PER_MINUTE

__all__ = [
    "BUNDLED_DIR",
    "HTML_SUFFIX",
    "PAUSE_SECONDS",
    "RENDER_OUTPUT_LIMIT",
    "RENDER_TIME_LIMIT_SECONDS",
    "TEXT_SUFFIX",
    "WORDS_PER_MINUTE",
    "Fields",
    "MissingField",
    "RenderedScript",
    "ScriptChannel",
    "ScriptInfo",
    "ScriptLibrary",
    "ScriptLimitError",
    "ScriptOrigin",
    "build_context",
]
