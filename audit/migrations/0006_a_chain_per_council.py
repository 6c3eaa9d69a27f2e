"""One audit chain per council instead of one for the whole installation.

Every event written so far stays exactly as it is, in the frozen "legacy"
chain, and verifies as before: rehashing them into per-council chains would
mean rewriting the append-only table and would break every signed checkpoint
already written, which pins their hashes. New events go to per-council chains
that start from the genesis hash. The legacy head row (id 1) is kept, named.

On SQLite, adding `chain` rebuilds audit_auditevent, which drops its
append-only triggers (see 0005): they are created again here. The chain head
rows get triggers of their own: they may only move forward, the legacy one
not at all.
"""

from django.db import migrations, models


# The head triggers as this migration created them, written out here so that a
# later change to audit/append_only.py cannot change what this migration does.
HEAD_TRIGGERS = {
    "sqlite": [
        """
        CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_auditchainhead
        WHEN NEW.sequence <= OLD.sequence OR NEW.chain <> OLD.chain OR OLD.chain = 'legacy'
        BEGIN
            SELECT RAISE(ABORT, 'audit chain heads only move forward: UPDATE refused');
        END
        """,
        """
        CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_auditchainhead
        BEGIN
            SELECT RAISE(ABORT, 'audit chain heads only move forward: DELETE refused');
        END
        """,
    ],
    "postgresql": [
        """
        CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND NEW.sequence > OLD.sequence AND NEW.chain = OLD.chain
                    AND OLD.chain <> 'legacy' THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit chain heads only move forward: % refused', TG_OP;
        END;
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_auditchainhead
            FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()
        """,
        """
        CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_auditchainhead
            FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only()
        """,
    ],
}
HEAD_TRIGGERS_DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_head_forward_only",
        "DROP TRIGGER IF EXISTS audit_head_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_head_forward_only ON audit_auditchainhead",
        "DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_auditchainhead",
        "DROP FUNCTION IF EXISTS audit_head_forward_only()",
    ],
}


SQLITE_EVENT_TRIGGERS = [
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused');
    END
    """,
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = (SQLITE_EVENT_TRIGGERS if vendor == "sqlite" else []) + HEAD_TRIGGERS.get(
        vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    for statement in HEAD_TRIGGERS_DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_append_only_everywhere")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="legacy", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="position",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "position"), name="audit_event_chain_position"
            ),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="chain",
            field=models.CharField(default="legacy", max_length=40, unique=True),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="VerifiedPosition",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("chain", models.CharField(max_length=40, unique=True)),
                ("sequence", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("verified_at", models.DateTimeField()),
                ("signature", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
