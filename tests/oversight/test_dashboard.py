"""The district dashboard: counts by stage, rule and organisation, for an
EHO's districts or a manager's council; every chart has its table."""

import datetime

from django.utils import timezone

from episodes.models import Episode, Status
from oversight.models import Alert
from tests.factories import DistrictFactory, EpisodeFactory


def _charts(client, **query):
    response = client.get("/worklist/dashboard/", query)
    return response, {
        str(chart.title): {str(bar.label): bar.count for bar in chart.rows}
        for chart in response.context["charts"]
    }


def test_an_eho_sees_their_districts_counts_and_each_chart_has_a_table(
    client_for, la, eho, episode, other_org
):
    Episode.objects.filter(pk=episode.pk).update(status=Status.PLAN, lead_professional=other_org)
    far = DistrictFactory(local_authority=la, name="Far")
    EpisodeFactory(local_authority=la, district=far)  # not the EHO's district
    Alert.objects.create(
        local_authority=la,
        rule="review_overdue",
        episode=episode,
        district=episode.district,
        due_since=timezone.localdate() - datetime.timedelta(days=2),
        first_seen=timezone.localdate(),
    )

    response, charts = _charts(client_for(eho))

    assert charts["Open cases by stage"]["Plan in place"] == 1
    assert sum(charts["Open cases by stage"].values()) == 1
    assert charts["Alerts by rule"] == {"Review overdue": 1}
    assert charts["Cases led, by the lead professional's organisation"] == {"Testshire Clinic": 1}
    html = response.content.decode()
    assert html.count("<svg") == html.count('<table class="govuk-table"') == 3
    assert (
        'aria-hidden="true"' in html
        and "<script" not in html.split("</header>")[1].split("<footer")[0]
    )


def test_a_manager_sees_the_council_and_can_pick_a_district(client_for, la, manager, episode):
    far = DistrictFactory(local_authority=la, name="Far")
    EpisodeFactory(local_authority=la, district=far)
    client = client_for(manager)

    _response, everywhere = _charts(client)
    _response, one = _charts(client, district=str(far.pk))

    assert sum(everywhere["Open cases by stage"].values()) == 2
    assert sum(one["Open cases by stage"].values()) == 1


def test_a_practitioner_has_no_dashboard(client_for, involved):
    assert client_for(involved).get("/worklist/dashboard/").status_code == 403
