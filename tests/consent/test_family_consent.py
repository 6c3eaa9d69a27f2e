"""The whole family's answers on one page, in one submission: the assessment
from each person, sharing with each organisation offered, and the
organisations agreed to brought into the team. All or nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consent import services
from consent.models import Consent, Purpose
from episodes.models import Status
from meetings.services import team_organisations
from tests.consent.pages import page_text
from tests.journey import add_parent


def answers(person, *, assessment="not_asked", method="in_person", on=None, **sharing):
    """One person's column of the grid; sharing as org<pk>=agreed|refused."""
    on = on or timezone.localdate()
    data = {
        f"p{person.pk}-assessment": assessment,
        f"p{person.pk}-method": method,
        f"p{person.pk}-given_on-day": str(on.day),
        f"p{person.pk}-given_on-month": str(on.month),
        f"p{person.pk}-given_on-year": str(on.year),
    }
    data.update({f"p{person.pk}-{key}": value for key, value in sharing.items()})
    return data


def submit(client, episode, organisations, *columns, add_to_team=True):
    data = {"form": "family", "offer": [org.pk for org in organisations]}
    for column in columns:
        data.update(column)
    if add_to_team:
        data["add_to_team"] = "true"
    return client.post(f"/cases/{episode.pk}/consent/", data)


@pytest.fixture
def parents(episode):
    return add_parent(episode, first_name="Alys"), add_parent(episode, first_name="Bryn")


def test_one_submission_records_two_people_and_two_organisations_and_builds_the_team(
    client_for, involved, episode, parents, school, clinic
):
    alys, bryn = parents
    assert clinic not in team_organisations(episode)

    response = submit(
        client_for(involved),
        episode,
        [school, clinic],
        answers(
            alys,
            assessment="agreed",
            **{f"org{school.pk}": "agreed", f"org{clinic.pk}": "agreed"},
        ),
        answers(
            bryn,
            assessment="agreed",
            method="phone",
            **{f"org{school.pk}": "refused", f"org{clinic.pk}": "agreed"},
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{episode.pk}/consent/"
    rows = set(
        Consent.objects.values_list(
            "person__first_name", "purpose", "organisation", "given", "method"
        )
    )
    assert rows == {
        ("Alys", Purpose.ASSESSMENT, None, True, "in_person"),
        ("Alys", Purpose.SHARING, school.pk, True, "in_person"),
        ("Alys", Purpose.SHARING, clinic.pk, True, "in_person"),
        ("Bryn", Purpose.ASSESSMENT, None, True, "phone"),
        ("Bryn", Purpose.SHARING, school.pk, False, "phone"),
        ("Bryn", Purpose.SHARING, clinic.pk, True, "phone"),
    }
    episode.refresh_from_db()
    assert episode.status == Status.ASSESSMENT
    assert set(team_organisations(episode)) == {school, clinic}
    page = page_text(client_for(involved).get(response["Location"]))
    assert "Decisions recorded for 2 people. Added to the team: Testshire Clinic" in page


def test_a_refusal_in_the_grid_goes_on_to_the_judgement(
    client_for, involved, episode, parents, school
):
    alys, _bryn = parents
    response = submit(client_for(involved), episode, [school], answers(alys, assessment="refused"))
    assert response["Location"] == f"/cases/{episode.pk}/consent/judgement/"


def test_one_invalid_column_saves_nothing_and_each_error_links_to_its_field(
    client_for, involved, episode, parents, school, clinic
):
    alys, bryn = parents
    bad = answers(bryn, assessment="refused", method="")
    bad[f"p{bryn.pk}-given_on-year"] = "2999"
    response = submit(
        client_for(involved),
        episode,
        [school, clinic],
        answers(alys, assessment="agreed", **{f"org{clinic.pk}": "agreed"}),
        bad,
    )

    assert response.status_code == 200
    assert Consent.objects.count() == 0
    assert clinic not in team_organisations(episode)
    errors = response.context["family_form"].errors
    assert errors[f"p{bryn.pk}-method"] == ["Choose how Bryn Testfamily gave their answers"]
    assert len(errors[f"p{bryn.pk}-given_on"]) == 1
    html = response.content.decode()
    assert f'href="#id_p{bryn.pk}-method"' in html
    assert f'href="#id_p{bryn.pk}-given_on-day"' in html
    # What was typed is still there.
    assert f'name="p{alys.pk}-org{clinic.pk}" type="radio" value="agreed" checked' in html


def test_nothing_answered_is_explained(client_for, involved, episode, parents, school):
    response = submit(client_for(involved), episode, [school], add_to_team=False)
    assert response.status_code == 200
    errors = response.context["family_form"].errors
    assert list(errors.values()) == [
        ["Record at least one answer: choose Agreed or Refused for someone"]
    ]


def test_a_failure_while_saving_undoes_the_whole_submission(
    involved, episode, parents, school, clinic, monkeypatch
):
    alys, bryn = parents

    def refuse_to_join(*args, **kwargs):
        raise ValidationError("The organisation cannot join")

    monkeypatch.setattr("meetings.services.add_organisation", refuse_to_join)
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.record_family_consent(
            involved,
            episode,
            [
                services.PersonDecisions(alys, "phone", today, True, {clinic: True}),
                services.PersonDecisions(bryn, "phone", today, False),
            ],
            add_to_team=True,
        )
    episode.refresh_from_db()
    assert (Consent.objects.count(), episode.status) == (0, Status.REQUESTED)


def test_someone_outside_the_family_is_refused_before_anything_is_saved(
    involved, episode, parents, child
):
    from people.models import FamilyMember

    alys, _bryn = parents
    stranger = add_parent(episode, first_name="Stranger")
    FamilyMember.objects.filter(person=stranger).delete()
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.record_family_consent(
            involved,
            episode,
            [
                services.PersonDecisions(alys, "phone", today, True),
                services.PersonDecisions(stranger, "phone", today, True),
            ],
        )
    assert refused.value.messages == ["Choose members of this family only"]
    assert Consent.objects.count() == 0


def test_the_grid_offers_the_teams_organisations_and_those_chosen(
    client_for, involved, episode, parents, child, school, clinic
):
    client = client_for(involved)
    first = client.get(f"/cases/{episode.pk}/consent/")
    assert [org.name for org in first.context["offered"]] == ["Testshire Primary"]
    chosen = client.get(f"/cases/{episode.pk}/consent/?offer={clinic.pk}&offer=x&offer=999999")
    assert [org.name for org in chosen.context["offered"]] == ["Testshire Clinic"]
    text = page_text(chosen)
    assert "Sharing information with Testshire Clinic" in text
    # Everyone born is a column; the child too, on the practitioner's judgement.
    assert sorted(chosen.context["family_form"].names) == sorted(
        ["Alys Testfamily", "Bryn Testfamily", child.full_name]
    )


def test_a_childs_answer_is_recorded_but_only_an_adults_starts_the_assessment(
    client_for, involved, episode, child, school
):
    from people.models import Relationship
    from tests.journey_factories import add_member

    unborn = add_member(
        episode,
        Relationship.UNBORN,
        date_of_birth=None,
        expected_date_of_birth=timezone.localdate() + timedelta(days=90),
    )
    client = client_for(involved)
    page = client.get(f"/cases/{episode.pk}/consent/")
    assert f"p{unborn.pk}-assessment" not in page.context["family_form"].fields

    response = submit(client, episode, [school], answers(child, assessment="agreed"))

    assert response.status_code == 302
    episode.refresh_from_db()
    assert (episode.status, Consent.objects.get().person) == (Status.REQUESTED, child)


@pytest.mark.parametrize(
    "typed", ["9" * 5000, "١٢", "²", "-1", "1e3", "\x00", "99999999999999999999"]
)
def test_an_offer_that_is_no_id_is_ignored_not_a_server_error(client_for, involved, episode, typed):
    response = client_for(involved).get(f"/cases/{episode.pk}/consent/", {"offer": [typed]})
    assert response.status_code == 200
    assert list(services.offered_organisations(episode, [typed])) == list(
        services.offered_organisations(episode, [])
    )


def test_the_page_reads_the_family_and_the_councils_organisations_once(
    client_for, involved, episode, school, clinic
):
    """Both forms list the family and the council's organisations: each is
    read once, so the page's queries do not grow with the family (a
    household's address restrictions included)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(involved)
    url = f"/cases/{episode.pk}/consent/"

    def queries():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    add_parent(episode, first_name="Alys", postcode="ZZ1 1ZZ", address_line_1="1 Test Row")
    with_one = queries()
    for n in range(4):
        add_parent(episode, first_name=f"Parent{n}", postcode="ZZ2 2ZZ", address_line_1=f"{n} Row")
    assert queries() == with_one
    assert "Parent3" in client.get(url).content.decode()


def test_the_decisions_recorded_are_listed_newest_first_a_page_at_a_time(
    client_for, monkeypatch, involved, episode, school
):
    """Each person's answer for each organisation and every change of mind:
    a long-held case's list has pages, and the newest come first."""
    from consent import views

    monkeypatch.setattr(views, "DECISIONS_PAGE_SIZE", 2)
    person = episode.family.memberships.first().person
    now = timezone.now()
    for n in range(3):
        Consent.objects.create(
            episode=episode,
            person=person,
            purpose=Purpose.SHARING,
            organisation=school,
            given=bool(n % 2),
            method="in_person",
            given_on=timezone.localdate(),
            recorded_by=involved,
            recorded_at=now - timedelta(days=3 - n),
        )
    client = client_for(involved)
    first = client.get(f"/cases/{episode.pk}/consent/")
    second = client.get(f"/cases/{episode.pk}/consent/", {"page": "2"})

    times = [c.recorded_at for page in (first, second) for c in page.context["consents"]]
    assert times == sorted(times, reverse=True) and len(times) == 3
    assert 'aria-label="Pages of decisions"' in first.content.decode()
