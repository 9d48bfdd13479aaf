"""Prospects: adding, editing, finding, and the trash they can come back from."""

from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.orm import Session

from callassist.changes import Changes
from callassist.desk.base import DeskBase
from callassist.records import (
    ListedLengths,
    ProspectDetail,
    ProspectRecord,
    RepRecord,
    ResearchRecord,
    TrashedProspect,
)
from callassist.services import profile as profiles
from callassist.services import prospects
from callassist.services import trash as trash_service
from callassist.vocabulary import ProspectStatus


class ProspectsDesk(DeskBase):
    """The people the rep calls, and what the rep found out about them."""

    def add_prospect(self, **typed: str) -> ProspectRecord:
        """Add a prospect from typed fields (see ``prospects.EDITABLE_FIELDS``)."""
        with self._transaction() as session:
            values = prospects.validate_prospect(typed, self._region(session))
            record = prospects.add_prospect(session, self.clock, values)
        self._changed(Changes(prospects=True, prospect_ids=frozenset({record.id})))
        return record

    def update_prospect(
        self, prospect_id: int, *, seen_version: int | None = None, **typed: str
    ) -> ProspectRecord:
        """Change some fields of a prospect (as typed), edited on ``seen_version`` (the
        record's ``version`` when the rep began; None: on whatever is stored).

        StaleEditError when a colleague saved since: nothing is changed.
        """
        with self._transaction() as session:
            record = prospects.update_prospect(
                session, self.clock, prospect_id, typed, self._region(session), seen_version
            )
        self._changed(Changes(prospects=True, prospect_ids=frozenset({prospect_id})))
        return record

    def assign_prospect(self, prospect_id: int, email: str) -> tuple[RepRecord, RepRecord]:
        """Give a prospect to the rep with this email; who had them, and who has them now."""
        with self._transaction() as session:
            before, after = profiles.assign_prospect(session, prospect_id, email)
        self._changed(Changes(prospects=True, owners=True, prospect_ids=frozenset({prospect_id})))
        return before, after

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

    @contextmanager
    def listing(self, limit: int | None = None) -> Iterator["ProspectListing"]:
        """Every prospect by name (the first ``limit``), read as it is shown: a command
        prints a million without holding them. One read transaction, so the lengths
        a table is laid out by are those of the rows it then reads."""
        with self._transaction(writes=False) as session:
            listing = ProspectListing(session, limit)
            try:
                yield listing
            finally:
                listing.close()

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
        regions = self._kept_regions.get(None)
        with self._transaction(writes=False) as session:
            # The numbers found are shown as dialed from the rep's region, kept first.
            profiles.assume_rep_region(session, regions[0])
            return prospects.lookup(session, query, regions)

    def update_research(
        self,
        prospect_id: int,
        *,
        company_summary: str | None = None,
        person_profile: str | None = None,
        angle: str | None = None,
        source_links: Sequence[str] | None = None,
        seen_version: int | None = None,
    ) -> ResearchRecord:
        """Change some research notes, edited on ``seen_version`` (the record's ``version``
        when the rep began; None: on whatever is stored).

        StaleEditError when a colleague saved since: nothing is changed.
        """
        with self._transaction() as session:
            record = prospects.update_research(
                session,
                self.clock,
                prospect_id,
                company_summary=company_summary,
                person_profile=person_profile,
                angle=angle,
                source_links=source_links,
                seen_version=seen_version,
            )
        self._changed(Changes(research=True, prospect_ids=frozenset({prospect_id})))
        return record


def _in_or_out_of_trash(prospect_id: int) -> Changes:
    """A prospect left or rejoined the list, and with them every row of their history."""
    return Changes(
        prospects=True,
        research=True,
        attempts=True,
        time_checks=True,
        pains=True,
        follow_ups=True,
        cadences=True,
        trash=True,
        prospect_ids=frozenset({prospect_id}),
    )


_Read = TypeVar("_Read")


class ProspectListing:
    """The prospects of :meth:`ProspectsDesk.listing`, valid inside its ``with`` block."""

    def __init__(self, session: Session, limit: int | None) -> None:
        self._session = session
        self._limit = limit
        self._reads: list[Generator[object, None, None]] = []
        """Every stream handed out, closed by :meth:`close`."""

    def close(self) -> None:
        """Let go of the streams not read to their end (a reader that went away, `| head`)
        while the transaction they read in is still open: let go after it, their
        cursors would be closed on a connection already closed, and say so on stderr."""
        for read in self._reads:
            read.close()

    def longest(self) -> ListedLengths:
        """How many there are and the longest value of each field shown (one query)."""
        return prospects.longest_listed(self._session, self._limit)

    def __iter__(self) -> Iterator[ProspectRecord]:
        return self._kept(prospects.streamed_prospects(self._session, self._limit))

    def cells(self) -> Iterator[tuple[str, ...]]:
        """Each prospect as the text of the fields shown, in the order of
        :attr:`ListedLengths.widths`: what a printed table needs, and no more."""
        return self._kept(prospects.listed_cells(self._session, self._limit))

    def _kept(self, read: Generator[_Read, None, None]) -> Generator[_Read, None, None]:
        self._reads.append(read)
        return read
