"""Follow-ups: calls booked for later, moved or called off, each with its calendar invite."""

from datetime import datetime
from pathlib import Path

from callassist.changes import Changes
from callassist.desk.base import DeskBase
from callassist.records import FollowUpRecord
from callassist.services import activity, bookings
from callassist.services import cadences as cadence_service
from callassist.services.bookings import Rescheduled
from callassist.vocabulary import FollowUpKind


class BookingsDesk(DeskBase):
    """What the rep promised to do next, and when."""

    def add_follow_up(
        self,
        prospect_id: int,
        *,
        due_at: datetime,
        minutes: int,
        kind: FollowUpKind,
        reason: str = "",
        attempt_id: int | None = None,
    ) -> FollowUpRecord:
        with self._transaction() as session:
            record = activity.add_follow_up(
                session,
                prospect_id,
                due_at=due_at,
                minutes=minutes,
                kind=kind,
                reason=reason,
                attempt_id=attempt_id,
            )
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({prospect_id})))
        return record

    def proposed_slot(self, prospect_id: int) -> datetime:
        """The reschedule to propose first, on the prospect's clock: mid-morning on
        the next day both they and the rep work (weekends and each side's public
        holidays skipped)."""
        with self._transaction(writes=False) as session:
            return cadence_service.reach_of(session, prospect_id).proposed_slot(self.clock())

    def reschedule(
        self,
        prospect_id: int,
        *,
        slot: datetime,
        call_type: str,
        attempt_id: int | None = None,
        invites_folder: Path | None = None,
        minutes: int | None = None,
    ) -> Rescheduled:
        """Book the call for later and write its .ics invite.

        It lasts what the call type needs, unless ``minutes`` says otherwise.
        """
        with self._transaction() as session:
            booking = bookings.book(
                session,
                self.clock,
                prospect_id,
                slot=slot,
                call_type=call_type,
                attempt_id=attempt_id,
                invites_folder=invites_folder,
                minutes=minutes,
            )
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({prospect_id})))
        return booking

    def move_booking(
        self, follow_up_id: int, *, slot: datetime, invites_folder: Path | None = None
    ) -> Rescheduled:
        """Move a booked call to ``slot``; the invite updates the same calendar event."""
        with self._transaction() as session:
            follow_up = activity.move_booking(session, self.clock, follow_up_id, slot)
            booking = bookings.send_invite(session, self.clock, follow_up, invites_folder)
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({follow_up.prospect_id})))
        return booking

    def cancel_booking(
        self, follow_up_id: int, *, invites_folder: Path | None = None
    ) -> Rescheduled:
        """Call a booked call off; the invite cancels its calendar event."""
        with self._transaction() as session:
            follow_up = activity.cancel_booking(session, self.clock, follow_up_id)
            booking = bookings.send_invite(session, self.clock, follow_up, invites_folder)
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({follow_up.prospect_id})))
        return booking
