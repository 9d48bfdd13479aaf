"""A window's watcher on PostgreSQL: a cut connection is opened again, and what was
written while it was down is heard then."""

from heard_changes import heard_until
from raw_sql import rows

from callassist.changes import Changes
from callassist.core import CallDesk
from callassist.desk.change_watch import APPLICATION_NAME


def test_a_cut_connection_is_opened_again_and_nothing_written_meanwhile_is_lost(
    db_location, desk, make_prospect, clock, tmp_path
):
    dana = make_prospect()
    watcher = desk.watch_others()
    try:
        assert watcher.wait(0) is None  # connected and listening
        cut = rows(
            db_location,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?",
            APPLICATION_NAME,
        )
        assert cut == [(True,)]
        with CallDesk.open(db_location, clock=clock, backup_folder=tmp_path) as colleague:
            colleague.update_prospect(dana.id, title="Owner")

        wanted = Changes(prospects=True, prospect_ids=frozenset({dana.id}))
        assert heard_until(watcher, wanted) == wanted
    finally:
        watcher.close()
