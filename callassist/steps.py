"""Which script fits the prospect's next step, from what has happened so far.

This follows the "three voicemails, then email" cadence of domain.md: the
first voicemail, "missed you again", the third, then the email; after that
the persistence messages. Only attempts since the last real conversation
count, because a reply starts the sequence over.
"""

from collections.abc import Sequence

from callassist.records import AttemptRecord, EnrollmentRecord
from callassist.vocabulary import Outcome

VOICEMAIL_SEQUENCE = ("voicemail_first", "voicemail_missed_again", "voicemail_third")
EMAIL_AFTER_VOICEMAILS = "email_after_voicemails"
COMMITMENT_TEST = "voicemail_commitment_test"
OPENER = "opener_research"
TIME_CHECK = "time_check_question"


def next_message_script(attempts: Sequence[AttemptRecord]) -> str:
    """The voicemail or email to leave next, given attempts newest first."""
    since_reply = []
    for attempt in attempts:
        if attempt.outcome is not None and attempt.outcome.is_conversation:
            break
        since_reply.append(attempt)
    voicemails = sum(1 for a in since_reply if a.outcome is Outcome.VOICEMAIL_LEFT)
    emailed = any(a.outcome is Outcome.EMAIL_SENT for a in since_reply)
    if voicemails < len(VOICEMAIL_SEQUENCE):
        return VOICEMAIL_SEQUENCE[voicemails]
    if not emailed:
        return EMAIL_AFTER_VOICEMAILS
    return COMMITMENT_TEST


def scripts_for_now(
    attempts: Sequence[AttemptRecord],
    on_a_call: bool,
    enrollment: EnrollmentRecord | None = None,
) -> tuple[str, ...]:
    """Script names to offer first, best first: what to say now, then what to leave.

    For a prospect in a running cadence its next step decides the message (a
    persistence step may leave none at all); otherwise the voicemails left
    since the last conversation do.
    """
    message: str | None = next_message_script(attempts)
    if enrollment is not None and enrollment.next_action is not None:
        message = enrollment.next_script
    messages = (message,) if message is not None else ()
    if on_a_call:
        spoke_before = any(a.outcome is not None and a.outcome.is_conversation for a in attempts)
        first = (TIME_CHECK, OPENER) if spoke_before else (OPENER, TIME_CHECK)
        return (*first, *messages)
    last = next((a.outcome for a in attempts if a.outcome is not None), None)
    if last is not None and last.is_conversation:
        # They spoke last time: the next call is the one agreed on, and it opens
        # with "is this still a good time?"; the message is for if it rings out.
        return (TIME_CHECK, *messages)
    return messages
