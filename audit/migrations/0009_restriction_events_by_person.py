"""An index for "who has looked at this person": the changes to a person's
restrictions name the person only in `changes`, so without it every
restriction event of the installation was read for each person's log."""

import django.db.models.fields.json
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_archived_start"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                django.db.models.fields.json.KeyTransform("person", "changes"),
                condition=models.Q(("object_type", "people.restriction")),
                name="audit_restriction_person",
            ),
        ),
    ]
