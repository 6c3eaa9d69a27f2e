"""Each row of a case names its council (for distributing case data by
council): the column, filled from the case (or the row it belongs to);
the next migration makes it required, in its own transaction (PostgreSQL
refuses to alter a table with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_request"),
        ("reviews", "0002_each_childs_views"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionprogress",
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
            model_name="childview",
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
            model_name="review",
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
            "UPDATE reviews_review SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = reviews_review.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE reviews_actionprogress SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e JOIN reviews_review p ON p.episode_id = e.id WHERE p.id = reviews_actionprogress.review_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE reviews_childview SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e JOIN reviews_review p ON p.episode_id = e.id WHERE p.id = reviews_childview.review_id)",
            migrations.RunSQL.noop,
        ),
    ]
