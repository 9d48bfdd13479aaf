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
  the "three voicemails, then email" cadence, then the first message of the
  persistence cadence that one lacks (the commitment test). Both sequences
  are read from the cadences' TOML, the rep's own files first.
"""

from collections.abc import Mapping, Sequence

from callassist.cadence import ENDING_OUTCOMES, Cadence, CadenceLibrary, CadenceState, StepAction
from callassist.records import AttemptRecord, EnrollmentRecord
from callassist.vocabulary import Outcome

MESSAGE_SEQUENCE = "three_voicemails"
"""The cadence whose messages someone outside any cadence hears first."""
AFTER_THE_SEQUENCE = "persistence"
"""The cadence that carries on once those are used up."""
OPENER = "opener_research"
TIME_CHECK = "time_check_question"


def next_message_script(
    attempts: Sequence[AttemptRecord], cadences: Mapping[str, Cadence]
) -> str | None:
    """The voicemail or email to leave next for someone who never answered; None when
    the cadences have no message left for them.

    Every message left counts: the sequence carries on from where it stands. Each
    voicemail left uses up the next voicemail step, each email sent the next email
    step; then the persistence cadence's first message the sequence does not have.
    """
    left = {
        StepAction.CALL: sum(1 for a in attempts if a.outcome is Outcome.VOICEMAIL_LEFT),
        StepAction.EMAIL: sum(1 for a in attempts if a.outcome is Outcome.EMAIL_SENT),
    }
    sequence = _messages(cadences.get(MESSAGE_SEQUENCE))
    for step_action, script in sequence:
        if left[step_action] == 0:
            return script
        left[step_action] -= 1
    heard = {script for _, script in sequence}
    return next(
        (
            script
            for _, script in _messages(cadences.get(AFTER_THE_SEQUENCE))
            if script not in heard
        ),
        None,
    )


def _messages(cadence: Cadence | None) -> list[tuple[StepAction, str]]:
    """The messages a cadence leaves, in order, each with how it is left."""
    if cadence is None:
        return []
    return [
        (step.action, step.script)
        for step in cadence.steps
        if step.leave_message and step.script is not None
    ]


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
    cadences: Mapping[str, Cadence] | None = None,
) -> tuple[str, ...]:
    """Script names to offer first, best first: what to say now, then what to leave.

    ``attempts`` are newest first; ``enrollment`` is the prospect's cadence, running
    or ended, if they have one. ``cadences`` are the loaded cadences by name
    (:meth:`CadenceLibrary.load`); None reads the bundled ones.
    """
    ended: CadenceState | None = None
    if enrollment is not None and enrollment.next_action is not None:
        message = enrollment.next_script
    else:
        ended = how_it_ended(attempts, enrollment)
        if ended is None:
            known = cadences if cadences is not None else CadenceLibrary(None).load()[0]
            message = next_message_script(attempts, known)
        else:
            message = None
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
