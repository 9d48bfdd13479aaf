"""The rep: their profile, their time zone and the stored values that cannot be used."""

import re
from collections.abc import Sequence
from datetime import date, time
from zoneinfo import ZoneInfo

from callassist.changes import Changes
from callassist.desk.base import DeskBase
from callassist.errors import InvalidInputError
from callassist.phones import normalize_phone, normalize_timezone, region_of
from callassist.records import CallTypeRecord, ProfileRecord
from callassist.services import cadences as cadence_service
from callassist.services import profile as profiles

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RepDesk(DeskBase):
    """The rep's own details."""

    def profile(self) -> ProfileRecord:
        with self._transaction(writes=False) as session:
            return profiles.get_profile(session)

    def rep_today(self) -> date:
        """Today in the rep's time zone."""
        return self.clock().astimezone(ZoneInfo(self.profile().timezone)).date()

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
