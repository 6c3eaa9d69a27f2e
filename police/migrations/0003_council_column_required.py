import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_notify_settings"),
        ("police", "0002_council_column"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notifiedchild",
            name="local_authority",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
    ]
