"""The council of every row of a case is now required (filled by the
previous migration)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_role_request'),
        ('episodes', '0006_council_column'),
    ]

    operations = [
        migrations.AlterField(
            model_name="teamorganisation",
            name="local_authority",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
        migrations.AlterField(
            model_name='episodechild',
            name='local_authority',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.localauthority'),
        ),
        migrations.AlterField(
            model_name='episodeneed',
            name='local_authority',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.localauthority'),
        ),
        migrations.AlterField(
            model_name='leadchange',
            name='local_authority',
            field=models.ForeignKey(db_index=False, editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.localauthority'),
        ),
    ]
