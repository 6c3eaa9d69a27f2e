"""Each row of a case names its council (for distributing case data by
council): the column, filled from the case (or the row it belongs to);
the next migration makes it required, in its own transaction (PostgreSQL
refuses to alter a table with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_request"),
        ("episodes", "0005_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="episodechild",
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
            model_name="episodeneed",
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
            model_name="leadchange",
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
            "UPDATE episodes_episodechild SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = episodes_episodechild.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE episodes_episodeneed SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = episodes_episodeneed.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE episodes_leadchange SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = episodes_leadchange.episode_id)",
            migrations.RunSQL.noop,
        ),
    ]
