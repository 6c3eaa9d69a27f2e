"""Each row of a case names its council (for distributing case data by
council): the column, filled from the case (or the row it belongs to);
the next migration makes it required, in its own transaction (PostgreSQL
refuses to alter a table with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_request"),
        ("plans", "0003_plan_family_content"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
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
            model_name="goal",
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
            model_name="plan",
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
            model_name="plancopy",
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
            "UPDATE plans_plan SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = plans_plan.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE plans_goal SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e JOIN plans_plan p ON p.episode_id = e.id WHERE p.id = plans_goal.plan_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE plans_action SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e JOIN plans_plan p ON p.episode_id = e.id JOIN plans_goal g ON g.plan_id = p.id WHERE g.id = plans_action.goal_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE plans_plancopy SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e JOIN plans_plan p ON p.episode_id = e.id WHERE p.id = plans_plancopy.plan_id)",
            migrations.RunSQL.noop,
        ),
    ]
