"""Each row of a case names its council (for distributing case data by
council): the column, filled from the case (or the row it belongs to);
the next migration makes it required, in its own transaction (PostgreSQL
refuses to alter a table with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_request"),
        ("assessments", "0004_completion_and_section_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
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
            model_name="childvoice",
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
            model_name="scalingscore",
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
            "UPDATE assessments_assessment SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = assessments_assessment.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE assessments_childvoice SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e JOIN assessments_assessment p ON p.episode_id = e.id WHERE p.id = assessments_childvoice.assessment_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE assessments_scalingscore SET local_authority_id = COALESCE((SELECT e.local_authority_id FROM episodes_episode e JOIN assessments_assessment p ON p.episode_id = e.id WHERE p.id = assessments_scalingscore.assessment_id), (SELECT e.local_authority_id FROM episodes_episode e JOIN reviews_review p ON p.episode_id = e.id WHERE p.id = assessments_scalingscore.review_id))",
            migrations.RunSQL.noop,
        ),
    ]
