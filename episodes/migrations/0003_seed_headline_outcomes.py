from django.db import migrations

# The programme's wording at the time of writing; labels can be edited later,
# the keys never change.
OUTCOMES = [
    ("education", "Getting a good education"),
    ("early_years", "Good early years development"),
    ("health", "Improved mental and physical health"),
    ("substance_use", "Promoting recovery and reducing harm from substance use"),
    ("family_relationships", "Improved family relationships"),
    ("safe_from_abuse", "Children safe from abuse and exploitation"),
    ("crime", "Crime prevention and tackling crime"),
    ("domestic_abuse", "Safe from domestic abuse"),
    ("housing", "Secure housing"),
    ("financial", "Financial stability"),
]


def seed(apps, schema_editor):
    HeadlineOutcome = apps.get_model("episodes", "HeadlineOutcome")
    for key, label in OUTCOMES:
        HeadlineOutcome.objects.get_or_create(key=key, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("episodes", "0002_journey_needs_and_outcomes")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
