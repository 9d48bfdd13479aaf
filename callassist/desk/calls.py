"""Calls: starting and finishing them, the time check, the pains heard, and their outcome."""

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from callassist.changes import Changes
from callassist.desk.base import DeskBase
from callassist.desk.scripts import refuse_words_of_another_kind
from callassist.records import AttemptRecord, PainRecord, TimeCheckRecord
from callassist.services import activity, bookings, step_claims
from callassist.services import cadences as cadence_service
from callassist.services import profile as profiles
from callassist.services.bookings import Rescheduled
from callassist.vocabulary import Outcome, PainKind


class CallsDesk(DeskBase):
    """What happens on the phone, and what a logged outcome sets moving."""

    def log_attempt(
        self,
        prospect_id: int,
        outcome: Outcome,
        *,
        at: datetime | None = None,
        notes: str = "",
        script_name: str | None = None,
        rendered_text: str | None = None,
    ) -> AttemptRecord:
        """Record a finished attempt; the prospect's status follows its outcome."""
        refuse_words_of_another_kind(self.scripts, outcome, script_name)
        with self._transaction() as session:
            record = self._log(session, prospect_id, outcome, at, notes, script_name, rendered_text)
        self._changed(after_logging(prospect_id))
        return record

    def log_rescheduled(
        self,
        prospect_id: int,
        *,
        slot: datetime,
        call_type: str,
        at: datetime | None = None,
        notes: str = "",
        script_name: str | None = None,
        rendered_text: str | None = None,
        invites_folder: Path | None = None,
    ) -> tuple[AttemptRecord, Rescheduled]:
        """Record a call that ended with a time agreed, and book that time, all or nothing."""
        refuse_words_of_another_kind(self.scripts, Outcome.RESCHEDULED, script_name)
        with self._transaction() as session:
            attempt = self._log(
                session, prospect_id, Outcome.RESCHEDULED, at, notes, script_name, rendered_text
            )
            booking = bookings.book(
                session,
                self.clock,
                prospect_id,
                slot=slot,
                call_type=call_type,
                attempt_id=attempt.id,
                invites_folder=invites_folder,
                minutes=None,
            )
        self._changed(after_logging(prospect_id))
        return attempt, booking

    def _log(
        self,
        session: Session,
        prospect_id: int,
        outcome: Outcome,
        at: datetime | None,
        notes: str,
        script_name: str | None,
        rendered_text: str | None,
    ) -> AttemptRecord:
        """A finished attempt stored, and its cadence and follow-ups moved on."""
        record = activity.log_attempt(
            session,
            self.clock,
            prospect_id,
            outcome,
            at=at,
            notes=notes,
            script_name=script_name,
            rendered_text=rendered_text,
        )
        self._after_attempt(session, record)
        return record

    def start_call(self, prospect_id: int) -> AttemptRecord:
        with self._transaction() as session:
            record = activity.start_call(session, self.clock, prospect_id)
        self._changed(Changes(attempts=True, prospect_ids=frozenset({prospect_id})))
        return record

    def discard_call(self, attempt_id: int) -> None:
        """Take back a call started by mistake: no attempt is left, no cadence moves."""
        with self._transaction() as session:
            record = activity.discard_call(session, attempt_id)
        self._changed(Changes(attempts=True, prospect_ids=frozenset({record.prospect_id})))

    def finish_attempt(
        self,
        attempt_id: int,
        outcome: Outcome,
        *,
        notes: str | None = None,
        script_name: str | None = None,
        rendered_text: str | None = None,
        logged_late: bool = False,
    ) -> AttemptRecord:
        """Give an attempt its outcome; an open call ends now.

        ``logged_late``: the outcome of a call left open is filled in later (the
        day's review); the call keeps no end time, so it neither counts as hours
        long nor as having run past the prospect's minutes; an attempt that has an
        outcome by then is refused rather than overwritten.
        """
        refuse_words_of_another_kind(self.scripts, outcome, script_name)
        with self._transaction() as session:
            record = activity.finish_attempt(
                session,
                self.clock,
                attempt_id,
                outcome,
                notes=notes,
                script_name=script_name,
                rendered_text=rendered_text,
                logged_late=logged_late,
            )
            self._after_attempt(session, record)
        self._changed(after_logging(record.prospect_id))
        return record

    def _after_attempt(self, session: Session, attempt: AttemptRecord) -> None:
        """An attempt settles the prospect's follow-ups of that day and moves their cadence,
        using up its step unless a colleague has just logged that step."""
        cadences = self._cadences()
        step_claims.claim_step(session, self.clock, cadences, attempt.id)
        rep_zone = profiles.get_profile(session).timezone
        cadence_service.close_follow_ups(session, attempt, rep_zone)
        cadence_service.settle(session, self.clock, cadences, [attempt.prospect_id])

    def update_attempt_notes(self, attempt_id: int, notes: str) -> AttemptRecord:
        """Save the note of an attempt as it is typed (the outcome may come later)."""
        with self._transaction() as session:
            record = activity.update_attempt_notes(session, attempt_id, notes)
        self._changed(Changes(attempts=True, prospect_ids=frozenset({record.prospect_id})))
        return record

    def record_time_check(
        self,
        attempt_id: int,
        *,
        asked: bool,
        minutes_available: int | None,
        call_type: str,
        immediate_need: bool,
    ) -> TimeCheckRecord:
        """Save the time check of a call, with the call type's minutes from the profile."""
        with self._transaction() as session:
            chosen = profiles.get_profile(session).call_type(call_type)
            record = activity.record_time_check(
                session,
                attempt_id,
                asked=asked,
                minutes_available=minutes_available,
                call_type=chosen,
                immediate_need=immediate_need,
            )
            prospect_id = activity.prospect_of_attempt(session, attempt_id)
        # Only the time check: the card, the queue and the lists show none of it.
        self._changed(Changes(time_checks=True, prospect_ids=frozenset({prospect_id})))
        return record

    def add_pain(
        self,
        prospect_id: int,
        kind: PainKind,
        words: str = "",
        *,
        attempt_id: int | None = None,
        asked: bool = False,
        acknowledged: bool = False,
    ) -> PainRecord:
        with self._transaction() as session:
            record = activity.add_pain(
                session,
                self.clock,
                prospect_id,
                kind,
                words,
                attempt_id=attempt_id,
                asked=asked,
                acknowledged=acknowledged,
            )
        self._changed(Changes(pains=True, prospect_ids=frozenset({prospect_id})))
        return record

    def update_pain(
        self,
        pain_id: int,
        *,
        words: str | None = None,
        kind: PainKind | None = None,
        asked: bool | None = None,
        acknowledged: bool | None = None,
        can_help: bool | None = None,
    ) -> PainRecord:
        with self._transaction() as session:
            record = activity.update_pain(
                session,
                pain_id,
                words=words,
                kind=kind,
                asked=asked,
                acknowledged=acknowledged,
                can_help=can_help,
            )
        self._changed(Changes(pains=True, prospect_ids=frozenset({record.prospect_id})))
        return record


def after_logging(prospect_id: int) -> Changes:
    """A logged attempt: its status, its cadence step and its follow-ups may all move."""
    return Changes(
        attempts=True,
        prospects=True,
        follow_ups=True,
        cadences=True,
        prospect_ids=frozenset({prospect_id}),
    )
