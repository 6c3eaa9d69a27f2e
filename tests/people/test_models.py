from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from people.models import Person, age_on
from tests.factories import PersonFactory


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2010, 6, 15), date(2026, 6, 14), 15),
        (date(2010, 6, 15), date(2026, 6, 15), 16),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_counts_whole_years(born, on, age):
    assert age_on(born, on) == age


def test_unborn_child_has_no_age(la):
    person = Person(
        local_authority=la,
        first_name="Baby",
        last_name="Testfamily",
        expected_date_of_birth=date(2099, 1, 1),
    )
    assert (person.is_unborn, person.age()) == (True, None)


def test_clean_normalises_identifiers_and_reports_every_problem_at_once(la):
    person = Person(
        local_authority=la,
        first_name="Ada",
        last_name="Testfamily",
        nhs_number="999 111 1115",
        upn="n999999912001",
        postcode="nm1 2ab",
    )
    person.clean()
    assert (person.nhs_number, person.upn, person.postcode) == (
        "9991111115",
        "N999999912001",
        "NM1 2AB",
    )

    broken = Person(
        local_authority=la,
        first_name="Ada",
        last_name="Testfamily",
        nhs_number="9991111116",
        postcode="nowhere",
        disabilities=["NONE", "VIS"],
    )
    with pytest.raises(ValidationError) as error:
        broken.clean()
    assert sorted(error.value.message_dict) == ["disabilities", "nhs_number", "postcode"]


def test_unknown_disability_codes_are_named(la):
    person = Person(local_authority=la, first_name="A", last_name="B", disabilities=["XYZ"])
    with pytest.raises(ValidationError) as error:
        person.clean()
    assert error.value.message_dict["disabilities"] == ["Unknown disability codes: XYZ"]


def test_database_refuses_a_birth_date_and_an_expected_date_together(la):
    with pytest.raises(IntegrityError):
        PersonFactory(
            local_authority=la,
            date_of_birth=date(2020, 1, 1),
            expected_date_of_birth=date(2099, 1, 1),
        )
