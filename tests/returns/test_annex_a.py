"""Ofsted's Annex A List 2 on a fixed synthetic world (tests/returns/world.py),
against rows worked out by hand."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from audit.models import Action, AuditEvent
from returns import annex_a
from returns import annex_a_codes as codes
from tests.factories import UserFactory
from tests.returns import world as synthetic
from tests.returns.world import AS_OF, d


@pytest.fixture
def world(la, other_la, manager, involved, school):
    return synthetic.build(la, other_la, manager, involved, school)


def expected(world):
    """List 2 as of 31 March 2026, worked by hand (see world.py)."""
    primary, clinic, council = "Testshire Primary", "Testshire Clinic", "Testshire Council"
    by_start = [
        # (start, [(person, gender, ethnicity, dob, age)], completion, organisation)
        (
            "2024-01-10",
            [(world.current_child, "b) Female", "o) BAFR", "2018-03-31", 8)],
            "2024-02-01",
            primary,
        ),
        (
            "2025-06-01",
            [(world.first_day_child, "c) Not stated/recorded", "s) NOBT", "2012-12-25", 13)],
            "2025-09-30",
            council,
        ),
        (
            "2025-10-01",
            [
                (world.boy, "a) Male", "a) WBRI", "2016-04-01", 9),
                (world.restricted_girl, "b) Female", "s) NOBT", None, None),
            ],
            "2025-11-15",
            primary,
        ),
        (
            "2026-03-01",
            [(world.later_child, "a) Male", "q) CHNE", "2010-10-10", 15)],
            None,
            primary,
        ),
        (
            "2026-03-20",
            [
                (world.unborn, "c) Not stated/recorded", "s) NOBT", None, None),
                (world.sister, "d) Neither", "s) REFU", "2020-02-29", 6),
            ],
            None,
            clinic,
        ),
    ]
    rows = []
    for start, children, completion, organisation in by_start:
        group = [
            annex_a.Row(
                child_id=annex_a.child_id(person),
                gender=gender,
                ethnicity=ethnicity,
                date_of_birth=d(dob) if dob else None,
                age=age,
                assessment_start=d(start),
                assessment_completion=d(completion) if completion else None,
                organisation=organisation,
            )
            for person, gender, ethnicity, dob, age in children
        ]
        rows += sorted(group, key=lambda row: row.child_id)
    return rows


def test_rows_are_the_hand_worked_list(world, la):
    assert annex_a.rows(la, AS_OF) == expected(world)


def test_left_out_are_closed_before_the_window_later_or_elsewhere(world, la):
    ids = {row.child_id for row in annex_a.rows(la, AS_OF)}
    for person in world.excluded:
        assert annex_a.child_id(person) not in ids


def test_an_earlier_as_of_date_shows_nothing_that_came_later(world, la):
    found = annex_a.rows(la, datetime.date(2025, 12, 31))
    people = {row.child_id for row in found}
    # Not yet started then: the cases assessed in March 2026.
    assert annex_a.child_id(world.unborn) not in people
    assert annex_a.child_id(world.later_child) not in people
    # Still being assessed then: completed 15 Nov, shown; the case closed later.
    boy = next(row for row in found if row.child_id == annex_a.child_id(world.boy))
    assert boy.assessment_completion == d("2025-11-15")
    assert boy.age == 9


def test_a_child_born_after_the_as_of_date_was_unborn_then(la, involved, school):
    from tests.factories import PersonFactory
    from tests.returns.world import _case

    baby = PersonFactory(local_authority=la, date_of_birth=d("2026-02-01"), sex="2")
    _case(la, [baby], started=d("2026-01-05"), by=involved)
    (row,) = annex_a.rows(la, datetime.date(2026, 1, 20))
    assert (row.gender, row.date_of_birth, row.age) == ("c) Not stated/recorded", None, None)
    (row,) = annex_a.rows(la, datetime.date(2026, 2, 20))
    assert (row.gender, row.date_of_birth, row.age) == ("b) Female", d("2026-02-01"), 0)


@pytest.mark.parametrize(
    ("as_of", "first"),
    [
        ("2026-03-31", "2025-09-30"),
        ("2026-08-31", "2026-02-28"),
        ("2028-08-31", "2028-02-29"),
        ("2026-01-15", "2025-07-15"),
        ("2026-06-30", "2025-12-30"),
    ],
)
def test_the_window_is_six_calendar_months(as_of, first):
    assert annex_a.window(d(as_of)) == (d(first), d(as_of))


def test_every_census_code_has_its_annex_a_form():
    from core.codes import Ethnicity, Gender

    assert set(codes.GENDER_CODES) == set(Gender.values)
    assert set(codes.ETHNICITY_CODES) == set(Ethnicity.values)
    for code, form in codes.ETHNICITY_CODES.items():
        assert re.fullmatch(rf"[a-s]\) {code}", form)
    assert codes.ethnicity("") == "s) NOBT"  # withheld or missing
    assert codes.gender("1", unborn=True) == "c) Not stated/recorded"


def test_child_ids_are_opaque_and_stable_across_exports(world, la, manager):
    first = load_workbook(io.BytesIO(annex_a.export(la, AS_OF, actor=manager)))["List 2"]
    # Something changes between the two exports: a new case for the boy.
    synthetic._case(la, [world.boy], started=d("2026-03-25"), by=manager)
    second = load_workbook(io.BytesIO(annex_a.export(la, AS_OF, actor=manager)))["List 2"]
    ids_first = [row[0] for row in first.iter_rows(min_row=2, values_only=True)]
    ids_second = [row[0] for row in second.iter_rows(min_row=2, values_only=True)]
    assert set(ids_first) <= set(ids_second)
    assert ids_second.count(annex_a.child_id(world.boy)) == 2
    for value in ids_first:
        assert re.fullmatch(r"[A-Z2-7]{12}", value)
    for person in (world.boy, world.sister, world.current_child):
        assert person.nhs_number not in ids_first
        assert str(person.pk) != annex_a.child_id(person)


def test_child_ids_follow_the_key(world, la, settings):
    before = annex_a.child_id(world.boy)
    settings.RETURNS_CHILD_ID_KEY = "another synthetic key"
    assert annex_a.child_id(world.boy) != before


def test_the_workbook_is_exactly_list_2_with_real_dates(world, la, manager):
    book = load_workbook(io.BytesIO(annex_a.export(la, AS_OF, actor=manager)))
    assert book.sheetnames == ["List 2"]
    sheet = book["List 2"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    )
    assert [row[1:] for row in rows[1:]] == [
        tuple(
            datetime.datetime.combine(value, datetime.time())
            if isinstance(value, datetime.date)
            else value
            for value in row.values()[1:]
        )
        for row in expected(world)
    ]
    for cells in sheet.iter_rows(min_row=2):
        for index in (3, 5, 6):
            cell = cells[index]
            if cell.value is None:
                continue
            assert cell.is_date
            assert cell.number_format == "dd/mm/yyyy"
        assert cells[0].data_type == "s"
        assert cells[4].value is None or cells[4].data_type == "n"


def test_export_is_audited_as_an_export(world, la, manager):
    annex_a.export(la, AS_OF, actor=manager)
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor_id == manager.pk
    assert event.local_authority_id == la.pk
    assert event.changes["report"] == "annex_a_list_2"
    assert event.changes["as_of"] == "2026-03-31"
    assert event.changes["rows"] == len(expected(world))
    assert event.changes["children"] == 7


def test_only_the_councils_managers_may_export(world, la, other_la_manager, eho, la_admin):
    from django.core.exceptions import PermissionDenied

    practitioner = UserFactory(local_authority=la, roles=[Role.PRACTITIONER])
    for user in (other_la_manager, eho, la_admin, practitioner):
        with pytest.raises(PermissionDenied):
            annex_a.export(la, AS_OF, actor=user)
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_future_date_is_refused(la, manager):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        annex_a.export(la, datetime.date(2999, 1, 1), actor=manager)


def test_nothing_is_worked_out_from_a_restricted_date_of_birth(la, involved, manager):
    """Born after the as-of date, but the date is restricted: the list cannot
    tell, so she is shown as a girl whose date of birth is not given."""
    from people.models import Restriction
    from tests.factories import PersonFactory
    from tests.returns.world import _case

    baby = PersonFactory(local_authority=la, date_of_birth=d("2026-02-01"), sex="2")
    Restriction.objects.create(
        person=baby,
        field="date_of_birth",
        reason="Synthetic",
        visible_to_roles=[Role.EARLY_HELP_MANAGER],
        created_by=manager,
    )
    _case(la, [baby], started=d("2026-01-05"), by=involved)
    (row,) = annex_a.rows(la, datetime.date(2026, 1, 20))
    assert (row.gender, row.date_of_birth, row.age) == ("b) Female", None, None)


def test_the_list_costs_the_same_queries_however_many_cases(world, la, involved):
    """No query per case or child: a large council's list is a few queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PersonFactory
    from tests.returns.world import _case

    with CaptureQueriesContext(connection) as few:
        annex_a.rows(la, AS_OF)
    for _n in range(5):
        children = [PersonFactory(local_authority=la) for _ in range(2)]
        _case(la, children, started=d("2026-02-01"), by=involved)
    with CaptureQueriesContext(connection) as many:
        assert len(annex_a.rows(la, AS_OF)) == 7 + 10
    assert len(many.captured_queries) == len(few.captured_queries) <= 10


def test_for_return_all_masks_as_for_return_does(world, la):
    """The bulk copy hides exactly what the one-person copy hides, household
    address restrictions included."""
    from people import restrictions
    from people.models import Person, Restriction

    neighbour = world.boy
    world.restricted_girl.address_line_1 = neighbour.address_line_1 = "1 Synthetic Row"
    world.restricted_girl.postcode = neighbour.postcode = "ZZ1 1ZZ"
    world.restricted_girl.save()
    neighbour.save()
    Restriction.objects.create(
        person=world.restricted_girl,
        field="address",
        reason="Synthetic",
        created_by=world.restricted_girl.restrictions.first().created_by,
    )
    people = list(Person.objects.filter(local_authority=la))
    bulk = restrictions.for_return_all(people)
    fields = ("date_of_birth", "ethnicity", "address_line_1", "postcode", "sex")
    for person in people:
        one = restrictions.for_return(Person.objects.get(pk=person.pk))
        assert [getattr(bulk[person.pk], f) for f in fields] == [getattr(one, f) for f in fields]
        assert bulk[person.pk].withheld == one.withheld
    assert bulk[neighbour.pk].postcode == ""
    assert bulk[world.restricted_girl.pk].date_of_birth is None


def test_deploy_check_warns_when_child_ids_follow_the_secret_key(settings):
    from django.core.checks import Tags, run_checks

    from returns.checks import check_child_id_key

    settings.RETURNS_CHILD_ID_KEY = settings.SECRET_KEY
    assert [w.id for w in check_child_id_key()] == ["earlyhelp.W011"]
    settings.RETURNS_CHILD_ID_KEY = "a synthetic key set once for the returns"
    assert check_child_id_key() == []
    # Registered: the deployment checks (`check --deploy`) report it.
    settings.RETURNS_CHILD_ID_KEY = settings.SECRET_KEY
    found = run_checks(include_deployment_checks=True, tags=[Tags.security])
    assert "earlyhelp.W011" in [message.id for message in found]
