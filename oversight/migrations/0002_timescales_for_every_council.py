"""Every council has its timescales row (with the defaults) so that a case
is read with them in one query (select_related) and the settings page has a
row to change; new councils get theirs when created (oversight/apps.py)."""

from django.db import migrations


def create(apps, schema_editor):
    LocalAuthority = apps.get_model("accounts", "LocalAuthority")
    Timescales = apps.get_model("oversight", "Timescales")
    have = set(Timescales.objects.values_list("local_authority_id", flat=True))
    Timescales.objects.bulk_create(
        Timescales(local_authority_id=pk)
        for pk in LocalAuthority.objects.values_list("pk", flat=True)
        if pk not in have
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0010_digest_frequency"),
        ("oversight", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
