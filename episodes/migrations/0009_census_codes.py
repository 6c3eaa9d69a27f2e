"""Census-style codes on every case: who asked (the CIN census source of
referral) and why it closed. Existing cases get the codes their recorded
answers give (core.codes): where the requester's organisation type leaves a
choice, its default (for example "Health services: other")."""

from django.db import migrations, models

from core.codes import CLOSURE_CODE_OF_REASON, ClosureCode, ReferralSource, referral_source_for


def fill_codes(apps, schema_editor):
    Episode = apps.get_model("episodes", "Episode")
    combinations = (
        Episode.objects.order_by()
        .values_list("source", "requesting_organisation__type")
        .distinct()
    )
    for source, organisation_type in list(combinations):
        Episode.objects.filter(
            source=source, requesting_organisation__type=organisation_type
        ).update(referral_source=referral_source_for(source, organisation_type))
    for reason, code in CLOSURE_CODE_OF_REASON.items():
        Episode.objects.filter(closure_reason=reason).update(closure_code=code)


class Migration(migrations.Migration):
    dependencies = [("episodes", "0008_need_outcome_evidence")]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="referral_source",
            field=models.CharField(
                choices=ReferralSource.choices, default=ReferralSource.UNKNOWN, max_length=2
            ),
        ),
        migrations.AddField(
            model_name="episode",
            name="closure_code",
            field=models.CharField(blank=True, choices=ClosureCode.choices, max_length=3),
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
    ]
