"""Each row of a case names its council (for distributing case data by
council): the column, filled from the case (or the row it belongs to);
the next migration makes it required, in its own transaction (PostgreSQL
refuses to alter a table with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_request"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
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
            "UPDATE notifications_notification SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = notifications_notification.episode_id)",
            migrations.RunSQL.noop,
        ),
    ]
