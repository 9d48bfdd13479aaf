"""Errors the rep can act on, kept apart from bugs.

A :class:`KnownError` carries a message written for the rep: the database is
locked, the disk is full, a row of a CSV is invalid. The command line prints it
on one line and the window shows it in a message box; anything else is a bug
and keeps its traceback.
"""


class KnownError(Exception):
    """A problem with the environment or the input, explained in plain words."""


class DamagedError(KnownError):
    """The database file is damaged: a read reached a page SQLite cannot make sense of."""


class NotFoundError(KnownError):
    """The prospect, script or record asked for does not exist."""


class InvalidInputError(KnownError):
    """What the rep typed or imported cannot be stored as it is."""


class DatabaseTooNewError(KnownError):
    """The database was written by a newer callassist than this one."""


class ScriptError(KnownError):
    """A script template failed to load or render.

    ``template`` and ``line`` point at the place to fix; ``line`` is ``None``
    when Jinja could not tell.
    """

    def __init__(self, template: str, line: int | None, message: str) -> None:
        where = f"{template}, line {line}" if line is not None else template
        super().__init__(f"script {where}: {message}")
        self.template = template
        self.line = line
        self.detail = message


class RepNotChosenError(KnownError):
    """The database has several reps, or not the one named, and the work needs to know whose."""


class StaleEditError(KnownError):
    """An edit was made on an older version than the one stored: someone saved in between.

    Nothing of the edit was written. ``theirs`` holds the stored text of each
    field the edit would have changed, ``version`` the version to save on once
    the rep has chosen, ``changed_by`` and ``changed_at`` who saved it and when
    (``changed_at`` as the rep reads it, in their own zone: "at 09:14").
    """

    def __init__(
        self,
        *,
        what: str,
        changed_by: str,
        changed_at: str,
        theirs: dict[str, str],
        version: int,
    ) -> None:
        super().__init__(f"{changed_by} changed {what} {changed_at}; yours were not saved.")
        self.what = what
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.theirs = theirs
        self.version = version
