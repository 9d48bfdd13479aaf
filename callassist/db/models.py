"""The tables of a callassist database (SQLAlchemy 2 typed ORM).

Times are aware datetimes stored as UTC. Phone numbers are stored in E.164 so
that one number typed three ways is one value. ORM objects never leave the
core: services turn them into the frozen records of :mod:`callassist.records`.
"""

from datetime import datetime, time
from enum import StrEnum
from uuid import uuid4

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from callassist.db.base import Base, UTCDateTime
from callassist.vocabulary import (
    Channel,
    Decision,
    FollowUpKind,
    Outcome,
    PainKind,
    PhoneKind,
    ProspectStatus,
)


def new_event_uid() -> str:
    """A calendar UID no other booking, database or calendar app will ever have."""
    return f"{uuid4()}@callassist"


def _enum_column(enum: type[StrEnum], name: str) -> Enum:
    """A portable enum column: a VARCHAR with a named CHECK constraint."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Prospect(Base):
    """A person at a company the rep wants to talk to."""

    __tablename__ = "prospects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    linkedin: Mapped[str] = mapped_column(String(500), default="")
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    # The direct line; before prospects had several numbers, the only one.
    phone_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    timezone: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[ProspectStatus] = mapped_column(
        _enum_column(ProspectStatus, "status"), default=ProspectStatus.NEW
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Added in 0004, so after the older columns (a migration can only append).
    phone_extension: Mapped[str | None] = mapped_column(String(20))
    mobile_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    mobile_extension: Mapped[str | None] = mapped_column(String(20))
    # The company's switchboard, often shared by many prospects at one company.
    office_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    office_extension: Mapped[str | None] = mapped_column(String(20))
    # No CHECK on this column: SQLite adds one to an existing table only by
    # rebuilding it, and rebuilding prospects would cascade into their history.
    dial: Mapped[PhoneKind | None] = mapped_column(
        Enum(
            PhoneKind,
            native_enum=False,
            create_constraint=False,
            length=max(len(kind.value) for kind in PhoneKind),
            values_callable=lambda members: [member.value for member in members],
            validate_strings=True,
        )
    )
    """The number the rep chose to call; None: the first there is, direct first."""
    # Added in 0007: each number as written at home and from abroad, worked
    # out once when the number is stored, so showing a list parses nothing.
    phone_national: Mapped[str | None] = mapped_column(String(40))
    phone_international: Mapped[str | None] = mapped_column(String(40))
    mobile_national: Mapped[str | None] = mapped_column(String(40))
    mobile_international: Mapped[str | None] = mapped_column(String(40))
    office_national: Mapped[str | None] = mapped_column(String(40))
    office_international: Mapped[str | None] = mapped_column(String(40))
    # Added in 0009: the rep whose queue the prospect is in.
    owner_id: Mapped[int] = mapped_column(ForeignKey("reps.id"), index=True)
    # Added in 0012: which edit of the fields and notes this is (a status or an
    # owner changed is not one: nobody types those), and whose (updated_at: when).
    # updated_by is a rep's id but not a foreign key: SQLite adds one to an existing
    # table only by rebuilding it (see dial); reps are never deleted.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_by: Mapped[int | None] = mapped_column(Integer)

    research: Mapped["ResearchNote | None"] = relationship(
        back_populates="prospect", cascade="all, delete-orphan", passive_deletes=True
    )
    tags: Mapped[list["ProspectTag"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ProspectTag.tag"
    )

    __table_args__ = (
        CheckConstraint("first_name <> '' OR last_name <> ''", name="has_name"),
        CheckConstraint("email IS NULL OR email LIKE '%_@_%'", name="email_shape"),
        CheckConstraint("phone_e164 IS NULL OR phone_e164 LIKE '+%'", name="phone_e164"),
        # Ids are shown to the rep and used on the command line; never hand a
        # deleted prospect's id to someone else.
        {"sqlite_autoincrement": True},
    )


# The list's order (surname, first name, case folded, then id), so the window's
# first page and Esc in the search read the index instead of sorting every row.
Index(
    "ix_prospects_by_name",
    func.lower(Prospect.last_name),
    func.lower(Prospect.first_name),
    Prospect.id,
)

# The search's second group (first name starts with the word typed) read as a range.
Index(
    "ix_prospects_by_first_name",
    func.lower(Prospect.first_name),
    func.lower(Prospect.last_name),
    Prospect.id,
)


class ProspectTag(Base):
    """A tag or niche on a prospect ("dental", "agency", "referral")."""

    __tablename__ = "prospect_tags"

    prospect_id: Mapped[int] = mapped_column(
        ForeignKey("prospects.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)

    __table_args__ = (Index("ix_prospect_tags_tag", "tag"),)


class ProspectContact(Base):
    """An email or personal number and the one prospect who has it.

    The primary key makes the database refuse a second prospect with the same
    contact, even when two programs store them at the same moment. A table of
    its own rather than unique indexes on prospects: a number is one person's
    whether it is their direct line or their mobile (one index cannot span two
    columns), and a database upgraded with duplicates already in it keeps them
    (the first prospect holds the contact, ``check`` names the others).
    Office numbers are not here: a switchboard is shared by a whole company.
    """

    __tablename__ = "prospect_contacts"

    value: Mapped[str] = mapped_column(String(320), primary_key=True)
    """The email as stored (lower case, trimmed) or the number in E.164."""
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(5))
    """"email" or "phone": the word a refusal uses."""

    __table_args__ = (
        Index("ix_prospect_contacts_prospect_id", "prospect_id"),
        CheckConstraint("kind IN ('email', 'phone')", name="contact_kind"),
    )


class ResearchNote(Base):
    """The homework done on a prospect before dialing."""

    __tablename__ = "research_notes"

    prospect_id: Mapped[int] = mapped_column(
        ForeignKey("prospects.id", ondelete="CASCADE"), primary_key=True
    )
    company_summary: Mapped[str] = mapped_column(Text, default="")
    person_profile: Mapped[str] = mapped_column(Text, default="")
    angle: Mapped[str] = mapped_column(Text, default="")
    source_links: Mapped[str] = mapped_column(Text, default="")
    researched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Added in 0012: which edit this is, whose (a rep's id, as on prospects), and
    # when; None before the first.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_by: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    prospect: Mapped[Prospect] = relationship(back_populates="research")


class Attempt(Base):
    """One dial or one email to a prospect, with its outcome once known."""

    __tablename__ = "attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[Channel] = mapped_column(_enum_column(Channel, "channel"))
    outcome: Mapped[Outcome | None] = mapped_column(_enum_column(Outcome, "outcome"))
    script_name: Mapped[str | None] = mapped_column(String(100))
    rendered_text: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Added in 0009: the rep who made it.
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id"))
    # Added in 0015: the step of a running cadence this attempt used up, counted within
    # the enrollment that began at cadence_since; NULL for an attempt that used up none.
    # Unique, so two reps logging the same step at once cannot both count it.
    cadence_step: Mapped[int | None] = mapped_column(Integer)
    cadence_since: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_attempts_prospect_id_at", "prospect_id", "at"),
        Index(
            "uq_attempts_cadence_step",
            "prospect_id",
            "cadence_since",
            "cadence_step",
            unique=True,
        ),
        Index("ix_attempts_rep_id_at", "rep_id", "at"),
        Index("ix_attempts_at", "at"),
        CheckConstraint("ended_at IS NULL OR ended_at >= at", name="ends_after_start"),
        {"sqlite_autoincrement": True},
    )


class TimeCheck(Base):
    """The "is this still a good time?" record of a connected call."""

    __tablename__ = "time_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), unique=True
    )
    asked: Mapped[bool] = mapped_column(Boolean)
    minutes_available: Mapped[int | None] = mapped_column(Integer)
    call_type: Mapped[str] = mapped_column(String(60))
    minutes_needed: Mapped[int] = mapped_column(Integer)
    immediate_need: Mapped[bool] = mapped_column(Boolean, default=False)
    decision: Mapped[Decision] = mapped_column(_enum_column(Decision, "decision"))
    # Added in 0009: the rep who recorded it.
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id"))

    __table_args__ = (
        CheckConstraint(
            "minutes_available IS NULL OR minutes_available >= 0", name="minutes_available"
        ),
        CheckConstraint("minutes_needed > 0", name="minutes_needed"),
    )


class Pain(Base):
    """A pain the prospect mentioned, and how the rep handled it."""

    __tablename__ = "pains"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    kind: Mapped[PainKind] = mapped_column(_enum_column(PainKind, "kind"))
    words: Mapped[str] = mapped_column(Text, default="")
    asked: Mapped[bool] = mapped_column(Boolean, default=False)
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False)
    can_help: Mapped[bool] = mapped_column(Boolean, default=False)
    noted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Added in 0009: the rep who recorded it.
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id"))

    __table_args__ = (
        Index("ix_pains_prospect_id", "prospect_id"),
        Index("ix_pains_attempt_id", "attempt_id"),
        Index("ix_pains_noted_at", "noted_at"),
    )


class FollowUp(Base):
    """Something to do for a prospect at a given time (a call-back, a meeting)."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prospect_id: Mapped[int] = mapped_column(ForeignKey("prospects.id", ondelete="CASCADE"))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[FollowUpKind] = mapped_column(_enum_column(FollowUpKind, "kind"))
    reason: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    # Added in 0005, so after the older columns (a migration can only append).
    # NULL is never written: the default fills every new row and the migration
    # filled the old ones. The column allows it only because SQLite adds a NOT NULL
    # column only with one fixed default, and one value cannot be unique.
    uid: Mapped[str] = mapped_column(String(80), nullable=True, default=new_event_uid)
    """The calendar event's UID: the same in every invite for this booking."""
    sequence: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """How many times the event changed since its first invite (iCalendar's SEQUENCE)."""
    call_type: Mapped[str | None] = mapped_column(String(60))
    """The kind of call booked, named in every invite about it."""
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Added in 0009: the rep who booked it.
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id"), index=True)

    __table_args__ = (
        Index("ix_follow_ups_due_at", "done", "due_at"),
        Index("ix_follow_ups_prospect_id", "prospect_id"),
        Index("ix_follow_ups_uid", "uid", unique=True),
        CheckConstraint("minutes > 0", name="minutes"),
    )


class Rep(Base):
    """A rep on the team and their own details, used by every script they render."""

    __tablename__ = "reps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    company: Mapped[str] = mapped_column(String(200), default="")
    phone_e164: Mapped[str | None] = mapped_column(String(20))
    # Stored lower-cased; None until the rep gives one (one rep alone may never).
    email: Mapped[str | None] = mapped_column(String(320))
    signature: Mapped[str] = mapped_column(Text, default="")
    # None means "whatever zone the computer is set to", resolved when read.
    timezone: Mapped[str | None] = mapped_column(String(64))
    business_start: Mapped[time] = mapped_column(Time, default=time(9, 0))
    business_end: Mapped[time] = mapped_column(Time, default=time(17, 0))
    # Added in 0012: which edit of the profile this is, whose (a rep's id, as on
    # prospects), and when; None before the first.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_by: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    call_types: Mapped[list["CallType"]] = relationship(
        cascade="all, delete-orphan", order_by="CallType.position"
    )

    __table_args__ = (CheckConstraint("business_start < business_end", name="business_hours"),)


# A rep is known by their email: one address, whatever its case, is one rep.
Index("ix_reps_email", func.lower(Rep.email), unique=True)


class CallType(Base):
    """A kind of call and the minutes it needs (discovery: 20, introduction: 60)."""

    __tablename__ = "call_types"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    minutes: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        UniqueConstraint("rep_id", "name", name="uq_call_types_rep_id_name"),
        CheckConstraint("minutes > 0", name="minutes"),
    )


class Enrollment(Base):
    """A prospect's place in a cadence. One row per prospect: at most one cadence at a time."""

    __tablename__ = "enrollments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    prospect_id: Mapped[int] = mapped_column(
        ForeignKey("prospects.id", ondelete="CASCADE"), unique=True
    )
    cadence: Mapped[str] = mapped_column(String(100))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(30))
    """"replied", "stopped", "moved_on" (see callassist.cadence.CadenceState)."""
    # Added in 0009: the rep who enrolled the prospect.
    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id"))

    __table_args__ = (
        Index("ix_enrollments_ended_at", "ended_at"),
        CheckConstraint("(ended_at IS NULL) = (end_reason IS NULL)", name="end_has_reason"),
    )


class WorkedOutStep(Base):
    """The next step of a prospect's cadence as last worked out, kept so that the day's
    first look at the queue reads it rather than working 20,000 cadences out again.

    The database itself says when a kept step no longer holds: triggers (see
    :mod:`callassist.db.worked_out_steps`) add one to ``changes`` whenever an attempt,
    the enrollment or the prospect's title, zone or numbers change, whoever writes. A
    step is trusted only while ``worked_out_at_change`` equals ``changes`` and it was
    worked out on the same ``basis``. Rows are never deleted, so the count never goes
    back: a step worked out before a change can never pass for one worked out after it.
    No foreign key: a prospect's row may outlive them, and a deleted prospect's cascade
    must not be refused for it.
    """

    __tablename__ = "worked_out_steps"

    prospect_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    changes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    worked_out_at_change: Mapped[int | None] = mapped_column(Integer)
    basis: Mapped[str | None] = mapped_column(String(64))
    """What else the step was worked out from: the cadence, the rep's zone and hours,
    and the engine's own code (see callassist.services.cadence_queue.step_basis)."""
    step_index: Mapped[int | None] = mapped_column(Integer)
    """1-based among the steps the prospect goes through; None when their history
    already ended the cadence."""
    attempt: Mapped[int | None] = mapped_column(Integer)
    # Times as microseconds since 1970 UTC, unlike every other table: a look reads
    # 40,000 of them, and an integer becomes a time ten times faster than text does.
    due_at_us: Mapped[int | None] = mapped_column(BigInteger)
    late_after_us: Mapped[int | None] = mapped_column(BigInteger)


class ImportMapping(Base):
    """The rep's own choice of field for the columns of one kind of file, kept for next time."""

    __tablename__ = "import_mappings"

    headers_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    """SHA-256 of the file's header row: the same CRM report gives the same key."""
    headers_json: Mapped[str] = mapped_column(Text)
    choices_json: Mapped[str] = mapped_column(Text)
    """{header: field name, or "" for a column left out}."""
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrashEntry(Base):
    """A deleted prospect, kept with every row that went with them until undeleted or purged."""

    __tablename__ = "trash"

    # Not a foreign key: the prospect's row is gone while they are here. Prospect
    # ids are never handed out twice, so the id is theirs to come back with.
    prospect_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(Text)
    company: Mapped[str] = mapped_column(String(200))
    deleted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rows_json: Mapped[str] = mapped_column(Text)
    """{table name: [row, ...]} of the prospect and all they owned (see services.trash)."""

    __table_args__ = (Index("ix_trash_deleted_at", "deleted_at"),)


class CadenceVersion(Base):
    """A cadence's TOML kept in the database: the team's (no rep) or one rep's own.

    A rep's cadence is looked up in their own version, then the team's, then the
    bundled file, so every rep on a shared database works the same steps.
    """

    __tablename__ = "cadence_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("reps.id", ondelete="CASCADE"))
    """None: the team's version; else that rep's own."""
    source: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[int] = mapped_column(ForeignKey("reps.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


# One team version and one per rep for each name (NULL would not count as a duplicate).
Index(
    "ix_cadence_versions_name_owner",
    CadenceVersion.name,
    func.coalesce(CadenceVersion.rep_id, 0),
    unique=True,
)


class ScriptVersion(Base):
    """A script's Jinja text (and an email's HTML) kept in the database: the team's or a rep's."""

    __tablename__ = "script_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("reps.id", ondelete="CASCADE"))
    """None: the team's version; else that rep's own."""
    source: Mapped[str] = mapped_column(Text)
    html_source: Mapped[str | None] = mapped_column(Text)
    """The email's HTML part brought in from the rep's folder; None: made from the text."""
    updated_by: Mapped[int] = mapped_column(ForeignKey("reps.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


Index(
    "ix_script_versions_name_owner",
    ScriptVersion.name,
    func.coalesce(ScriptVersion.rep_id, 0),
    unique=True,
)


class FolderImport(Base):
    """A file of a rep's cadences or scripts folder brought into the database, once.

    Kept after a reset too: the file stays in the folder, and bringing it back
    in at the next start would undo the reset.
    """

    __tablename__ = "folder_imports"

    rep_id: Mapped[int] = mapped_column(ForeignKey("reps.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    """"cadence" or "script"."""
    file_name: Mapped[str] = mapped_column(String(255), primary_key=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("kind IN ('cadence', 'script')", name="import_kind"),)


class ChangeLogEntry(Base):
    """A committed change, so other programs on the database can refresh what it touched.

    Written after each change a desk announces (one row per prospect named);
    read by the open windows of other programs (see callassist/desk/change_watch.py).
    Rows a day old are pruned: by then every open window has long read them.
    """

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    """Increasing in the order the rows were committed: a reader asks for those above."""
    writer: Mapped[str] = mapped_column(String(40))
    """The desk that wrote it, so a window skips the changes it already heard itself."""
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("reps.id", ondelete="SET NULL"))
    kinds: Mapped[str] = mapped_column(String(200))
    """The names of the kinds of data touched, comma-separated (the flags of Changes)."""
    prospect_id: Mapped[int | None] = mapped_column(Integer)
    """A prospect touched (not a foreign key: it may be in the trash); None for none."""
    written_at: Mapped[datetime] = mapped_column(UTCDateTime)
