"""Two reps at once and values a column cannot hold, on whichever database the run uses
(see tests/contact_races.py)."""

from tests.contact_races import *  # noqa: F403 - the shared tests, collected here
