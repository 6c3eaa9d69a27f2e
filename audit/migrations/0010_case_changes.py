"""An index for who recorded a case's changes (the case page's chronology):
among a case's events, its changes alone, not the thousands of times the case
was looked at, which the case's own index read through on every case page."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0009_restriction_events_by_person"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["episode_id", "sequence"],
                condition=models.Q(("action", "update")),
                name="audit_case_changes",
            ),
        ),
    ]
