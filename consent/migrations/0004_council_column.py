"""Each row of a case names its council (for distributing case data by
council): the column, filled from the case (or the row it belongs to);
the next migration makes it required, in its own transaction (PostgreSQL
refuses to alter a table with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_request"),
        ("consent", "0003_refusaljudgement"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="local_authority",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
        migrations.AddField(
            model_name="refusaljudgement",
            name="local_authority",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
        migrations.AddField(
            model_name="sharingoverride",
            name="local_authority",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
        migrations.RunSQL(
            "UPDATE consent_consent SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = consent_consent.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE consent_sharingoverride SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = consent_sharingoverride.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE consent_refusaljudgement SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = consent_refusaljudgement.episode_id)",
            migrations.RunSQL.noop,
        ),
    ]
