"""The words of the call method (see shared/domain.md), as enumerations.

Their values are what the database stores and what the command line and the
JSON output use, so they never change once released.
"""

from enum import StrEnum


class Channel(StrEnum):
    """How an attempt reached the prospect."""

    CALL = "call"
    EMAIL = "email"


class Outcome(StrEnum):
    """What came of one attempt."""

    CONNECTED = "connected"
    VOICEMAIL_LEFT = "voicemail_left"
    NO_ANSWER = "no_answer"
    EMAIL_SENT = "email_sent"
    RESCHEDULED = "rescheduled"
    NOT_INTERESTED = "not_interested"
    WRONG_PERSON = "wrong_person"
    BAD_NUMBER = "bad_number"

    @property
    def channel(self) -> Channel:
        """The channel an attempt with this outcome went through."""
        return Channel.EMAIL if self is Outcome.EMAIL_SENT else Channel.CALL

    @property
    def is_conversation(self) -> bool:
        """True when the prospect was actually on the line."""
        return self in (Outcome.CONNECTED, Outcome.RESCHEDULED)


class ProspectStatus(StrEnum):
    """Where a prospect stands, derived from the latest outcomes."""

    NEW = "new"
    WORKING = "working"
    ENGAGED = "engaged"
    NOT_INTERESTED = "not_interested"
    BAD_CONTACT = "bad_contact"
    MOVED_ON = "moved_on"


class PhoneKind(StrEnum):
    """Which of a prospect's numbers: their own line, their mobile, or the company's."""

    DIRECT = "direct"
    MOBILE = "mobile"
    OFFICE = "office"


class PainKind(StrEnum):
    """The four kinds of pain a rep listens for."""

    PAST = "past"
    PRESENT = "present"
    FUTURE = "future"
    PEERS = "peers"


class Decision(StrEnum):
    """What the time check says to do with a connected call."""

    PROCEED = "proceed"
    RESCHEDULE = "reschedule"


class FollowUpKind(StrEnum):
    """What a follow-up is for."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"


class QueueAction(StrEnum):
    """What a line of the call queue asks the rep to do: a cadence step's action
    (call, email, move on) or a booked follow-up's kind (call, email, meeting)."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    MOVE_ON = "move_on"


STATUS_AFTER_OUTCOME: dict[Outcome, ProspectStatus] = {
    Outcome.CONNECTED: ProspectStatus.ENGAGED,
    Outcome.RESCHEDULED: ProspectStatus.ENGAGED,
    Outcome.VOICEMAIL_LEFT: ProspectStatus.WORKING,
    Outcome.NO_ANSWER: ProspectStatus.WORKING,
    Outcome.EMAIL_SENT: ProspectStatus.WORKING,
    Outcome.NOT_INTERESTED: ProspectStatus.NOT_INTERESTED,
    Outcome.WRONG_PERSON: ProspectStatus.BAD_CONTACT,
    Outcome.BAD_NUMBER: ProspectStatus.BAD_CONTACT,
}
"""The status an attempt with each outcome points to (see ``status_after``)."""

STATUS_RANK: dict[ProspectStatus, int] = {
    ProspectStatus.NEW: 0,
    ProspectStatus.WORKING: 1,
    ProspectStatus.MOVED_ON: 2,
    ProspectStatus.BAD_CONTACT: 3,
    ProspectStatus.ENGAGED: 4,
    ProspectStatus.NOT_INTERESTED: 5,
}
"""How far along each status is; an outcome only ever moves a prospect up.

A call that rings out says nothing new about someone who booked a meeting,
and reaching a person on a number marked bad shows the number works, so
``engaged`` outranks ``bad_contact``. A "no" is the last word: it stays until
the rep changes it by hand.
"""

ENROLL_WARNING: dict[ProspectStatus, str] = {
    ProspectStatus.NOT_INTERESTED: "said they are not interested",
    ProspectStatus.BAD_CONTACT: "was the wrong person or a bad number",
}
"""Statuses whose prospects go into a cadence only when the rep confirms, and why."""


def status_after(current: ProspectStatus, outcome: Outcome) -> ProspectStatus:
    """The status of a prospect at ``current`` once an attempt ended with ``outcome``."""
    pointed = STATUS_AFTER_OUTCOME[outcome]
    return pointed if STATUS_RANK[pointed] > STATUS_RANK[current] else current
