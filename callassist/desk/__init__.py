"""The facade's areas: one class per kind of work, composed into :class:`callassist.core.CallDesk`.

Each area is a short file a newcomer reads in one sitting; they share
:class:`callassist.desk.base.DeskBase`, which owns the database, the clock,
the script and cadence libraries and the one-transaction-per-call plumbing.
"""
