"""Each row of a case names its council (for distributing case data by
council): the column, filled from the case (or the row it belongs to);
the next migration makes it required, in its own transaction (PostgreSQL
refuses to alter a table with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_request"),
        ("meetings", "0003_meeting_cancel_and_reschedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitee",
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
            model_name="meeting",
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
            "UPDATE meetings_meeting SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = meetings_meeting.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE meetings_invitee SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e JOIN meetings_meeting p ON p.episode_id = e.id WHERE p.id = meetings_invitee.meeting_id)",
            migrations.RunSQL.noop,
        ),
    ]
