"""The reps and their profiles: who the scripts speak for, and who recorded what.

A database has at least one rep (the desk adds a blank one to a new database).
The desk puts the id of the rep using it in each session's ``info``
(:data:`ACTING_REP`); every record written carries it and every profile read is
theirs. Without a desk (a service called on its own session), the only rep is
the one acting.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from callassist.db.models import CallType, Prospect, Rep
from callassist.errors import InvalidInputError, NotFoundError, RepNotChosenError
from callassist.phones import display_phone, is_time_zone, normalize_timezone, region_of
from callassist.records import CallTypeRecord, ProfileRecord, RepRecord

DEFAULT_CALL_TYPES = (CallTypeRecord("discovery", 20), CallTypeRecord("introduction", 60))
DEFAULT_BUSINESS_HOURS = (time(9, 0), time(17, 0))
ACTING_REP = "acting_rep"
"""The key of the session's :class:`ActingRep` in ``Session.info``."""
_REP_REGION = "rep_region"  # the key of rep_region's answer in Session.info


@dataclass(frozen=True, slots=True)
class ActingRep:
    """The rep a desk acts as: their id, or why there is none."""

    rep_id: int | None
    problem: str = ""
    """Said when something needs the rep and there is none: how to choose one."""


def computer_timezone() -> str:
    """The IANA zone the computer is set to (UTC when it cannot tell)."""
    import tzlocal

    try:
        name = tzlocal.get_localzone_name()
    except (LookupError, ValueError, OSError):  # an unknown or broken local zone setting
        return "Etc/UTC"
    return name if name and is_time_zone(name) else "Etc/UTC"


def acting_rep_id(session: Session) -> int:
    """The id of the rep acting in this session; RepNotChosenError says how to choose one."""
    acting = session.info.get(ACTING_REP)
    if acting is None:
        # Looked up each time, not kept: the session may roll back the rep it adds.
        ensure_a_rep(session)
        only = session.scalars(select(Rep.id).limit(2)).all()
        if len(only) != 1:
            raise RepNotChosenError(NOT_CHOSEN)
        return only[0]
    assert isinstance(acting, ActingRep)
    if acting.rep_id is None:
        raise RepNotChosenError(acting.problem)
    return acting.rep_id


NOT_CHOSEN = (
    "several reps use this database: say which you are with --rep EMAIL, "
    "CALLASSIST_REP=EMAIL, or `callassist rep use EMAIL` (remembered on this computer)"
)


def unknown_rep(email: str) -> str:
    """Why ``email`` cannot be the acting rep, and how to join."""
    return (
        f"no rep has the email {email!r} on this database; add yourself with "
        f"`callassist --rep {email} profile --name 'YOUR NAME'`"
    )


def get_profile(session: Session) -> ProfileRecord:
    """The acting rep's profile; what is not set yet has its default.

    A stored zone that is not one (an old database, another tool) counts as
    not set, so every time shown is still a real time: see :func:`timezone_problem`.
    """
    row = session.get(Rep, acting_rep_id(session))
    assert row is not None, "a rep chosen is never deleted"
    stored_zone = row.timezone if row.timezone is not None and is_time_zone(row.timezone) else None
    return ProfileRecord(
        name=row.name,
        company=row.company,
        phone=row.phone_e164,
        phone_display=display_phone(row.phone_e164),
        email=row.email or "",
        signature=row.signature,
        timezone=stored_zone or computer_timezone(),
        timezone_is_set=stored_zone is not None,
        business_start=row.business_start,
        business_end=row.business_end,
        call_types=tuple(CallTypeRecord(ct.name, ct.minutes) for ct in row.call_types),
        version=row.version,
    )


def list_reps(session: Session) -> list[RepRecord]:
    """Every rep, by name."""
    rows = session.execute(
        select(Rep.id, Rep.name, Rep.email).order_by(func.lower(Rep.name), Rep.id)
    )
    return [RepRecord(rep_id, name, email or "") for rep_id, name, email in rows]


def find_rep(session: Session, email: str) -> RepRecord | None:
    """The rep with this email (in any case), or None."""
    row = session.execute(
        select(Rep.id, Rep.name, Rep.email).where(func.lower(Rep.email) == email.strip().lower())
    ).first()
    return RepRecord(row[0], row[1], row[2] or "") if row is not None else None


def add_rep(session: Session, *, email: str | None = None, name: str = "") -> RepRecord:
    """A new rep with the default hours and call types; refuse an email already taken."""
    if email and find_rep(session, email) is not None:
        raise InvalidInputError(f"a rep with the email {email!r} is already on this database")
    row = Rep(
        name=name.strip(),
        company="",
        email=email or None,
        signature="",
        business_start=DEFAULT_BUSINESS_HOURS[0],
        business_end=DEFAULT_BUSINESS_HOURS[1],
        call_types=[
            CallType(name=ct.name, minutes=ct.minutes, position=index)
            for index, ct in enumerate(DEFAULT_CALL_TYPES)
        ],
    )
    session.add(row)
    session.flush()
    return RepRecord(row.id, row.name, row.email or "")


def owners_of(session: Session, prospect_ids: Iterable[int]) -> dict[int, RepRecord]:
    """The owner of each of these prospects."""
    wanted = sorted(prospect_ids)
    reps = {rep.id: rep for rep in list_reps(session)}
    owners: dict[int, RepRecord] = {}
    for first in range(0, len(wanted), _IDS_PER_READ):
        owners.update(
            (prospect_id, reps[owner_id])
            for prospect_id, owner_id in session.execute(
                select(Prospect.id, Prospect.owner_id).where(
                    Prospect.id.in_(wanted[first : first + _IDS_PER_READ])
                )
            )
        )
    return owners


def assign_prospect(session: Session, prospect_id: int, email: str) -> tuple[RepRecord, RepRecord]:
    """Give the prospect to the rep with ``email``; their owner before, and now."""
    new_owner = rep_by_email(session, email)
    prospect = session.get(Prospect, prospect_id)
    if prospect is None:
        raise NotFoundError(f"no prospect #{prospect_id}")
    before = owners_of(session, [prospect_id])[prospect_id]
    prospect.owner_id = new_owner.id
    session.flush()
    return before, new_owner


def rep_by_email(session: Session, email: str) -> RepRecord:
    """The rep with this email; an error naming the email when there is none."""
    found = find_rep(session, email)
    if found is None:
        raise NotFoundError(f"no rep has the email {email.strip().lower()!r} on this database")
    return found


_IDS_PER_READ = 500
"""Prospects asked about per query (well under SQLite's bound-parameter limit)."""


def count_reps(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Rep)) or 0


def has_reps(session: Session) -> bool:
    return session.scalar(select(Rep.id).limit(1)) is not None


def ensure_a_rep(session: Session) -> None:
    """Give a database without reps (a new one) its first, blank, as the profile once
    was before it was saved: one, however many programs open the database at once."""
    if has_reps(session):
        return
    if session.get_bind().dialect.name == "postgresql":
        # Two programs opening a new database together would each find no rep and add
        # one. This lock, which adding a rep also waits for, lets one add theirs; the
        # other waits for that commit and then finds it: each statement of a
        # transaction reads what was committed when the statement began. (On SQLite
        # the write transaction has the whole database to itself from its start.)
        session.execute(text("LOCK TABLE reps IN SHARE ROW EXCLUSIVE MODE"))
        if has_reps(session):
            return
    add_rep(session)


def rep_region(session: Session) -> str:
    """The region the rep dials from: their phone's, else the default region.

    Kept for the session (one transaction): a list of a thousand prospects
    shows each number as dialed from here and asks once, not a thousand times.
    """
    if _REP_REGION not in session.info:
        # The one column on the connection: loading the profile's row through the
        # ORM cost a third of a caller's lookup. With no rep chosen yet, numbers
        # are shown as dialed from the default region.
        try:
            rep_id = acting_rep_id(session)
        except RepNotChosenError:
            phone = None
        else:
            phone = session.connection().execute(_REP_PHONE, {"rep_id": rep_id}).scalar()
        session.info[_REP_REGION] = region_of(phone)
    return str(session.info[_REP_REGION])


def assume_rep_region(session: Session, region: str) -> None:
    """Have :func:`rep_region` answer ``region`` for this session without reading it: the
    caller kept it from an earlier transaction, and knows it is still the rep's."""
    session.info[_REP_REGION] = region


# Built once: building it cost as much as running it, in a caller's lookup.
_REP_PHONE = select(Rep.phone_e164).where(Rep.id == bindparam("rep_id"))


def timezone_problem(session: Session) -> str | None:
    """What is wrong with the zone stored in the profile, in words; None when nothing is."""
    row = session.get(Rep, acting_rep_id(session))
    if row is None or row.timezone is None or is_time_zone(row.timezone):
        return None
    return (
        f"the time zone in your profile, {row.timezone!r}, is not a time zone: times are "
        f"shown in your computer's ({computer_timezone()}) until you set yours "
        "(Ctrl+, in the window, or `callassist profile --timezone America/Chicago`)"
    )


def update_profile(
    session: Session,
    *,
    name: str | None = None,
    company: str | None = None,
    phone_e164: str | None = None,
    email: str | None = None,
    signature: str | None = None,
    timezone: str | None = None,
    business_hours: tuple[time, time] | None = None,
    call_types: tuple[CallTypeRecord, ...] | None = None,
) -> ProfileRecord:
    """Change the given fields (already validated by the caller, the time zone checked
    again here whoever calls); None leaves a field alone.

    A signature left as it was (None, or the stored one sent back unchanged, as
    the settings dialog does) follows the new name, company, phone and email:
    see :meth:`ProfileRecord.signature_for`. A new signature is stored as given.
    """
    before = get_profile(session)
    row = session.get(Rep, acting_rep_id(session))
    assert row is not None, "a rep chosen is never deleted"
    if name is not None:
        row.name = name.strip()
    if company is not None:
        row.company = company.strip()
    if phone_e164 is not None:
        row.phone_e164 = phone_e164
        session.info.pop(_REP_REGION, None)
    if email is not None:
        if email and email != (row.email or "") and find_rep(session, email) is not None:
            raise InvalidInputError(f"another rep already has the email {email!r}")
        row.email = email or None
    if signature is None or signature == before.signature:
        row.signature = before.signature_for(
            name=row.name,
            company=row.company,
            phone_display=display_phone(row.phone_e164),
            email=row.email or "",
        )
    else:
        row.signature = signature
    if timezone is not None:
        row.timezone = normalize_timezone(timezone)
    if business_hours is not None:
        start, end = business_hours
        if start >= end:
            raise InvalidInputError("business hours must start before they end")
        row.business_start, row.business_end = start, end
    if call_types is not None:
        _replace_call_types(session, row, call_types)
    session.flush()
    return get_profile(session)


def _replace_call_types(session: Session, row: Rep, call_types: tuple[CallTypeRecord, ...]) -> None:
    names = [ct.name.strip().lower() for ct in call_types]
    if not call_types:
        raise InvalidInputError("keep at least one call type")
    if len(set(names)) != len(names):
        raise InvalidInputError("each call type needs its own name")
    for ct in call_types:
        if not ct.name.strip():
            raise InvalidInputError("a call type needs a name")
        if ct.minutes <= 0:
            raise InvalidInputError(f"call type {ct.name!r} needs a positive number of minutes")
    row.call_types.clear()
    # Flush the deletions first: the new rows may reuse a (profile, name) pair.
    session.flush()
    row.call_types.extend(
        CallType(name=name, minutes=ct.minutes, position=index)
        for index, (name, ct) in enumerate(zip(names, call_types, strict=True))
    )
