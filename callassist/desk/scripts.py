"""Scripts: the rep's own versions, rendering them for a prospect, previews, email drafts."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from callassist import paths
from callassist.changes import Changes
from callassist.desk.base import DeskBase
from callassist.drafts import build_draft, draft_file_name
from callassist.errors import InvalidInputError, KnownError, NotFoundError
from callassist.services import cadences as cadence_service
from callassist.services import profile as profiles
from callassist.services import prospects, shared_versions
from callassist.services.script_context import script_context
from callassist.steps import scripts_for_now
from callassist.templates import (
    HTML_SUFFIX,
    TEXT_SUFFIX,
    RenderedScript,
    ScriptChannel,
    ScriptInfo,
    ScriptLibrary,
)
from callassist.vocabulary import Outcome, PainKind
from callassist.wording import OUTCOME_WORDS


@dataclass(frozen=True, slots=True)
class SavedScript:
    """A version of a script, stored in the database, and what that changed."""

    team: bool
    """The team's version (False: the rep's own)."""
    changes: Changes


class ScriptsDesk(DeskBase):
    """The words the rep says, filled in for the prospect on the line."""

    def list_scripts(self) -> list[ScriptInfo]:
        return self.scripts.list_scripts()

    def scripts_to_offer(self, prospect_id: int, *, on_a_call: bool) -> tuple[str, ...]:
        """The scripts to offer first for this prospect now, best first: their history and
        their cadence (the rep's own cadences included) decide (see
        :func:`callassist.steps.scripts_for_now`)."""
        cadences = self._cadences()
        with self._transaction(writes=False) as session:
            attempts = prospects.get_detail(session, prospect_id).attempts
            try:
                enrollment = cadence_service.describe(session, self.clock, prospect_id, cadences)
            except NotFoundError:
                enrollment = None
        return scripts_for_now(attempts, on_a_call, enrollment, cadences)

    def save_script(self, name: str, source: str, *, team: bool = False) -> SavedScript:
        """Save the rep's own version of script ``name`` in the database (``team``: the
        team's version, which every rep without their own uses); a broken script is
        refused with its line, and nothing is stored.

        The bundled file is never touched, so :meth:`reset_script` can bring it back.
        """
        self.scripts.check_source(name, source)
        with self._transaction() as session:
            shared_versions.save_version(session, self.clock(), "script", name, source, team=team)
        return SavedScript(team=team, changes=self._changed(Changes(scripts=True)))

    def reset_script(self, name: str, *, team: bool = False) -> Changes:
        """Delete the rep's own version of script ``name`` (``team``: the team's): the
        team's version, else the bundled one, is used again."""
        # A version still in the rep's folder is reset too: its files are no longer read.
        waiting = self.scripts.folder_files()
        files = (
            [] if team else [f for f in (name + TEXT_SUFFIX, name + HTML_SUFFIX) if f in waiting]
        )
        with self._transaction() as session:
            deleted = shared_versions.delete_version(session, "script", name, team=team)
            set_aside = shared_versions.set_aside(session, self.clock(), "script", files)
        if not (deleted or set_aside):
            raise NotFoundError(no_version_to_reset("script", name, team=team))
        return self._changed(Changes(scripts=True))

    def render_script(
        self,
        name: str,
        prospect_id: int | None = None,
        *,
        call_type: str | None = None,
        minutes_available: int | None = None,
        slot: datetime | None = None,
        pain_id: int | None = None,
    ) -> RenderedScript:
        """Render a script for a prospect with the rep's profile."""
        context = self._script_context(
            prospect_id,
            call_type=call_type,
            minutes_available=minutes_available,
            slot=slot,
            pain_id=pain_id,
        )
        return self.scripts.render(name, context)

    def render_pain_script(
        self, name: str, prospect_id: int, kind: PainKind, words: str
    ) -> RenderedScript:
        """Render script ``name`` (the rep's version if they saved one) for a pain being typed.

        The pain pane shows what to say back while the prospect is still talking,
        before the pause that saves the words, so ``pain.kind`` and ``pain.words``
        come from the caller rather than from a stored pain.
        """
        context = self._script_context(prospect_id)
        # A plain mapping: the library wraps it like build_context's own pain
        # fields, so blank words still show as a missing field.
        context["pain"] = {"kind": kind.value, "words": words}
        return self.scripts.render(name, context)

    def write_email_draft(
        self,
        rendered: RenderedScript,
        prospect_id: int | None,
        *,
        drafts_folder: Path | None = None,
    ) -> Path:
        """Save an email script, in the words the rep read, as a draft .eml to the prospect.

        It goes in the private drafts folder (or ``drafts_folder``) under a new name,
        and nothing is stored in the database: sending it is the mail app's job.
        """
        with self._transaction(writes=False) as session:
            profile = profiles.get_profile(session)
            prospect = (
                prospects.get_prospect(session, prospect_id) if prospect_id is not None else None
            )
        message = build_draft(rendered, prospect=prospect, profile=profile)
        name = draft_file_name(
            rendered, prospect, self.clock().astimezone(ZoneInfo(profile.timezone))
        )
        try:
            return paths.write_new_private(
                drafts_folder or paths.drafts_dir(), name, message.as_bytes()
            )
        except OSError as error:
            raise KnownError(f"could not write the email draft: {error}") from error

    def render_script_source(
        self, name: str, source: str, prospect_id: int | None = None
    ) -> RenderedScript:
        """Render unsaved script text as script ``name`` for a prospect (the editor's preview).

        The context is exactly the one :meth:`render_script` uses, so the preview
        shows what the saved script will say.
        """
        return self.scripts.render_source(name, source, self.script_context(prospect_id))

    def script_context(self, prospect_id: int | None = None) -> dict[str, object]:
        """What a script is filled in with for a prospect, read from the database now.

        The editor's preview reads it on the window's thread and renders in a
        worker with ``scripts.render_source``, so the database is only ever
        used from one thread.
        """
        return self._script_context(prospect_id)

    def _script_context(
        self,
        prospect_id: int | None,
        *,
        call_type: str | None = None,
        minutes_available: int | None = None,
        slot: datetime | None = None,
        pain_id: int | None = None,
    ) -> dict[str, object]:
        cadences = self._cadences()
        with self._transaction(writes=False) as session:
            return script_context(
                session,
                self.clock,
                cadences,
                prospect_id,
                call_type=call_type,
                minutes_available=minutes_available,
                slot=slot,
                pain_id=pain_id,
            )


def no_version_to_reset(kind: Literal["script", "cadence"], name: str, *, team: bool) -> str:
    """Why there is nothing to reset: no such version in the database."""
    whose = "the team has no version" if team else "you have no version of your own"
    return f"{whose} of the {kind} {name} to reset"


def message_kind(outcome: Outcome) -> ScriptChannel | None:
    """The kind of script whose words an outcome leaves with the prospect, if it leaves any."""
    if outcome is Outcome.VOICEMAIL_LEFT:
        return "voicemail"
    if outcome is Outcome.EMAIL_SENT:
        return "email"
    return None


def refuse_words_of_another_kind(
    scripts: ScriptLibrary, outcome: Outcome, script_name: str | None
) -> None:
    """A voicemail is logged with a voicemail's words (or none), an email with an email's.

    The card shows them as the last message left, and the rep reads them when
    the prospect calls back: a cold opener there would be the wrong words.
    """
    kind = message_kind(outcome)
    if kind is None or script_name is None:
        return
    channel = scripts.info(script_name).channel
    if channel != kind:
        said = OUTCOME_WORDS[outcome].lower()
        raise InvalidInputError(
            f"{script_name} is {_a(channel)} script, not {_a(kind)}: "
            f"log {said} with {_a(kind)} script, or with none"
        )


def _a(noun: str) -> str:
    """ "a call", "an email"."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
