"""A template cannot print a person's restrictable values, or anything worked
out from them, unless the person came through people.restrictions: the class
of leak where a new page forgets the restrictions."""

import logging

import pytest
from django.template import Context, Template

from people import restrictions
from people.guard import UnfilteredPersonError
from tests.factories import PersonFactory


@pytest.fixture
def person(la):
    return PersonFactory(local_authority=la, postcode="NM1 1AA", address_line_1="3 Test Row")


def render(text, person):
    return Template(text).render(Context({"person": person}))


@pytest.mark.parametrize(
    "text",
    [
        "{{ person.postcode }}",
        "{{ person.address_line_1 }}",
        "{{ person.date_of_birth }}",
        "{{ person.age }}",  # worked out from the date of birth
        "{% if person.is_unborn %}unborn{% endif %}",
        "{{ person.get_preferred_language_display }}",
        "{{ person.nhs_number|default:'none' }}",
    ],
)
def test_a_template_given_the_person_itself_is_refused(person, text):
    with pytest.raises(UnfilteredPersonError) as refused:
        render(text, person)
    assert "without people.restrictions" in str(refused.value)


def test_the_person_as_the_viewer_may_see_them_renders(person, eho):
    shown = restrictions.shown_to(eho, person)
    assert render("{{ person.full_name }}: {{ person.postcode }}", shown) == (
        f"{person.full_name}: NM1 1AA"
    )


def test_names_are_not_restricted_and_render(person):
    assert render("{{ person.full_name }}", person) == person.full_name


def test_code_outside_templates_reads_values_as_ever(person):
    assert (person.postcode, person.age() is not None) == ("NM1 1AA", True)


def test_in_production_the_value_is_left_out_and_the_mistake_logged(person, settings, caplog):
    settings.PERSON_VALUES_GUARD = "mask"
    with caplog.at_level(logging.ERROR, logger="people.guard"):
        assert render("[{{ person.postcode }}]", person) == "[]"
    assert [record.getMessage()[:38] for record in caplog.records] == [
        "A template read Person.postcode (perso"
    ]
