"""Cadences: enrolling prospects, pausing and ending them, and the call queue they make."""

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from callassist.cadence import Cadence, CadenceError, read_cadence
from callassist.changes import Changes
from callassist.desk.base import DeskBase
from callassist.desk.scripts import message_kind, no_version_to_reset
from callassist.errors import InvalidInputError, KnownError, NotFoundError
from callassist.records import EnrollmentRecord, QueueItem
from callassist.services import cadences as cadence_service
from callassist.services import profile as profiles
from callassist.services import prospects, shared_versions
from callassist.services.cadence_queue import KeptStep, lines_of_day
from callassist.vocabulary import Outcome

KEEP_BATCH = 2_000
"""Worked-out steps stored per write transaction (a few milliseconds of the write lock)."""

KEEP_FROM = 100
"""The fewest worked-out steps a look stores. The window's look after each call works out
one prospect or a few: storing them would take the write lock and a sync to disk just
after the call's own, while the next first look works out a day's worth of calls in a
few milliseconds (and stores them, as there are then enough)."""

SETTLE_BATCH = 50
"""Prospects whose ended cadences are stored per write transaction (each holds the
write lock for a few milliseconds, so the rep's own saves never wait long)."""


class CadencesDesk(DeskBase):
    """The planned sequences of calls, voicemails and emails, and today's queue."""

    def cadences(self) -> tuple[list[Cadence], list[CadenceError]]:
        """Every usable cadence by name, and the files left out with their problem."""
        cadences, problems = self.cadence_library.load()
        return sorted(cadences.values(), key=lambda c: c.name), problems

    def save_cadence(self, name: str, source: str, *, team: bool = False) -> Changes:
        """Save the rep's own version of cadence ``name`` in the database (``team``: the
        team's version, which every rep without their own follows); a cadence that
        cannot be used is refused, naming its step, and nothing is stored.

        A team's cadence may name only the team's and the bundled scripts: a rep's own
        script is not there for the others.
        """
        shared_versions.refuse_bad_name("cadence", name)
        scripts = (
            self.scripts.team_script_names()
            if team
            else {script.name for script in self.scripts.list_scripts()}
        )
        read_cadence(name, source, "team" if team else "user", scripts)
        with self._transaction() as session:
            shared_versions.save_version(session, self.clock(), "cadence", name, source, team=team)
        return self._changed(Changes(cadences=True))

    def reset_cadence(self, name: str, *, team: bool = False) -> Changes:
        """Delete the rep's own version of cadence ``name`` (``team``: the team's): the
        team's version, else the bundled one, is followed again."""
        # A version still in the rep's folder is reset too: its file is no longer read.
        waiting = {path.name for path in self.cadence_library.folder_files()}
        files = [name + ".toml"] if not team and name + ".toml" in waiting else []
        with self._transaction() as session:
            deleted = shared_versions.delete_version(session, "cadence", name, team=team)
            set_aside = shared_versions.set_aside(session, self.clock(), "cadence", files)
        if not (deleted or set_aside):
            raise NotFoundError(no_version_to_reset("cadence", name, team=team))
        return self._changed(Changes(cadences=True))

    def enroll(
        self, prospect_id: int, cadence: str, *, confirmed: bool = False
    ) -> EnrollmentRecord:
        """Start ``cadence`` for a prospect now; any earlier cadence of theirs ends.

        Someone not interested or unreachable is enrolled only when ``confirmed``.
        """
        chosen = self._cadence(cadence)
        with self._transaction() as session:
            record = cadence_service.enroll(
                session, self.clock, prospect_id, chosen, confirmed=confirmed
            )
        self._changed(Changes(cadences=True, prospect_ids=frozenset({prospect_id})))
        return record

    def _cadence(self, name: str) -> Cadence:
        """The cadence ``name``, read again from the database when it is not known: a
        colleague may have saved it as the team's since this desk last read them."""
        try:
            return self.cadence_library.get(name)
        except CadenceError:
            self._kept_versions.forget()
            return self.cadence_library.get(name)

    def pause_cadence(self, prospect_id: int) -> EnrollmentRecord:
        with self._transaction() as session:
            record = cadence_service.pause(session, self.clock, prospect_id, self._cadences())
        self._changed(Changes(cadences=True, prospect_ids=frozenset({prospect_id})))
        return record

    def resume_cadence(self, prospect_id: int) -> EnrollmentRecord:
        with self._transaction() as session:
            record = cadence_service.resume(session, self.clock, prospect_id, self._cadences())
        self._changed(Changes(cadences=True, prospect_ids=frozenset({prospect_id})))
        return record

    def remove_from_cadence(self, prospect_id: int) -> None:
        with self._transaction() as session:
            cadence_service.remove(session, prospect_id)
        self._changed(Changes(cadences=True, prospect_ids=frozenset({prospect_id})))

    def enroll_many(self, prospect_ids: Sequence[int], cadence: str) -> int:
        """Enroll several prospects at once (from the list); return how many."""
        chosen = self._cadence(cadence)
        with self._transaction() as session:
            for prospect_id in prospect_ids:
                cadence_service.enroll(session, self.clock, prospect_id, chosen)
        self._changed(Changes(cadences=True, prospect_ids=frozenset(prospect_ids)))
        return len(prospect_ids)

    def change_enrollments(self, prospect_ids: Sequence[int], change: str) -> int:
        """Pause, resume or remove several prospects' cadences at once; return how many changed.

        Prospects it does not apply to (in no cadence, already paused...) are left alone.
        """
        cadences = self._cadences()
        operations: dict[str, Callable[[Session, int], object]] = {
            "pause": lambda session, pid: cadence_service.pause(session, self.clock, pid, cadences),
            "resume": lambda session, pid: cadence_service.resume(
                session, self.clock, pid, cadences
            ),
            "remove": cadence_service.remove,
        }
        if change not in operations:
            raise InvalidInputError(f"unknown change {change!r}: pause, resume or remove")
        changed = 0
        with self._transaction() as session:
            for prospect_id in prospect_ids:
                try:
                    operations[change](session, prospect_id)
                except (NotFoundError, InvalidInputError):
                    continue
                changed += 1
        self._changed(Changes(cadences=True, prospect_ids=frozenset(prospect_ids)))
        return changed

    def enrollment(self, prospect_id: int) -> EnrollmentRecord | None:
        """The prospect's cadence and next step, or None when they are in none."""
        with self._transaction(writes=False) as session:
            try:
                return cadence_service.describe(session, self.clock, prospect_id, self._cadences())
            except NotFoundError:
                prospects.prospect_row(session, prospect_id)
                return None

    def queue(self, day: date | None = None, *, team: bool = False) -> list[QueueItem]:
        """The rep's call queue for ``day`` (default: their today): due and overdue first.
        ``team``: every rep's, each line naming its owner.

        A read, which changes nothing: see :meth:`settle_cadences`.
        """
        cadences = self._cadences()
        with self._transaction(writes=False) as session:
            look = self._kept_queue.lines(session, cadences)
            items = lines_of_day(look.lines, self.clock(), look.reaches.rep.zone, day)
            # A rep alone: every prospect is theirs.
            everyone = not team and self.rep is not None and profiles.count_reps(session) == 1
            if not everyone:
                owners = profiles.owners_of(session, {item.prospect_id for item in items})
                rep_id = profiles.acting_rep_id(session)
        self._keep_worked_out(look.worked_out)
        if everyone:
            return items
        if team:
            return [replace(item, owner=owners[item.prospect_id].called) for item in items]
        return [item for item in items if owners[item.prospect_id].id == rep_id]

    def _keep_worked_out(self, worked: Sequence[KeptStep]) -> None:
        """Keep the steps a look worked out, for the next look (the next day's first, or
        another program's), a batch per write so a save of the rep's waits for one batch
        at most.

        A write refused (the lock held past the wait by another program, a team's
        server that lets this rep only read) loses only time: the look already has its
        lines, and the next one works these out again.
        """
        if len(worked) < KEEP_FROM:
            return
        for start in range(0, len(worked), KEEP_BATCH):
            try:
                with self._transaction() as session:
                    cadence_service.keep_worked_out(session, worked[start : start + KEEP_BATCH])
            except (KnownError, DBAPIError):
                return

    def forget_queue(self) -> None:
        """Work the next look at the queue out from scratch, as the first look of the day is.

        Changes made here are followed line by line, and another program's within a
        minute; this is for whoever must time or see the look from scratch.
        """
        self._kept_queue.forget()

    def settle_cadences(self) -> Changes:
        """End the cadences that ran their course as time went by; their prospects move on.

        A logged call settles its prospect's cadence at once; a move-on step
        that simply came due is stored here, before a look at the queue: the
        window's first and each minute's, the command line's ``queue`` and
        ``review``. Nothing is announced when nothing ended.

        Who is due comes from the queue's lines (kept between looks, and at a first
        look read from the steps the database keeps): a move-on step due by now, or a
        cadence the history already ended that was never stored as ended (a reply an
        older version logged while it was paused).
        """
        cadences = self._cadences()
        with self._transaction(writes=False) as session:
            look = self._kept_queue.lines(session, cadences)
        now = self.clock()
        due = sorted(
            {line.prospect_id for line in look.lines if line.moves_on and line.due_at <= now}
        )
        self._keep_worked_out(look.worked_out)
        settled: set[int] = set()
        # Each batch works its prospects out again under the write lock, so a call
        # logged since the read is taken into account, and holds the lock briefly.
        for start in range(0, len(due), SETTLE_BATCH):
            with self._transaction() as session:
                settled |= cadence_service.settle(
                    session, self.clock, cadences, due[start : start + SETTLE_BATCH]
                )
        if not settled:
            return Changes()
        return self._changed(
            Changes(prospects=True, cadences=True, prospect_ids=frozenset(settled))
        )

    def step_message_script(self, prospect_id: int, outcome: Outcome) -> str | None:
        """The message the prospect's cadence step leaves, when one of ``outcome`` is logged.

        A voicemail left at a step with a voicemail, an email sent at an email
        step: the words the rep was told to leave, which the card then shows as
        the last message. None for other outcomes, outside a running cadence, and
        for a step whose script is of another kind (a call script is never the
        words of a voicemail).
        """
        kind = message_kind(outcome)
        if kind is None:
            return None
        try:
            enrollment = self.enrollment(prospect_id)
        except (CadenceError, cadence_service.BadZoneError):
            # A broken cadence file or a stored zone that is none is reported where
            # the cadence is shown; the call is still logged, with no step's words.
            return None
        if enrollment is None or enrollment.next_script is None:
            return None
        try:
            channel = self.scripts.info(enrollment.next_script).channel
        except NotFoundError:
            # A script of the enrolling colleague's own, which this rep does not have:
            # the call is still logged, with no step's words.
            return None
        if channel != kind:
            return None
        return enrollment.next_script
