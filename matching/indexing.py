"""Keeping match profiles and keys in step with the register.

index_people does it in bulk (import, the benchmark, a rebuild); signals
call it for one person whenever a person or a family membership is saved.
A merged record has no profile or keys, so it is never offered as a match."""

from collections import defaultdict

from django.db import connection, transaction

from people.models import CHILD_RELATIONSHIPS, FamilyMember, Gender, Person

from . import keys
from .details import Details
from .models import MatchKey, MatchProfile

_SEX = {Gender.MALE: "M", Gender.FEMALE: "F"}
BATCH = 2000


def _parent_names(person_ids):
    """For each child, the names of the adults in their families."""
    children = FamilyMember.objects.filter(
        person_id__in=person_ids, relationship__in=CHILD_RELATIONSHIPS
    ).values_list("person_id", "family_id")
    families = defaultdict(set)
    for person_id, family_id in children:
        families[family_id].add(person_id)
    names = defaultdict(list)
    if families:
        adults = (
            FamilyMember.objects.filter(family_id__in=families)
            .exclude(relationship__in=CHILD_RELATIONSHIPS)
            .values_list("family_id", "person__first_name", "person__last_name")
        )
        for family_id, first, last in adults:
            for child_id in families[family_id]:
                names[child_id].append(f"{first} {last}")
    return names


def details_of(person, parent_names=()):
    """What matching holds for a person: their details with their parents' names."""
    return Details(
        first_name=person.first_name,
        last_name=person.last_name,
        date_of_birth=person.date_of_birth or person.expected_date_of_birth,
        sex=_SEX.get(person.sex, ""),
        postcode=person.postcode,
        nhs_number=person.nhs_number,
        upn=person.upn,
        parent_name=" ".join([person.parent_name, *parent_names]).strip()[:300],
        other_names=" ".join(part for part in (person.middle_names, person.known_as) if part),
    )


def insert_rows(table, columns, rows):
    """Plain multi-row INSERTs: an import writes a million keys, and building
    a model instance for each costs more than the database does."""
    if not rows:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            rows,
        )


def write_profiles(entries):
    """Store profiles and keys for new entries: (person_id, local_authority_id, Details)."""
    profile_rows, key_rows = [], []
    for person_id, local_authority_id, details in entries:
        profile_rows.append(
            (
                person_id,
                local_authority_id,
                *(
                    connection.ops.adapt_datefield_value(value)
                    if name == "date_of_birth"
                    else value
                    for name, value in zip(
                        MatchProfile.DETAIL_FIELDS, _detail_values(details), strict=True
                    )
                ),
            )
        )
        key_rows.extend(
            (local_authority_id, key, person_id)
            for key in sorted(keys.record_keys(details.prepared()))
        )
    insert_rows(
        MatchProfile._meta.db_table,
        ["person_id", "local_authority_id", *MatchProfile.DETAIL_FIELDS],
        profile_rows,
    )
    insert_rows(MatchKey._meta.db_table, ["local_authority_id", "key", "person_id"], key_rows)


def _detail_values(details):
    """Details in MatchProfile.DETAIL_FIELDS order."""
    return (
        details.first_name,
        details.last_name,
        details.date_of_birth,
        details.sex,
        details.postcode,
        details.nhs_number,
        details.upn,
        details.parent_name,
        details.other_names,
    )


@transaction.atomic
def index_people(people):
    """(Re)build profiles and keys for these people (Person objects)."""
    people = list(people)
    for start in range(0, len(people), BATCH):
        batch = people[start : start + BATCH]
        ids = [p.pk for p in batch]
        MatchKey.objects.filter(person_id__in=ids).delete()
        MatchProfile.objects.filter(person_id__in=ids).delete()
        current = [p for p in batch if p.merged_into_id is None]
        parents = _parent_names([p.pk for p in current])
        write_profiles(
            (p.pk, p.local_authority_id, details_of(p, parents.get(p.pk, ()))) for p in current
        )


def index_person_ids(person_ids):
    index_people(Person.objects.filter(pk__in=list(person_ids)))


def index_family(family_id):
    index_person_ids(
        FamilyMember.objects.filter(family_id=family_id).values_list("person_id", flat=True)
    )
