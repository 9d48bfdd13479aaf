"""The triggers that tell a kept cadence step (:class:`~callassist.db.models.WorkedOutStep`)
it no longer holds.

They live in the database, not in callassist's writes, so that every writer is
heard: this window, the command line, a colleague's window on the team's
PostgreSQL, an older version, a tool writing the file directly. Each one adds
one to the prospect's ``changes`` when something a step is worked out from
changes:

- an attempt added, removed, or its time, outcome or prospect changed;
- the enrollment added, removed, or its cadence, start, rep, pause or end changed;
- the prospect's title (it picks their steps), zone or numbers (their calendar).

A new enrollment adds the prospect's row; every other change only counts on a
row that exists, since a prospect never enrolled has no step kept.
"""

from sqlalchemy import Connection

_BUMP = "UPDATE worked_out_steps SET changes = changes + 1 WHERE prospect_id = {who}"
_ADD_OR_BUMP = (
    "INSERT INTO worked_out_steps (prospect_id, changes) VALUES ({who}, 1) "
    "ON CONFLICT (prospect_id) DO UPDATE SET changes = worked_out_steps.changes + 1"
)

_ENROLLMENT_COLUMNS = "prospect_id, cadence, enrolled_at, rep_id, paused_at, ended_at"
_ATTEMPT_COLUMNS = "prospect_id, at, outcome"
_PROSPECT_COLUMNS = "title, timezone, phone_e164, office_e164, mobile_e164"

_SQLITE_TRIGGERS = {
    "worked_out_steps_enrollment_added": (
        "AFTER INSERT ON enrollments",
        [_ADD_OR_BUMP.format(who="NEW.prospect_id")],
    ),
    "worked_out_steps_enrollment_changed": (
        f"AFTER UPDATE OF {_ENROLLMENT_COLUMNS} ON enrollments",
        [_BUMP.format(who="OLD.prospect_id"), _ADD_OR_BUMP.format(who="NEW.prospect_id")],
    ),
    "worked_out_steps_enrollment_removed": (
        "AFTER DELETE ON enrollments",
        [_BUMP.format(who="OLD.prospect_id")],
    ),
    "worked_out_steps_attempt_added": (
        "AFTER INSERT ON attempts",
        [_BUMP.format(who="NEW.prospect_id")],
    ),
    "worked_out_steps_attempt_changed": (
        f"AFTER UPDATE OF {_ATTEMPT_COLUMNS} ON attempts",
        [_BUMP.format(who="OLD.prospect_id"), _BUMP.format(who="NEW.prospect_id")],
    ),
    "worked_out_steps_attempt_removed": (
        "AFTER DELETE ON attempts",
        [_BUMP.format(who="OLD.prospect_id")],
    ),
    "worked_out_steps_prospect_changed": (
        f"AFTER UPDATE OF {_PROSPECT_COLUMNS} ON prospects",
        [_BUMP.format(who="NEW.id")],
    ),
}

_POSTGRES_FUNCTIONS = {
    # TG_ARGV[0] is 'adds' on enrollments: their new row may be the prospect's first.
    "worked_out_steps_follow_rows": f"""
        BEGIN
            IF TG_OP <> 'INSERT' THEN
                {_BUMP.format(who="OLD.prospect_id")};
            END IF;
            IF TG_OP <> 'DELETE' AND TG_ARGV[0] = 'adds' THEN
                {_ADD_OR_BUMP.format(who="NEW.prospect_id")};
            ELSIF TG_OP <> 'DELETE' THEN
                {_BUMP.format(who="NEW.prospect_id")};
            END IF;
            RETURN NULL;
        END
    """,
    "worked_out_steps_follow_prospects": f"""
        BEGIN
            {_BUMP.format(who="NEW.id")};
            RETURN NULL;
        END
    """,
}

_POSTGRES_TRIGGERS = {
    "worked_out_steps_enrollments": (
        f"INSERT OR DELETE OR UPDATE OF {_ENROLLMENT_COLUMNS} ON enrollments",
        "worked_out_steps_follow_rows('adds')",
    ),
    "worked_out_steps_attempts": (
        f"INSERT OR DELETE OR UPDATE OF {_ATTEMPT_COLUMNS} ON attempts",
        "worked_out_steps_follow_rows('counts')",
    ),
    "worked_out_steps_prospects": (
        f"UPDATE OF {_PROSPECT_COLUMNS} ON prospects",
        "worked_out_steps_follow_prospects()",
    ),
}

WORKED_OUT_STEP_TRIGGERS = {
    "sqlite": tuple(_SQLITE_TRIGGERS),
    "postgresql": tuple(_POSTGRES_TRIGGERS),
}
"""The triggers' names on each database."""


def missing_worked_out_step_triggers(connection: Connection) -> list[str]:
    """The triggers missing (or, on PostgreSQL, disabled) on ``connection``'s database:
    while any is, no kept step can be trusted, nor kept (see :func:`pending_lines
    <callassist.services.cadence_queue.pending_lines>`)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # This schema's tables only: another schema's triggers of the same name do not
        # follow these rows.
        listed = (
            "SELECT tgname FROM pg_trigger JOIN pg_class ON pg_class.oid = tgrelid "
            "WHERE NOT tgisinternal AND tgenabled <> 'D' "
            "AND relnamespace = current_schema()::regnamespace"
        )
    else:
        listed = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    present = set(connection.exec_driver_sql(listed).scalars())
    return [name for name in WORKED_OUT_STEP_TRIGGERS[dialect] if name not in present]


def create_worked_out_step_triggers(connection: Connection) -> None:
    """Create (or create again) the triggers on ``connection``'s database: a new database
    and the migration that adds the kept steps both call this.

    Every prospect enrolled gets their row (one enrolled while a trigger was missing
    has none), and every step kept so far stops being trusted: it may have been kept
    while a trigger was missing, and so have missed a change."""
    if connection.dialect.name == "postgresql":
        for name, body in _POSTGRES_FUNCTIONS.items():
            connection.exec_driver_sql(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger "
                f"LANGUAGE plpgsql AS $$ {body} $$"
            )
        for name, (event, call) in _POSTGRES_TRIGGERS.items():
            connection.exec_driver_sql(
                f"CREATE OR REPLACE TRIGGER {name} AFTER {event} "
                f"FOR EACH ROW EXECUTE FUNCTION {call}"
            )
    else:
        for name, (event, statements) in _SQLITE_TRIGGERS.items():
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
            body = "".join(f"{statement}; " for statement in statements)
            connection.exec_driver_sql(
                f"CREATE TRIGGER {name} {event} FOR EACH ROW BEGIN {body}END"
            )
    connection.exec_driver_sql(
        "INSERT INTO worked_out_steps (prospect_id, changes) "
        "SELECT prospect_id, 0 FROM enrollments WHERE prospect_id NOT IN "
        "(SELECT prospect_id FROM worked_out_steps)"
    )
    connection.exec_driver_sql("UPDATE worked_out_steps SET changes = changes + 1")
