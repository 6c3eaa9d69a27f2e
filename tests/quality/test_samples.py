"""Samples for audit: proportional allocation by organisation type with at
least one of each type, reproducible from the seed, drawn only from recent
cases the person may audit, saved, and showing which are done."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import OrganisationType
from quality import services
from quality.models import AuditSample, SampledCase
from tests.factories import EpisodeFactory, OrganisationFactory
from tests.quality.conftest import make_audit


def test_allocation_is_proportional_and_adds_up():
    assert services.allocate({"school": 60, "health": 30, "police": 10}, 10) == {
        "school": 6, "health": 3, "police": 1,
    }  # fmt: skip


def test_every_type_present_gets_one_when_the_size_allows():
    counts = services.allocate({"school": 97, "health": 2, "police": 1}, 5)
    assert counts == {"school": 3, "health": 1, "police": 1}


def test_a_sample_smaller_than_the_types_goes_to_the_biggest():
    assert services.allocate({"school": 50, "health": 30, "police": 20}, 2) == {
        "school": 1, "health": 1, "police": 0,
    }  # fmt: skip


def test_a_sample_never_takes_more_than_there_is():
    assert services.allocate({"school": 3, "health": 1}, 50) == {"school": 3, "health": 1}
    assert services.allocate({"school": 0, "health": 4}, 2) == {"school": 0, "health": 2}


def test_the_same_seed_draws_the_same_cases_and_another_seed_others():
    population = [(pk, "school" if pk % 3 else "health") for pk in range(1, 301)]
    first = services.draw(population, 20, seed=4242)
    assert services.draw(list(reversed(population)), 20, seed=4242) == first
    assert services.draw(population, 20, seed=4243) != first
    assert sum(1 for _pk, stratum in first if stratum == "health") == 7  # 100 of 300


@pytest.fixture
def district_cases(la, district, involved):
    """Recent cases of the district asked for by two schools and one GP practice,
    one case asked for two years ago, and a recent case of another district."""
    gp = OrganisationFactory(
        local_authority=la, name="Testshire Surgery", type=OrganisationType.GP_PRACTICE
    )
    schools = [OrganisationFactory(local_authority=la, name=f"School {n}") for n in range(2)]
    recent = [
        EpisodeFactory(local_authority=la, district=district, requesting_organisation=org,
                       requested_by=involved)
        for org in [*schools, *schools, gp]
    ]  # fmt: skip
    old = EpisodeFactory(local_authority=la, district=district, requesting_organisation=gp,
                         requested_by=involved)  # fmt: skip
    old.requested_at = timezone.now() - datetime.timedelta(days=730)
    old.save()
    elsewhere = EpisodeFactory(
        local_authority=la, requesting_organisation=gp, requested_by=involved
    )
    return {"recent": recent, "old": old, "elsewhere": elsewhere, "gp": gp}


def test_a_sample_is_drawn_from_the_recent_cases_the_eho_may_audit_and_saved(eho, district_cases):
    sample = services.draw_sample(eho, size=3, months=3, seed=7)

    cases = list(sample.cases.values_list("episode_id", "organisation_type"))
    recent = {episode.pk for episode in district_cases["recent"]}
    assert {pk for pk, _type in cases} <= recent
    assert sorted(kind for _pk, kind in cases) == ["gp", "school", "school"]
    assert (sample.seed, sample.population, sample.drawn_by) == (7, 5, eho)


def test_the_seed_shown_reproduces_the_sample(eho, district_cases):
    first = services.draw_sample(eho, size=3, seed=31337)
    again = services.draw_sample(eho, size=3, seed=first.seed)
    cases = [set(s.cases.values_list("episode_id", flat=True)) for s in (first, again)]
    assert cases[0] == cases[1]


def test_sampling_is_for_auditors_and_refuses_nonsense(involved, eho, district_cases):
    with pytest.raises(PermissionDenied):
        services.draw_sample(involved, size=3)
    with pytest.raises(ValidationError):
        services.draw_sample(eho, size=0)


def test_the_sample_page_shows_the_seed_links_each_case_and_which_are_done(
    client_for, eho, district_cases
):
    client = client_for(eho)
    response = client.post("/quality/samples/", {"size": "2", "months": "3", "seed": ""})
    sample = AuditSample.objects.get()
    assert response["Location"] == f"/quality/samples/{sample.pk}/"
    sampled = list(SampledCase.objects.filter(sample=sample).select_related("episode"))
    make_audit(eho, sampled[0].episode)

    page = client.get(f"/quality/samples/{sample.pk}/").content.decode()

    assert f'<span id="seed">{sample.seed}</span>' in page
    assert f"/cases/{sampled[1].episode_id}/quality/new/" in page
    assert f"/cases/{sampled[0].episode_id}/quality/new/" not in page
    assert "1 / 2" in page
    assert "GP practice: 1<br>School: 1" in page  # one of each type, though 4 of 5 are schools


def test_another_ehos_sample_is_not_found(client_for, eho, other_eho, district_cases):
    sample = services.draw_sample(eho, size=2)
    assert client_for(other_eho).get(f"/quality/samples/{sample.pk}/").status_code == 404
