"""The facade the window and the command line use: one method, one user action.

:class:`CallDesk` opens (and if needed migrates) the database, owns the
session factory and the script library, and runs every public method in one
transaction. After a change commits it tells its subscribers what changed, so
a window can refresh only the views that show it.
"""

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Self
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from callassist import importer, paths
from callassist.cadence import Cadence, CadenceError, CadenceLibrary
from callassist.changes import Changes
from callassist.clock import Clock, system_clock
from callassist.db.backup import (
    Backup,
    Restored,
    backup_if_due,
    backup_sqlite,
    integrity_problems,
    newest_good_backup,
    restore_backup,
)
from callassist.db.engine import (
    WRITE_LOCK_FIRST,
    database_url,
    refuse_missing_folder,
    sqlite_file,
)
from callassist.db.migrate import SCHEMA_HEAD, damaged_message, is_damage, open_database
from callassist.db.models import Attempt, Prospect
from callassist.db.search import SEARCH_TABLE
from callassist.demo import DemoSummary, enroll_demo, seed_demo
from callassist.drafts import build_draft, draft_file_name
from callassist.errors import DamagedError, InvalidInputError, KnownError, NotFoundError
from callassist.importer import ImportReport
from callassist.invites import build_invite, invite_file_name
from callassist.phones import normalize_phone, normalize_timezone, region_of
from callassist.records import (
    AttemptRecord,
    CallTypeRecord,
    EnrollmentRecord,
    FollowUpRecord,
    PainRecord,
    ProfileRecord,
    ProspectDetail,
    ProspectRecord,
    QueueItem,
    ResearchRecord,
    TimeCheckRecord,
    TrashedProspect,
)
from callassist.review import DayActivity, DayReview, activity_by_day, render_html, review_day
from callassist.services import activity, prospects
from callassist.services import cadences as cadence_service
from callassist.services import profile as profiles
from callassist.services import trash as trash_service
from callassist.templates import (
    RenderedScript,
    ScriptChannel,
    ScriptInfo,
    ScriptLibrary,
    build_context,
)
from callassist.vocabulary import Channel, FollowUpKind, Outcome, PainKind, ProspectStatus
from callassist.wording import OUTCOME_WORDS

DATABASE_VARIABLE = "CALLASSIST_DB"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

ChangeListener = Callable[[Changes], None]


@dataclass(frozen=True, slots=True)
class Rescheduled:
    """A call booked for later (or moved, or cancelled), and the invite that says so."""

    follow_up: FollowUpRecord
    invite: Path
    """The .ics file to open in a calendar."""


def resolve_location(location: str | Path | None) -> URL:
    """The database to use: ``--db``, else $CALLASSIST_DB, else the default file."""
    chosen = location or os.environ.get(DATABASE_VARIABLE) or paths.default_database_path()
    return database_url(chosen)


class CallDesk:
    """An open callassist database and everything that acts on it."""

    def __init__(
        self,
        engine: Engine,
        url: URL,
        *,
        clock: Clock = system_clock,
        template_dir: Path | None = None,
        backup_folder: Path | None = None,
        cadence_dir: Path | None = None,
    ) -> None:
        self.url = url
        self.clock = clock
        self.backup_folder = backup_folder or paths.backup_dir()
        self.scripts = ScriptLibrary(template_dir)
        # A step naming a script that does not exist is reported when its file loads.
        self.cadence_library = CadenceLibrary(
            cadence_dir,
            script_names=lambda: {script.name for script in self.scripts.list_scripts()},
        )
        self._engine = engine
        # Each change waits for another program's write rather than failing at once;
        # a read never waits: in WAL mode it sees the last commit while others write,
        # so the window's search and card stay quick during a long import elsewhere.
        self._sessions = sessionmaker(
            engine.execution_options(**WRITE_LOCK_FIRST), expire_on_commit=False
        )
        self._read_sessions = sessionmaker(engine, expire_on_commit=False)
        self._listeners: list[ChangeListener] = []

    @classmethod
    def open(
        cls,
        location: str | Path | None = None,
        *,
        clock: Clock = system_clock,
        template_dir: Path | None = None,
        backup_folder: Path | None = None,
        cadence_dir: Path | None = None,
    ) -> Self:
        """Open (creating or upgrading as needed) the database at ``location``."""
        url = resolve_location(location)
        refuse_missing_folder(url)
        folder = backup_folder or paths.backup_dir()
        engine = open_database(url, backup_folder=folder, clock=clock)
        desk = cls(
            engine,
            url,
            clock=clock,
            template_dir=template_dir if template_dir is not None else paths.user_template_dir(),
            backup_folder=folder,
            cadence_dir=cadence_dir if cadence_dir is not None else paths.user_cadence_dir(),
        )
        try:
            # Purged here and on every delete; in between, what is past its time
            # is already left out of the trash and cannot come back. So a purge
            # that meets another program's write is simply left for next time: a
            # read-first transaction, which never waits to open the desk.
            with suppress(KnownError), desk._transaction(writes=False) as session:
                trash_service.purge_expired(session, clock())
        except BaseException:
            desk.close()
            raise
        return desk

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def database_file(self) -> Path | None:
        return sqlite_file(self.url)

    def describe(self) -> str:
        """Where the data lives, for messages."""
        database_file = self.database_file
        return (
            str(database_file) if database_file else self.url.render_as_string(hide_password=True)
        )

    # -- plumbing -----------------------------------------------------------

    def subscribe(self, listener: ChangeListener) -> None:
        """Call ``listener`` with what changed after every committed change."""
        self._listeners.append(listener)

    @contextmanager
    def _transaction(self, *, writes: bool = True) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        ``writes``: it takes the write lock first, waiting for another writer; a
        read (False) takes none and never waits.
        """
        sessions = self._sessions if writes else self._read_sessions
        try:
            with sessions.begin() as session:
                yield session
        except IntegrityError as error:
            raise InvalidInputError(
                f"the change was refused by the database: {error.orig}"
            ) from error
        except OperationalError as error:
            raise KnownError(_explain_operational(error, self.describe())) from error
        except DatabaseError as error:
            # A file that opened but is damaged further in: the read that reached the
            # damage says so in words (and how to restore), for the window and the
            # command line alike, instead of ending the program.
            if not is_damage(error.orig):
                raise
            raise DamagedError(
                damaged_message(self.describe(), error.orig, self.backup_folder, doing="read")
            ) from error

    def _changed(self, changes: Changes) -> None:
        for listener in list(self._listeners):
            listener(changes)

    def _region(self, session: Session) -> str:
        return profiles.rep_region(session)

    # -- the rep ------------------------------------------------------------

    def profile(self) -> ProfileRecord:
        with self._transaction(writes=False) as session:
            return profiles.get_profile(session)

    def stored_value_problems(self) -> list[str]:
        """Stored values that cannot be used as they are, each in words naming its owner.

        An old database or another tool may have stored a time zone that is not
        one: the rep's (the computer's is used meanwhile) or a prospect's (they
        are left out of the queue meanwhile). Everything else keeps working.
        """
        with self._transaction(writes=False) as session:
            rep_problem = profiles.timezone_problem(session)
            return [
                *([rep_problem] if rep_problem else []),
                *cadence_service.bad_zone_problems(session),
            ]

    def update_profile(
        self,
        *,
        name: str | None = None,
        company: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        signature: str | None = None,
        timezone: str | None = None,
        business_hours: tuple[time, time] | None = None,
        call_types: Sequence[CallTypeRecord] | None = None,
    ) -> ProfileRecord:
        """Set some of the rep's details (as typed); the others stay as they are."""
        phone_e164 = None
        if phone is not None and phone.strip():
            phone_e164 = normalize_phone(phone, region_of(None))
        if email is not None:
            email = email.strip().lower()
            if email and not _EMAIL.match(email):
                raise InvalidInputError(f"{email!r} is not an email address")
        zone = None
        if timezone is not None and timezone.strip():
            try:
                zone = normalize_timezone(timezone)
            except InvalidInputError:
                # The settings window sends back the computer's zone when the rep chose
                # none; where that is no place ("Etc/UTC" on a server) it stays unset.
                kept_computer_zone = timezone.strip() == profiles.computer_timezone()
                if not kept_computer_zone or self.profile().timezone_is_set:
                    raise
        with self._transaction() as session:
            record = profiles.update_profile(
                session,
                name=name,
                company=company,
                phone_e164=phone_e164,
                email=email,
                signature=signature,
                timezone=zone,
                business_hours=business_hours,
                call_types=tuple(call_types) if call_types is not None else None,
            )
        self._changed(Changes(profile=True))
        return record

    # -- prospects ----------------------------------------------------------

    def add_prospect(self, **typed: str) -> ProspectRecord:
        """Add a prospect from typed fields (see ``prospects.EDITABLE_FIELDS``)."""
        with self._transaction() as session:
            values = prospects.validate_prospect(typed, self._region(session))
            record = prospects.add_prospect(session, self.clock, values)
        self._changed(Changes(prospects=True, prospect_ids=frozenset({record.id})))
        return record

    def update_prospect(self, prospect_id: int, **typed: str) -> ProspectRecord:
        """Change some fields of a prospect (as typed)."""
        with self._transaction() as session:
            record = prospects.update_prospect(
                session, self.clock, prospect_id, typed, self._region(session)
            )
        self._changed(Changes(prospects=True, prospect_ids=frozenset({prospect_id})))
        return record

    def set_status(self, prospect_id: int, status: ProspectStatus) -> ProspectRecord:
        """Set a prospect's status by hand (outcomes only ever move it forward)."""
        with self._transaction() as session:
            record = prospects.set_status(session, self.clock, prospect_id, status)
        self._changed(Changes(prospects=True, prospect_ids=frozenset({prospect_id})))
        return record

    def delete_prospect(self, prospect_id: int) -> TrashedProspect:
        """Move a prospect and their history to the trash (see :meth:`restore_prospect`)."""
        with self._transaction() as session:
            trashed = trash_service.trash_prospect(session, self.clock, prospect_id)
        self._changed(_in_or_out_of_trash(prospect_id))
        return trashed

    def restore_prospect(self, prospect_id: int) -> ProspectRecord:
        """Bring a prospect back from the trash, their history included, with their own id."""
        with self._transaction() as session:
            record = trash_service.restore_prospect(session, self.clock, prospect_id)
        self._changed(_in_or_out_of_trash(prospect_id))
        return record

    def trash(self) -> tuple[TrashedProspect, ...]:
        """The deleted prospects that can still come back, most recently deleted first."""
        with self._transaction(writes=False) as session:
            return tuple(trash_service.list_trash(session, self.clock))

    def prospect(self, prospect_id: int) -> ProspectRecord:
        with self._transaction(writes=False) as session:
            return prospects.get_prospect(session, prospect_id)

    def prospect_detail(self, prospect_id: int) -> ProspectDetail:
        with self._transaction(writes=False) as session:
            return prospects.get_detail(session, prospect_id)

    def prospects(
        self, search: str | None = None, limit: int | None = None
    ) -> list[ProspectRecord]:
        """Every prospect by name, or those matching ``search``, best first."""
        with self._transaction(writes=False) as session:
            return prospects.list_prospects(session, search, limit)

    def prospect_ids(self, search: str | None = None, limit: int | None = None) -> list[int]:
        """Ids in list order (by name, or best match first); cheap even for 100,000."""
        with self._transaction(writes=False) as session:
            return prospects.list_prospect_ids(session, search, limit)

    def prospects_by_ids(self, ids: Sequence[int]) -> list[ProspectRecord]:
        """Records for ``ids`` in that order (a page of a long list)."""
        with self._transaction(writes=False) as session:
            return prospects.records_by_ids(session, ids)

    def count_prospects(self) -> int:
        with self._transaction(writes=False) as session:
            return prospects.count_prospects(session)

    def lookup(self, query: str) -> list[ProspectRecord]:
        """Find who is calling: an exact phone match in any format, else a text search."""
        with self._transaction(writes=False) as session:
            return prospects.lookup(session, query, self._region(session))

    def update_research(
        self,
        prospect_id: int,
        *,
        company_summary: str | None = None,
        person_profile: str | None = None,
        angle: str | None = None,
        source_links: Sequence[str] | None = None,
    ) -> ResearchRecord:
        with self._transaction() as session:
            record = prospects.update_research(
                session,
                self.clock,
                prospect_id,
                company_summary=company_summary,
                person_profile=person_profile,
                angle=angle,
                source_links=source_links,
            )
        self._changed(Changes(research=True, prospect_ids=frozenset({prospect_id})))
        return record

    # -- calls and their aftermath -------------------------------------------

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
        self._refuse_words_of_another_kind(outcome, script_name)
        with self._transaction() as session:
            record = self._log(session, prospect_id, outcome, at, notes, script_name, rendered_text)
        self._changed(_after_logging(prospect_id))
        return record

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
        self._refuse_words_of_another_kind(outcome, script_name)
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
        self._changed(_after_logging(record.prospect_id))
        return record

    def _after_attempt(self, session: Session, attempt: AttemptRecord) -> None:
        """An attempt settles the prospect's follow-ups of that day and moves their cadence."""
        rep_zone = profiles.get_profile(session).timezone
        cadence_service.close_follow_ups(session, attempt, rep_zone)
        cadence_service.settle(session, self.clock, self._cadences(), [attempt.prospect_id])

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
        self._changed(Changes(attempts=True))
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
            booking = self._book(
                session, prospect_id, slot, call_type, attempt_id, invites_folder, minutes
            )
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({prospect_id})))
        return booking

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
        self._refuse_words_of_another_kind(Outcome.RESCHEDULED, script_name)
        with self._transaction() as session:
            attempt = self._log(
                session, prospect_id, Outcome.RESCHEDULED, at, notes, script_name, rendered_text
            )
            booking = self._book(
                session, prospect_id, slot, call_type, attempt.id, invites_folder, None
            )
        self._changed(_after_logging(prospect_id))
        return attempt, booking

    def move_booking(
        self, follow_up_id: int, *, slot: datetime, invites_folder: Path | None = None
    ) -> Rescheduled:
        """Move a booked call to ``slot``; the invite updates the same calendar event."""
        with self._transaction() as session:
            follow_up = activity.move_booking(session, self.clock, follow_up_id, slot)
            booking = self._send_invite(session, follow_up, invites_folder)
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({follow_up.prospect_id})))
        return booking

    def cancel_booking(
        self, follow_up_id: int, *, invites_folder: Path | None = None
    ) -> Rescheduled:
        """Call a booked call off; the invite cancels its calendar event."""
        with self._transaction() as session:
            follow_up = activity.cancel_booking(session, self.clock, follow_up_id)
            booking = self._send_invite(session, follow_up, invites_folder)
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({follow_up.prospect_id})))
        return booking

    def _book(
        self,
        session: Session,
        prospect_id: int,
        slot: datetime,
        call_type: str,
        attempt_id: int | None,
        invites_folder: Path | None,
        minutes: int | None,
    ) -> Rescheduled:
        """The follow-up and its invite; the invite is written last, so a failure stores nothing."""
        profile = profiles.get_profile(session)
        chosen = profile.call_type(call_type)
        if slot <= self.clock():
            raise InvalidInputError("pick a time in the future for the call")
        follow_up = activity.add_follow_up(
            session,
            prospect_id,
            due_at=slot,
            minutes=chosen.minutes if minutes is None else minutes,
            kind=FollowUpKind.MEETING,
            reason=f"{chosen.name} call agreed on the phone",
            attempt_id=attempt_id,
            call_type=chosen.name,
        )
        return self._send_invite(session, follow_up, invites_folder)

    def _send_invite(
        self, session: Session, follow_up: FollowUpRecord, invites_folder: Path | None
    ) -> Rescheduled:
        """Write the invite that tells a calendar what the booking now is."""
        prospect = prospects.get_prospect(session, follow_up.prospect_id)
        profile = profiles.get_profile(session)
        content = build_invite(
            prospect=prospect, profile=profile, booking=follow_up, created=self.clock()
        )
        name = invite_file_name(
            prospect,
            follow_up.due_at.astimezone(ZoneInfo(profile.timezone)),
            cancelled=follow_up.cancelled_at is not None,
        )
        try:
            invite = paths.write_new_private(invites_folder or paths.invites_dir(), name, content)
        except OSError as error:
            raise KnownError(f"could not write the calendar invite: {error}") from error
        return Rescheduled(follow_up=follow_up, invite=invite)

    # -- cadences ----------------------------------------------------------------

    def _cadences(self) -> dict[str, Cadence]:
        return self.cadence_library.load()[0]

    def cadences(self) -> tuple[list[Cadence], list[CadenceError]]:
        """Every usable cadence by name, and the files left out with their problem."""
        cadences, problems = self.cadence_library.load()
        return sorted(cadences.values(), key=lambda c: c.name), problems

    def enroll(
        self, prospect_id: int, cadence: str, *, confirmed: bool = False
    ) -> EnrollmentRecord:
        """Start ``cadence`` for a prospect now; any earlier cadence of theirs ends.

        Someone not interested or unreachable is enrolled only when ``confirmed``.
        """
        chosen = self.cadence_library.get(cadence)
        with self._transaction() as session:
            record = cadence_service.enroll(
                session, self.clock, prospect_id, chosen, confirmed=confirmed
            )
        self._changed(
            Changes(follow_ups=True, prospects=True, prospect_ids=frozenset({prospect_id}))
        )
        return record

    def pause_cadence(self, prospect_id: int) -> EnrollmentRecord:
        with self._transaction() as session:
            record = cadence_service.pause(session, self.clock, prospect_id, self._cadences())
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({prospect_id})))
        return record

    def resume_cadence(self, prospect_id: int) -> EnrollmentRecord:
        with self._transaction() as session:
            record = cadence_service.resume(session, self.clock, prospect_id, self._cadences())
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({prospect_id})))
        return record

    def remove_from_cadence(self, prospect_id: int) -> None:
        with self._transaction() as session:
            cadence_service.remove(session, prospect_id)
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset({prospect_id})))

    def enroll_many(self, prospect_ids: Sequence[int], cadence: str) -> int:
        """Enroll several prospects at once (from the list); return how many."""
        chosen = self.cadence_library.get(cadence)
        with self._transaction() as session:
            for prospect_id in prospect_ids:
                cadence_service.enroll(session, self.clock, prospect_id, chosen)
        self._changed(
            Changes(follow_ups=True, prospects=True, prospect_ids=frozenset(prospect_ids))
        )
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
        self._changed(Changes(follow_ups=True, prospect_ids=frozenset(prospect_ids)))
        return changed

    def enrollment(self, prospect_id: int) -> EnrollmentRecord | None:
        """The prospect's cadence and next step, or None when they are in none."""
        with self._transaction(writes=False) as session:
            try:
                return cadence_service.describe(session, self.clock, prospect_id, self._cadences())
            except NotFoundError:
                prospects.prospect_row(session, prospect_id)
                return None

    def queue(self, day: date | None = None) -> list[QueueItem]:
        """The call queue for ``day`` (default: the rep's today): due and overdue first."""
        cadences = self._cadences()
        with self._transaction() as session:
            # Cadences whose last step came due since the last look end here.
            items, settled = cadence_service.queue(session, self.clock, cadences, day)
        if settled:
            # Ending a cadence moves its prospect on: the list and the card show that.
            # Only when something ended, or every listener that reloads the queue
            # would be told to reload again.
            self._changed(Changes(follow_ups=True, prospects=True, prospect_ids=frozenset(settled)))
        return items

    # -- the day's review ----------------------------------------------------------

    def rep_today(self) -> date:
        """Today in the rep's time zone."""
        return self.clock().astimezone(ZoneInfo(self.profile().timezone)).date()

    def review(self, day: date | None = None) -> DayReview:
        """The figures of ``day`` (default: the rep's today) and the next day's queue."""
        day = day or self.rep_today()
        tomorrow = self.queue(day + timedelta(days=1))
        with self._transaction(writes=False) as session:
            rep_zone = ZoneInfo(profiles.get_profile(session).timezone)
            return review_day(session, day, rep_zone, tomorrow)

    def activity(self, last_day: date, days: int = 7) -> list[DayActivity]:
        """Dials, connects, voicemails and emails for ``days`` days ending on ``last_day``."""
        with self._transaction(writes=False) as session:
            rep_zone = ZoneInfo(profiles.get_profile(session).timezone)
            wanted = [last_day - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
            return activity_by_day(session, wanted, rep_zone)

    def review_html(self, review: DayReview) -> str:
        """The review as a printable HTML page."""
        profile = self.profile()
        return render_html(
            review,
            week=self.activity(review.day),
            rep_name=profile.name,
            rep_zone=ZoneInfo(profile.timezone),
            generated=self.clock(),
            script_titles={script.name: script.title for script in self.list_scripts()},
        )

    # -- scripts --------------------------------------------------------------

    def list_scripts(self) -> list[ScriptInfo]:
        return self.scripts.list_scripts()

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

    def step_message_script(self, prospect_id: int, outcome: Outcome) -> str | None:
        """The message the prospect's cadence step leaves, when one of ``outcome`` is logged.

        A voicemail left at a step with a voicemail, an email sent at an email
        step: the words the rep was told to leave, which the card then shows as
        the last message. None for other outcomes, outside a running cadence, and
        for a step whose script is of another kind (a call script is never the
        words of a voicemail).
        """
        kind = _message_kind(outcome)
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
        if self.scripts.info(enrollment.next_script).channel != kind:
            return None
        return enrollment.next_script

    def _refuse_words_of_another_kind(self, outcome: Outcome, script_name: str | None) -> None:
        """A voicemail is logged with a voicemail's words (or none), an email with an email's.

        The card shows them as the last message left, and the rep reads them when
        the prospect calls back: a cold opener there would be the wrong words.
        """
        kind = _message_kind(outcome)
        if kind is None or script_name is None:
            return
        channel = self.scripts.info(script_name).channel
        if channel != kind:
            said = OUTCOME_WORDS[outcome].lower()
            raise InvalidInputError(
                f"{script_name} is {_a(channel)} script, not {_a(kind)}: "
                f"log {said} with {_a(kind)} script, or with none"
            )

    def _script_context(
        self,
        prospect_id: int | None,
        *,
        call_type: str | None = None,
        minutes_available: int | None = None,
        slot: datetime | None = None,
        pain_id: int | None = None,
    ) -> dict[str, object]:
        """What a script can use for this prospect, the rep's profile and the call."""
        with self._transaction(writes=False) as session:
            profile = profiles.get_profile(session)
            detail = prospects.get_detail(session, prospect_id) if prospect_id is not None else None
            attempts_so_far = 0
            said = None
            if prospect_id is not None:
                said = cadence_service.said_days(session, self.clock, prospect_id, self._cadences())
                attempts_so_far = (
                    session.scalar(
                        select(func.count())
                        .select_from(Attempt)
                        .where(Attempt.prospect_id == prospect_id, Attempt.channel == Channel.CALL)
                    )
                    or 0
                )
        chosen_type = profile.call_types[0] if profile.call_types else None
        if call_type is not None:
            chosen_type = profile.call_type(call_type)
        pain = None
        if pain_id is not None:
            pain = next((p for p in detail.pains if p.id == pain_id), None) if detail else None
            if pain is None:
                raise NotFoundError(f"no pain #{pain_id} for this prospect")
        return build_context(
            profile=profile,
            prospect=detail.prospect if detail else None,
            research=detail.research if detail else None,
            call_type=chosen_type,
            minutes_available=minutes_available,
            slot=slot,
            slot_minutes=chosen_type.minutes if chosen_type and slot else None,
            pain_kind=pain.kind.value if pain else None,
            pain_words=pain.words if pain else None,
            attempt_number=attempts_so_far + 1,
            today=said.today if said else None,
            next_call_day=said.next_call if said else None,
            first_voicemail_day=said.first_voicemail if said else None,
        )

    # -- bulk ------------------------------------------------------------------

    def import_csv(
        self,
        path: Path,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        update_existing: bool = False,
        columns: Mapping[str, str | None] | None = None,
        progress: importer.Progress | None = None,
    ) -> ImportReport:
        """Import a CRM export: all valid rows, or nothing (see :mod:`callassist.importer`).

        ``columns`` chooses the field of some columns by header (None leaves
        one out); they are remembered for files with the same header row.
        ``progress`` hears of each row; raising in it rolls the import back.
        """
        with self._transaction() as session:
            report = importer.import_csv(
                session,
                self.clock,
                path,
                self._region(session),
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                update_existing=update_existing,
                chosen=columns,
                progress=progress,
            )
        if report.imported:
            self._changed(Changes(prospects=True, research=True))
        return report

    def preview_import(
        self, path: Path, columns: Mapping[str, str | None] | None = None
    ) -> ImportReport:
        """What importing ``path`` would do (valid rows only), and how its columns map
        (``columns`` as for :meth:`import_csv`; the remembered ones without them)."""
        with self._transaction(writes=False) as session:
            return importer.import_csv(
                session,
                self.clock,
                path,
                self._region(session),
                dry_run=True,
                skip_invalid=True,
                chosen=columns,
            )

    def export_csv(self, path: Path, progress: importer.Progress | None = None) -> int:
        """Write every prospect and their research to ``path``; return how many."""
        with self._transaction(writes=False) as session:
            return importer.export_csv(session, path, progress)

    def load_demo(self) -> DemoSummary:
        """Fill an empty database with the demo sample."""
        with self._transaction() as session:
            existing = prospects.count_prospects(session)
            if existing:
                raise KnownError(
                    f"{self.describe()} already has {existing} prospects; the demo goes into an "
                    "empty database (pick one with --db)"
                )
            summary = seed_demo(session, self.clock)
            enroll_demo(session, self.clock, self._cadences())
        self._changed(
            Changes(
                prospects=True,
                research=True,
                attempts=True,
                pains=True,
                follow_ups=True,
                profile=True,
            )
        )
        return summary

    # -- safety ---------------------------------------------------------------

    def backup(self, reason: str = "manual") -> Path:
        """Copy the database file into its own folder under the backup folder; return the copy.

        Refuses a damaged database, so its copy never pushes good backups out.
        """
        database_file = self._sqlite_file_or_refuse("backups")
        return backup_sqlite(database_file, self.backup_folder, self.clock(), reason)

    def backup_if_due(self) -> Path | None:
        """A throttled backup for timers and closing the window (SQLite only)."""
        database_file = self.database_file
        if database_file is None:
            return None
        return backup_if_due(database_file, self.backup_folder, self.clock())

    @staticmethod
    def restore(
        location: str | Path | None = None,
        backup: str | None = None,
        *,
        clock: Clock = system_clock,
        backup_folder: Path | None = None,
    ) -> Restored:
        """Put a backup (``backup``, else the newest good one) in place of the database file.

        Works without opening the database, which may be too damaged to open;
        the replaced file is moved aside beside it, never deleted.
        """
        database_file = _sqlite_file_of(location, "restore")
        return restore_backup(database_file, backup_folder or paths.backup_dir(), clock(), backup)

    @staticmethod
    def backup_to_offer(
        location: str | Path | None = None, *, backup_folder: Path | None = None
    ) -> Backup | None:
        """The newest good backup when the database file fails its integrity check, else None."""
        try:
            url = resolve_location(location)
        except KnownError:
            return None  # not a place a database can be (already said): nothing to restore
        database_file = sqlite_file(url)
        if database_file is None or not database_file.is_file():
            return None
        if not integrity_problems(database_file):
            return None
        return newest_good_backup(database_file, backup_folder or paths.backup_dir())

    def check(self) -> list[str]:
        """Integrity problems of the database, in words; empty when all is well."""
        problems: list[str] = []
        with self._engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if revision != SCHEMA_HEAD:
                problems.append(f"schema revision is {revision}, expected {SCHEMA_HEAD}")
            if connection.dialect.name == "sqlite":
                for (message,) in connection.exec_driver_sql("PRAGMA integrity_check"):
                    if message != "ok":
                        problems.append(f"integrity: {message}")
                for table, rowid, parent, _ in connection.exec_driver_sql(
                    "PRAGMA foreign_key_check"
                ):
                    problems.append(f"{table} row {rowid} points to a missing {parent} row")
                try:
                    connection.exec_driver_sql(
                        f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) "
                        "VALUES ('integrity-check', 1)"
                    )
                except DBAPIError as error:
                    # SQLite runs this check as a write: a read-only file cannot run it,
                    # which is no damage; the count below still compares index and table.
                    if getattr(error.orig, "sqlite_errorname", None) != "SQLITE_READONLY":
                        problems.append(f"search index: {error.orig}")
                indexed = connection.exec_driver_sql(
                    f"SELECT count(*) FROM {SEARCH_TABLE}"
                ).scalar()
                stored = connection.execute(select(func.count()).select_from(Prospect)).scalar()
                if indexed != stored:
                    problems.append(f"search index holds {indexed} prospects, the table {stored}")
            connection.rollback()
        return problems

    def _sqlite_file_or_refuse(self, what: str) -> Path:
        database_file = self.database_file
        if database_file is None:
            raise KnownError(
                f"{what} work on SQLite files; use your server's tools for {self.describe()}"
            )
        return database_file


def _sqlite_file_of(location: str | Path | None, what: str) -> Path:
    url = resolve_location(location)
    database_file = sqlite_file(url)
    if database_file is None:
        raise KnownError(
            f"{what} works on SQLite files; use your server's tools for "
            f"{url.render_as_string(hide_password=True)}"
        )
    return database_file


def _after_logging(prospect_id: int) -> Changes:
    """A logged attempt: its status, its cadence step and its follow-ups may all move."""
    return Changes(
        attempts=True, prospects=True, follow_ups=True, prospect_ids=frozenset({prospect_id})
    )


def _in_or_out_of_trash(prospect_id: int) -> Changes:
    """A prospect left or rejoined the list, and with them every row of their history."""
    return Changes(
        prospects=True,
        research=True,
        attempts=True,
        pains=True,
        follow_ups=True,
        trash=True,
        prospect_ids=frozenset({prospect_id}),
    )


def _explain_operational(error: OperationalError, where: str) -> str:
    reason = str(error.orig).lower()
    if "locked" in reason or "busy" in reason:
        return f"{where} is busy in another program; nothing was changed, try again in a moment"
    if "full" in reason:
        return f"the disk holding {where} is full; nothing was changed"
    if "readonly" in reason or "read-only" in reason:
        return f"{where} is read-only; nothing was changed"
    return f"database error on {where}: {error.orig}"


def _message_kind(outcome: Outcome) -> ScriptChannel | None:
    """The kind of script whose words an outcome leaves with the prospect, if it leaves any."""
    if outcome is Outcome.VOICEMAIL_LEFT:
        return "voicemail"
    if outcome is Outcome.EMAIL_SENT:
        return "email"
    return None


def _a(noun: str) -> str:
    """ "a call", "an email"."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"
