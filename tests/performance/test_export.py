"""The performance indicators as CSV: the page's figures, from the page's
download and from `earlyhelp performance_indicators` alike, audited as an
export, for managers only."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import Action, AuditEvent
from tests.performance.test_views import _last_month_case


def _rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_the_download_has_the_pages_figures_and_is_audited(
    client_for, manager, la, district, school, involved
):
    for _n in range(5):
        _last_month_case(la, district, school, involved)
    response = client_for(manager).get("/performance/download.csv")
    assert response.status_code == 200
    rows = _rows(b"".join([response.content]).decode())
    council_months = [
        r for r in rows if r["indicator"] == "assessment_on_time" and r["breakdown"] == "council"
    ]
    assert len(council_months) == 12
    last = council_months[-1]
    assert (last["met"], last["base"], last["percent"], last["status"]) == (
        "5",
        "5",
        "100%",
        "Meets target",
    )
    assert {r["breakdown"] for r in rows} == {"council", "district", "type"}
    assert any(r["group"] == district.name for r in rows)
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.changes["report"] == "performance_indicators"


def test_a_small_base_is_c_in_the_file_too(client_for, manager, la, district, school, involved):
    _last_month_case(la, district, school, involved)
    rows = _rows(client_for(manager).get("/performance/download.csv").content.decode())
    last = [r for r in rows if r["indicator"] == "assessment_on_time"][11]
    assert (last["met"], last["base"], last["percent"]) == ("[c]", "[c]", "[c]")


def test_the_command_writes_what_the_page_downloads(
    client_for, manager, la, district, school, involved, tmp_path
):
    for _n in range(6):
        _last_month_case(la, district, school, involved)
    out = tmp_path / "indicators.csv"
    call_command("performance_indicators", la=la.slug, out=str(out))
    web = client_for(manager).get("/performance/download.csv").content.decode()
    assert out.read_bytes().decode("utf-8") == web
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"la": "nowhere"}, "No council with the short name 'nowhere'"),
        ({"as_of": "31/03/2026"}, "is not a date"),
        ({"out_name": "x.xlsx"}, "does not end in .csv"),
    ],
)
def test_the_command_says_what_is_wrong(la, tmp_path, options, message):
    kwargs = {
        "la": options.get("la", la.slug),
        "out": str(tmp_path / options.get("out_name", "x.csv")),
    }
    if "as_of" in options:
        kwargs["as_of"] = options["as_of"]
    with pytest.raises(CommandError, match=message):
        call_command("performance_indicators", **kwargs)
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_only_managers_may_download(client_for, eho, involved, la_admin):
    for user in (eho, involved, la_admin):
        assert client_for(user).get("/performance/download.csv").status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
