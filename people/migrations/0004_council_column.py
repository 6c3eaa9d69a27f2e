"""Each row of a case names its council (for distributing case data by
council): the column, filled from the case (or the row it belongs to);
the next migration makes it required, in its own transaction (PostgreSQL
refuses to alter a table with pending foreign-key checks)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_request"),
        ("people", "0003_matching_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="familymember",
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
            model_name="restriction",
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
            "UPDATE people_familymember SET local_authority_id = (SELECT f.local_authority_id FROM people_family f WHERE f.id = people_familymember.family_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE people_restriction SET local_authority_id = (SELECT p.local_authority_id FROM people_person p WHERE p.id = people_restriction.person_id)",
            migrations.RunSQL.noop,
        ),
    ]
