"""The rep's profile: who the scripts speak for."""

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from callassist.db.models import CallType, RepProfile
from callassist.errors import InvalidInputError
from callassist.phones import display_phone, is_time_zone, normalize_timezone, region_of
from callassist.records import CallTypeRecord, ProfileRecord

DEFAULT_CALL_TYPES = (CallTypeRecord("discovery", 20), CallTypeRecord("introduction", 60))
DEFAULT_BUSINESS_HOURS = (time(9, 0), time(17, 0))
PROFILE_ID = 1
_REP_REGION = "rep_region"  # the key of rep_region's answer in Session.info


def computer_timezone() -> str:
    """The IANA zone the computer is set to (UTC when it cannot tell)."""
    import tzlocal

    try:
        name = tzlocal.get_localzone_name()
    except (LookupError, ValueError, OSError):  # an unknown or broken local zone setting
        return "Etc/UTC"
    return name if name and is_time_zone(name) else "Etc/UTC"


def get_profile(session: Session) -> ProfileRecord:
    """The profile, or the defaults when the rep has not set one yet.

    A stored zone that is not one (an old database, another tool) counts as
    not set, so every time shown is still a real time: see :func:`timezone_problem`.
    """
    row = session.get(RepProfile, PROFILE_ID)
    if row is None:
        return ProfileRecord(
            name="",
            company="",
            phone=None,
            phone_display="",
            email="",
            signature="",
            timezone=computer_timezone(),
            timezone_is_set=False,
            business_start=DEFAULT_BUSINESS_HOURS[0],
            business_end=DEFAULT_BUSINESS_HOURS[1],
            call_types=DEFAULT_CALL_TYPES,
        )
    stored_zone = row.timezone if row.timezone is not None and is_time_zone(row.timezone) else None
    return ProfileRecord(
        name=row.name,
        company=row.company,
        phone=row.phone_e164,
        phone_display=display_phone(row.phone_e164),
        email=row.email,
        signature=row.signature,
        timezone=stored_zone or computer_timezone(),
        timezone_is_set=stored_zone is not None,
        business_start=row.business_start,
        business_end=row.business_end,
        call_types=tuple(CallTypeRecord(ct.name, ct.minutes) for ct in row.call_types),
    )


def rep_region(session: Session) -> str:
    """The region the rep dials from: their phone's, else the default region.

    Kept for the session (one transaction): a list of a thousand prospects
    shows each number as dialed from here and asks once, not a thousand times.
    """
    if _REP_REGION not in session.info:
        # The one column on the connection: loading the profile's row through the
        # ORM cost a third of a caller's lookup.
        phone = session.connection().execute(_REP_PHONE).scalar()
        session.info[_REP_REGION] = region_of(phone)
    return str(session.info[_REP_REGION])


_REP_PHONE = select(RepProfile.phone_e164).where(RepProfile.id == PROFILE_ID)


def timezone_problem(session: Session) -> str | None:
    """What is wrong with the zone stored in the profile, in words; None when nothing is."""
    row = session.get(RepProfile, PROFILE_ID)
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
    row = session.get(RepProfile, PROFILE_ID)
    if row is None:
        row = RepProfile(
            id=PROFILE_ID,
            name="",
            company="",
            email="",
            signature="",
            business_start=DEFAULT_BUSINESS_HOURS[0],
            business_end=DEFAULT_BUSINESS_HOURS[1],
            call_types=[
                CallType(name=ct.name, minutes=ct.minutes, position=index)
                for index, ct in enumerate(DEFAULT_CALL_TYPES)
            ],
        )
        session.add(row)
    if name is not None:
        row.name = name.strip()
    if company is not None:
        row.company = company.strip()
    if phone_e164 is not None:
        row.phone_e164 = phone_e164
        session.info.pop(_REP_REGION, None)
    if email is not None:
        row.email = email
    if signature is None or signature == before.signature:
        row.signature = before.signature_for(
            name=row.name,
            company=row.company,
            phone_display=display_phone(row.phone_e164),
            email=row.email,
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


def _replace_call_types(
    session: Session, row: RepProfile, call_types: tuple[CallTypeRecord, ...]
) -> None:
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
