"""On PostgreSQL, the audit table becomes partitioned by month of `created_at`.

The trail grows by hundreds of millions of rows nationally: monthly partitions
keep each table and its indexes a manageable size, let a retention policy
detach whole old months (docs/PRODUCTION.md), and let the incremental
`verify_audit` read only the latest months.

The table keeps its name, columns, index and constraint names, so Django's view
of it does not change: `id` is still the primary key Django uses, though in the
database the key is (id, created_at), because a partitioned table's unique
keys must include its partition key. For the same reason `sequence` and
(chain, position) are unique together with `created_at`; the chain head lock
hands out each number once, and `verify_audit` reports a number repeated. No
foreign key points at audit events (one would need the partition key too).

Existing rows are copied into the new table, month by month partitions from the
oldest event's month to two months ahead, and the old table dropped (DROP fires
no row triggers, and the rows are all still there). A DEFAULT partition takes
any event whose month has no partition yet, so no insert ever fails;
`audit_ensure_partitions` (created here, called by `earlyhelp audit_partitions`)
adds months and moves such rows into them. The append-only row trigger on the
partitioned table is cloned by PostgreSQL onto every partition, including those
created later; a TRUNCATE trigger is per table, so the function gives each new
partition its own.

Everything below is written out here, so that a later change to the code
cannot change what this migration did. SQLite is not partitioned: no-op.
"""

from django.db import migrations

TABLE = "audit_auditevent"
OLD = "audit_auditevent_unpartitioned"
MONTHS_AHEAD = 2

# How a partition is created, with the moving of rows the DEFAULT partition
# already holds for its month (PostgreSQL refuses the new partition otherwise).
# Months are UTC months. Returns the names of the partitions it created.
ENSURE_PARTITIONS = """
CREATE OR REPLACE FUNCTION audit_ensure_partitions(first_month date, last_month date)
RETURNS SETOF text AS $$
DECLARE
    month date;
    missing date[];
    part text;
    moving boolean;
BEGIN
    FOR attempt IN 1..2 LOOP
        missing := '{}';
        month := date_trunc('month', first_month)::date;
        WHILE month <= last_month LOOP
            IF to_regclass('audit_auditevent_' || to_char(month, 'YYYY_MM')) IS NULL THEN
                missing := missing || month;
            END IF;
            month := (month + interval '1 month')::date;
        END LOOP;
        IF cardinality(missing) = 0 THEN
            RETURN;
        END IF;
        -- Something to create: look again holding the lock, which waits for
        -- another run of this function and keeps writers from routing a row to
        -- the DEFAULT partition meanwhile.
        IF attempt = 1 THEN
            LOCK TABLE audit_auditevent IN SHARE ROW EXCLUSIVE MODE;
        END IF;
    END LOOP;
    SELECT EXISTS (
        SELECT 1 FROM audit_auditevent_default AS event, unnest(missing) AS m
        WHERE event.created_at >= (m::timestamp AT TIME ZONE 'UTC')
          AND event.created_at < ((m + interval '1 month')::timestamp AT TIME ZONE 'UTC')
    ) INTO moving;
    IF moving THEN
        -- The rows are copied through the parent into their months, and the
        -- old DEFAULT table dropped: no audit row is updated or deleted.
        ALTER TABLE audit_auditevent DETACH PARTITION audit_auditevent_default;
        ALTER TABLE audit_auditevent_default RENAME TO audit_auditevent_default_moving;
        CREATE TABLE audit_auditevent_default PARTITION OF audit_auditevent DEFAULT;
        CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent_default
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
    END IF;
    FOREACH month IN ARRAY missing LOOP
        part := 'audit_auditevent_' || to_char(month, 'YYYY_MM');
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF audit_auditevent FOR VALUES FROM (%L) TO (%L)',
            part,
            month::timestamp AT TIME ZONE 'UTC',
            (month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
        );
        EXECUTE format(
            'CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON %I '
            'FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()',
            part
        );
        RETURN NEXT part;
    END LOOP;
    IF moving THEN
        INSERT INTO audit_auditevent SELECT * FROM audit_auditevent_default_moving;
        DROP TABLE audit_auditevent_default_moving;
    END IF;
END;
$$ LANGUAGE plpgsql
"""

# Unique keys: with the partition key when partitioned, as Django made them when not.
KEYS = {
    True: [
        "ADD CONSTRAINT audit_auditevent_pkey PRIMARY KEY (id, created_at)",
        "ADD CONSTRAINT audit_auditevent_sequence_key UNIQUE (sequence, created_at)",
        'ADD CONSTRAINT audit_event_chain_position UNIQUE (chain, "position", created_at)',
    ],
    False: [
        "ADD CONSTRAINT audit_auditevent_pkey PRIMARY KEY (id)",
        "ADD CONSTRAINT audit_auditevent_sequence_key UNIQUE (sequence)",
        'ADD CONSTRAINT audit_event_chain_position UNIQUE (chain, "position")',
    ],
}

TRIGGERS = [
    f"CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    f"CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
]


def _rebuild(cursor, partitioned: bool) -> None:
    """Make audit_auditevent again, partitioned or not, with the same rows,
    indexes, constraints, identity and triggers."""
    cursor.execute(
        "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)",
        [TABLE],
    )
    # A partitioned table's index reads "ON ONLY"; the new one covers every partition.
    indexes = [row[0].replace(" ON ONLY ", " ON ") for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [TABLE],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT COALESCE(MAX(id), 0) + 1, "
        f"nextval(pg_get_serial_sequence('{TABLE}', 'id')) FROM {TABLE}"  # noqa: S608
    )
    next_id = max(cursor.fetchone())
    cursor.execute(
        f"SELECT date_trunc('month', MIN(created_at) AT TIME ZONE 'UTC')::date FROM {TABLE}"  # noqa: S608
    )
    (oldest_month,) = cursor.fetchone()

    cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
    for index in indexes:
        cursor.execute(f"DROP INDEX {index.split()[2]}")  # CREATE INDEX <name> ON ...
    cursor.execute(
        f"ALTER TABLE {OLD} DROP CONSTRAINT audit_auditevent_pkey, "
        "DROP CONSTRAINT audit_auditevent_sequence_key, DROP CONSTRAINT audit_event_chain_position"
    )
    cursor.execute(f"ALTER TABLE {OLD} ALTER id DROP IDENTITY")
    cursor.execute(
        f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        + (" PARTITION BY RANGE (created_at)" if partitioned else "")
    )
    cursor.execute(
        f"ALTER TABLE {TABLE} ALTER id ADD GENERATED BY DEFAULT AS IDENTITY (START WITH {next_id})"
    )
    if partitioned:
        for statement in TRIGGERS:
            cursor.execute(statement)
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cursor.execute(
            f"CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}_default "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()"
        )
        cursor.execute(ENSURE_PARTITIONS)
        cursor.execute(
            "SELECT audit_ensure_partitions(LEAST(%s, CURRENT_DATE), "
            f"(CURRENT_DATE + interval '{MONTHS_AHEAD} months')::date)",
            [oldest_month],
        )
    cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")  # noqa: S608
    cursor.execute(f"DROP TABLE {OLD}")
    cursor.execute(f"ALTER TABLE {TABLE} " + ", ".join(KEYS[partitioned]))
    for index in indexes:
        cursor.execute(index)
    for name, definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
    if not partitioned:
        cursor.execute("DROP FUNCTION IF EXISTS audit_ensure_partitions(date, date)")
        for statement in TRIGGERS:
            cursor.execute(statement)


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor, partitioned=True)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_a_chain_per_council")]

    operations = [migrations.RunPython(partition, unpartition)]
