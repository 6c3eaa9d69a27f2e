"""A child named in a police notification names its council, like every row
of a case (core/council_records.py): the column, filled from its
notification; the next migration makes it required, in its own transaction."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_notify_settings"),
        ("police", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="notifiedchild",
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
            "UPDATE police_notifiedchild SET local_authority_id = (SELECT n.local_authority_id "
            "FROM police_policenotification n WHERE n.id = police_notifiedchild.notification_id)",
            migrations.RunSQL.noop,
        ),
    ]
