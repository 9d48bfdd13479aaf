"""The rep: their profile, their time zone and the stored values that cannot be used."""

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, time
from zoneinfo import ZoneInfo

from callassist.changes import Changes
from callassist.desk.base import DeskBase
from callassist.desk.rep_choice import remember_rep, remembered_rep
from callassist.errors import InvalidInputError, RepNotChosenError
from callassist.phones import normalize_phone, normalize_timezone, region_of
from callassist.records import CallTypeRecord, ProfileRecord, RepRecord
from callassist.services import cadences as cadence_service
from callassist.services import profile as profiles
from callassist.services.edit_versions import claim_profile_edit

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class RepDesk(DeskBase):
    """The reps, and the details of the one using the desk."""

    def reps(self) -> list[RepRecord]:
        """Every rep on the database, by name."""
        with self._transaction(writes=False) as session:
            return profiles.list_reps(session)

    def use_rep(self, email: str, *, remember: bool = False) -> RepRecord:
        """Act as the rep with this email from now on; ``remember``: on this computer too."""
        with self._transaction(writes=False) as session:
            found = profiles.find_rep(session, email)
        if found is None:
            raise RepNotChosenError(profiles.unknown_rep(email.strip().lower()))
        self._act_as(found)
        if remember:
            remember_rep(self.describe(), found.email)
        self._changed(Changes(profile=True, all_prospects=True))
        return found

    def add_rep(self, *, name: str, email: str, remember: bool = False) -> RepRecord:
        """Add a rep to the team and act as them; ``remember``: on this computer too."""
        email = _checked_email(email)
        if not email:
            raise InvalidInputError("a new rep needs an email: it is how the team knows them")
        if not name.strip():
            raise InvalidInputError("a new rep needs a name")
        with self._transaction() as session:
            added = profiles.add_rep(session, email=email, name=name)
        self._act_as(added)
        if remember:
            remember_rep(self.describe(), added.email)
        self._changed(Changes(profile=True, all_prospects=True))
        return added

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
            # Until the desk knows its rep, it has no profile to find fault with.
            rep_problem = profiles.timezone_problem(session) if self.rep is not None else None
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
        seen_version: int | None = None,
    ) -> ProfileRecord:
        """Set some of the rep's details (as typed), edited on ``seen_version`` (the
        profile's ``version`` when the rep began; None: on whatever is stored); the
        others stay as they are. StaleEditError when someone saved since."""
        phone_e164 = None
        if phone is not None and phone.strip():
            phone_e164 = normalize_phone(phone, region_of(None))
        if email is not None:
            email = _checked_email(email)
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
            claim_profile_edit(session, seen_version, self.clock())
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
        if self._rep is not None:
            old_email = self._rep.email
            # Still recognised on this computer under the new address.
            if old_email and record.email != old_email == remembered_rep(self.describe()):
                remember_rep(self.describe(), record.email)
            self._act_as(replace(self._rep, name=record.name, email=record.email))
        self._changed(Changes(profile=True))
        return record


def _checked_email(email: str) -> str:
    """``email`` as stored (trimmed, lower-cased; "" for none); refused unless an address."""
    email = email.strip().lower()
    if email and not _EMAIL.match(email):
        raise InvalidInputError(f"{email!r} is not an email address")
    return email
