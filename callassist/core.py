"""The facade the window and the command line use: one method, one user action.

:class:`CallDesk` opens (and if needed migrates) the database, owns the
session factory and the script library, and runs every public method in one
transaction. After a change commits it tells its subscribers what changed, so
a window can refresh only the views that show it.

Its methods live by area in :mod:`callassist.desk`, one short file each; the
SQL they need lives in :mod:`callassist.services`.
"""

from callassist.desk.archive import ArchiveDesk
from callassist.desk.base import DATABASE_VARIABLE, ChangeListener, resolve_location
from callassist.desk.bookings import BookingsDesk
from callassist.desk.cadences import CadencesDesk
from callassist.desk.calls import CallsDesk
from callassist.desk.prospects import ProspectsDesk
from callassist.desk.rep import RepDesk
from callassist.desk.review import ReviewDesk
from callassist.desk.scripts import ScriptsDesk
from callassist.services.bookings import Rescheduled

__all__ = [
    "DATABASE_VARIABLE",
    "CallDesk",
    "ChangeListener",
    "Rescheduled",
    "resolve_location",
]


class CallDesk(
    ProspectsDesk,
    CallsDesk,
    BookingsDesk,
    ReviewDesk,
    CadencesDesk,
    RepDesk,
    ScriptsDesk,
    ArchiveDesk,
):
    """An open callassist database and everything that acts on it."""
