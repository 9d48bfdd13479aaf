"""Which scripts fit the prospect's next step, from where they really stand.

Their enrollment and their history decide, never a count that starts over:

- in a running cadence, its next step names the message (a persistence step
  may leave none at all);
- once they replied (a conversation, or a call booked on one), the next step
  is the agreed conversation, which opens with "is this still a good time?";
  they know who we are, so no voicemail of the sequence fits any more;
- a cadence that ended without a reply (moved on, or stopped: not
  interested, wrong person, bad number) leaves nothing more to say to them;
- outside any cadence, someone who never answered gets the next message of
  the "three voicemails, then email" sequence of domain.md, then the
  commitment test.
"""

from collections.abc import Sequence

from callassist.cadence import ENDING_OUTCOMES, CadenceState
from callassist.records import AttemptRecord, EnrollmentRecord
from callassist.vocabulary import Outcome

VOICEMAIL_SEQUENCE = ("voicemail_first", "voicemail_missed_again", "voicemail_third")
EMAIL_AFTER_VOICEMAILS = "email_after_voicemails"
COMMITMENT_TEST = "voicemail_commitment_test"
OPENER = "opener_research"
TIME_CHECK = "time_check_question"


def next_message_script(attempts: Sequence[AttemptRecord]) -> str:
    """The voicemail or email to leave next for someone who never answered.

    Every message left counts: the sequence carries on from where it stands.
    """
    voicemails = sum(1 for a in attempts if a.outcome is Outcome.VOICEMAIL_LEFT)
    emailed = any(a.outcome is Outcome.EMAIL_SENT for a in attempts)
    if voicemails < len(VOICEMAIL_SEQUENCE):
        return VOICEMAIL_SEQUENCE[voicemails]
    if not emailed:
        return EMAIL_AFTER_VOICEMAILS
    return COMMITMENT_TEST


def how_it_ended(
    attempts: Sequence[AttemptRecord], enrollment: EnrollmentRecord | None
) -> CadenceState | None:
    """Replied, stopped or moved on, whichever happened last; None if nothing ended yet.

    ``attempts`` are newest first. A cadence that moved someone on can be
    followed by their call back, and a conversation long ago by a cadence
    that moved them on since: the later of the two is where they stand.
    """
    ending = next((a for a in attempts if a.outcome in ENDING_OUTCOMES), None)
    if (
        enrollment is not None
        and enrollment.ended_at is not None
        and (ending is None or enrollment.ended_at > ending.at)
    ):
        return CadenceState(enrollment.state)
    if ending is None or ending.outcome is None:
        return None
    return CadenceState.REPLIED if ending.outcome.is_conversation else CadenceState.STOPPED


def scripts_for_now(
    attempts: Sequence[AttemptRecord],
    on_a_call: bool,
    enrollment: EnrollmentRecord | None = None,
) -> tuple[str, ...]:
    """Script names to offer first, best first: what to say now, then what to leave.

    ``attempts`` are newest first; ``enrollment`` is the prospect's cadence, running
    or ended, if they have one.
    """
    ended: CadenceState | None = None
    if enrollment is not None and enrollment.next_action is not None:
        message = enrollment.next_script
    else:
        ended = how_it_ended(attempts, enrollment)
        message = next_message_script(attempts) if ended is None else None
    messages = (message,) if message is not None else ()
    if on_a_call:
        spoke_before = any(a.outcome is not None and a.outcome.is_conversation for a in attempts)
        first = (TIME_CHECK, OPENER) if spoke_before else (OPENER, TIME_CHECK)
        return (*first, *messages)
    if ended is CadenceState.REPLIED:
        # They spoke with us: the next call is the one agreed on, and it opens
        # with "is this still a good time?".
        return (TIME_CHECK,)
    return messages
