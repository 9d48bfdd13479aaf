"""Each email and personal number held by one prospect, in ``prospect_contacts``.

Reading first and refusing a duplicate is not enough once two programs write
at once: both read, neither finds the other, both store. Here the database
decides. A contact is claimed with INSERT ... ON CONFLICT DO NOTHING: the
second claimant of a contact finds it held (on PostgreSQL after waiting for the
first to commit) and is refused, or, in an import, has its row counted as
already known.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from callassist.db.models import Prospect, ProspectContact
from callassist.errors import InvalidInputError
from callassist.services.dialect_insert import dialect_insert

EMAIL = "email"
PHONE = "phone"


@dataclass(frozen=True, slots=True)
class ContactHolder:
    """The prospect holding a contact another prospect wanted."""

    prospect_id: int
    name: str
    kind: str
    """"email" or "phone"."""

    @property
    def described(self) -> str:
        """As a refusal names the contact: "this email", "this phone number"."""
        return "email" if self.kind == EMAIL else "phone number"


def contacts_of(email: str | None, numbers: Iterable[str]) -> dict[str, str]:
    """{contact: kind} of a prospect's email (already lower case) and personal numbers,
    the email first: a refusal names the first of them another prospect holds."""
    contacts = {email: EMAIL} if email else {}
    contacts.update((number, PHONE) for number in numbers if number)
    return contacts


def claim_contacts(
    session: Session, prospect_id: int, email: str | None, numbers: Iterable[str]
) -> None:
    """Make these the contacts ``prospect_id`` holds; refuse one another prospect holds."""
    wanted = contacts_of(email, numbers)
    session.execute(
        delete(ProspectContact).where(
            ProspectContact.prospect_id == prospect_id,
            ProspectContact.value.not_in(list(wanted)),
        )
    )
    if not wanted:
        return
    session.execute(
        dialect_insert(session, ProspectContact).on_conflict_do_nothing(index_elements=["value"]),
        [
            {"value": value, "prospect_id": prospect_id, "kind": kind}
            for value, kind in wanted.items()
        ],
    )
    holders = _holders(session, list(wanted), besides={prospect_id: set(wanted)})
    if holders:
        holder = next(holders[value] for value in wanted if value in holders)
        raise InvalidInputError(
            f"{holder.name} (#{holder.prospect_id}) already has this {holder.described}"
        )


def claim_new_contacts(
    session: Session, owners: Mapping[int, Mapping[str, str]]
) -> dict[int, ContactHolder | None]:
    """Claim the contacts of prospects just inserted, ``{prospect id: {contact: kind}}``.

    The prospects whose contact another prospect already holds, with that holder
    (None: deleted since it refused the claim): the caller takes them out again.
    """
    # In one order whoever claims: two imports waiting on each other's contacts
    # would otherwise each hold what the other waits for (a deadlock PostgreSQL ends).
    claims = sorted(
        (value, prospect_id, kind)
        for prospect_id, contacts in owners.items()
        for value, kind in contacts.items()
    )
    if not claims:
        return {}
    statement = (
        dialect_insert(session, ProspectContact)
        .on_conflict_do_nothing(index_elements=["value"])
        .returning(ProspectContact.value)
    )
    claimed = set(
        session.scalars(
            statement,
            [
                {"value": value, "prospect_id": prospect_id, "kind": kind}
                for value, prospect_id, kind in claims
            ],
        )
    )
    refused = [claim for claim in claims if claim[0] not in claimed]
    if not refused:
        return {}
    holders = _holders(
        session,
        [value for value, _prospect_id, _kind in refused],
        besides={prospect_id: set(contacts) for prospect_id, contacts in owners.items()},
    )
    taken: dict[int, ContactHolder | None] = {}
    # A refusal names the prospect's email when it names one contact, as planning does.
    for value, prospect_id, _kind in sorted(refused, key=lambda claim: claim[2] != EMAIL):
        if taken.get(prospect_id) is None:
            taken[prospect_id] = holders.get(value)
    return taken


def _holders(
    session: Session, values: Sequence[str], *, besides: Mapping[int, set[str]]
) -> dict[str, ContactHolder]:
    """Who holds each of ``values``, leaving out a prospect holding its own contact."""
    holders: dict[str, ContactHolder] = {}
    for start in range(0, len(values), 500):
        statement = (
            select(
                ProspectContact.value,
                ProspectContact.prospect_id,
                ProspectContact.kind,
                Prospect.first_name,
                Prospect.last_name,
            )
            .join(Prospect, Prospect.id == ProspectContact.prospect_id)
            .where(ProspectContact.value.in_(values[start : start + 500]))
        )
        for value, holder_id, kind, first_name, last_name in session.execute(statement):
            if value not in besides.get(holder_id, set()):
                name = f"{first_name} {last_name}".strip()
                holders[value] = ContactHolder(holder_id, name, kind)
    return holders


def unclaimed_duplicates(reader: Session | Connection) -> list[str]:
    """One line for each prospect whose email or personal number another prospect holds.

    Only a database that held duplicates before the contacts were enforced has
    them (see migration 0010): the first prospect kept the contact, these did not.
    For ``check``, on a session or on its connection.
    """
    duplicate = Prospect.__table__.alias("duplicate")
    holder = Prospect.__table__.alias("holder")
    contact = ProspectContact.__table__
    statement = (
        select(
            duplicate.c.id,
            duplicate.c.first_name,
            duplicate.c.last_name,
            contact.c.kind,
            contact.c.value,
            holder.c.id,
        )
        .join(
            contact,
            and_(
                contact.c.prospect_id != duplicate.c.id,
                or_(
                    contact.c.value == func.lower(func.trim(duplicate.c.email)),
                    contact.c.value == duplicate.c.phone_e164,
                    contact.c.value == duplicate.c.mobile_e164,
                ),
            ),
        )
        .join(holder, holder.c.id == contact.c.prospect_id)
        .order_by(duplicate.c.id, contact.c.value)
    )
    return [
        f"prospect #{duplicate_id} {f'{first} {last}'.strip()} has the {kind} {value} "
        f"of prospect #{holder_id}: keep one of them (a duplicate from before 0010)"
        for duplicate_id, first, last, kind, value, holder_id in reader.execute(statement)
    ]
