"""Match keys for the people recorded before matching existed.

Uses the historical models and the pure key functions, so it keeps working
as the models change; later changes to the rules are applied with
`earlyhelp rebuild_match_index`."""

from collections import defaultdict

from django.db import migrations

CHILD = {"child", "unborn"}
SEX = {"1": "M", "2": "F"}


def index_existing(apps, schema_editor):
    from matching.details import Details
    from matching.keys import record_keys

    Person = apps.get_model("people", "Person")
    FamilyMember = apps.get_model("people", "FamilyMember")
    MatchProfile = apps.get_model("matching", "MatchProfile")
    MatchKey = apps.get_model("matching", "MatchKey")

    adults = defaultdict(list)
    for family_id, relationship, first, last in FamilyMember.objects.values_list(
        "family_id", "relationship", "person__first_name", "person__last_name"
    ):
        if relationship not in CHILD:
            adults[family_id].append(f"{first} {last}")
    parents = defaultdict(list)
    for person_id, family_id, relationship in FamilyMember.objects.values_list(
        "person_id", "family_id", "relationship"
    ):
        if relationship in CHILD:
            parents[person_id].extend(adults[family_id])

    profiles, keys = [], []
    for person in Person.objects.filter(merged_into__isnull=True).iterator(chunk_size=2000):
        profile = MatchProfile(
            person_id=person.pk,
            local_authority_id=person.local_authority_id,
            first_name=person.first_name,
            other_names=" ".join(p for p in (person.middle_names, person.known_as) if p),
            last_name=person.last_name,
            date_of_birth=person.date_of_birth or person.expected_date_of_birth,
            sex=SEX.get(person.sex, ""),
            postcode=person.postcode,
            nhs_number=person.nhs_number,
            upn=person.upn,
            parent_names=" ".join([person.parent_name, *parents[person.pk]]).strip()[:300],
        )
        profiles.append(profile)
        details = Details(
            first_name=profile.first_name,
            last_name=profile.last_name,
            date_of_birth=profile.date_of_birth,
            sex=profile.sex,
            postcode=profile.postcode,
            nhs_number=profile.nhs_number,
            upn=profile.upn,
            parent_name=profile.parent_names,
            other_names=profile.other_names,
        )
        keys.extend(
            MatchKey(local_authority_id=person.local_authority_id, key=key, person_id=person.pk)
            for key in sorted(record_keys(details.prepared()))
        )
    MatchProfile.objects.bulk_create(profiles, batch_size=2000)
    MatchKey.objects.bulk_create(keys, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("people", "0003_matching_fields"),
    ]

    operations = [migrations.RunPython(index_existing, migrations.RunPython.noop)]
