"""Each row of a case names its council (for distributing case data by
council): the column, filled from the case (or the row it belongs to);
the next migration makes it required, in its own transaction (PostgreSQL
refuses to alter a table with pending foreign-key checks).

The team's table, Django's automatic table for `Episode.organisations`, becomes
the model TeamOrganisation first (state only: same table, same columns), so it
can carry the council too."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_role_request"),
        ("episodes", "0005_list_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TeamOrganisation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "episode",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, to="episodes.episode"
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="accounts.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "episodes_episode_organisations",
                        "unique_together": {("episode", "organisation")},
                    },
                ),
                migrations.AlterField(
                    model_name="episode",
                    name="organisations",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="episodes",
                        through="episodes.TeamOrganisation",
                        to="accounts.organisation",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="teamorganisation",
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
            model_name="episodechild",
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
            model_name="episodeneed",
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
            model_name="leadchange",
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
            "UPDATE episodes_episodechild SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = episodes_episodechild.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE episodes_episodeneed SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = episodes_episodeneed.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE episodes_leadchange SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = episodes_leadchange.episode_id)",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "UPDATE episodes_episode_organisations SET local_authority_id = (SELECT e.local_authority_id FROM episodes_episode e WHERE e.id = episodes_episode_organisations.episode_id)",
            migrations.RunSQL.noop,
        ),
    ]
