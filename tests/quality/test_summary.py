"""The quality summary: audits by requesting organisation and month, grades and
the common weaknesses, counts only; an EHO's covers their districts."""

import datetime

from django.utils import timezone

from quality import services
from quality.models import CaseAudit, Grade
from tests.factories import EpisodeFactory, OrganisationFactory
from tests.quality.conftest import make_audit


def _cases(la, district, involved, organisation, n):
    return [
        EpisodeFactory(local_authority=la, district=district, requesting_organisation=organisation,
                       requested_by=involved)
        for _ in range(n)
    ]  # fmt: skip


def test_audits_are_counted_by_organisation_and_month_with_the_common_weaknesses(
    la, district, involved, eho, school
):
    clinic = OrganisationFactory(local_authority=la, name="Testshire Clinic", type="health")
    a, b, c = _cases(la, district, involved, school, 3)
    (d,) = _cases(la, district, involved, clinic, 1)
    smart, voice = "The actions are SMART", "The child's voice is heard"
    make_audit(eho, a, grade=Grade.GOOD, weak=[smart])
    make_audit(eho, b, grade=Grade.REQUIRES_IMPROVEMENT, weak=[smart, voice])
    make_audit(eho, c, grade=Grade.INADEQUATE, weak=[voice, smart])
    make_audit(eho, d, grade=Grade.OUTSTANDING)
    last_month = make_audit(eho, a, grade=Grade.GOOD, weak=[voice])
    CaseAudit.objects.filter(pk=last_month.pk).update(
        audited_at=timezone.localtime().replace(day=1) - datetime.timedelta(days=3)
    )

    this_month = timezone.localdate().replace(day=1)
    rows = services.summary(eho, this_month - datetime.timedelta(days=40))

    found = [(r.month, r.organisation, r.audits, r.grade_counts, r.weaknesses) for r in rows]
    earlier = (this_month - datetime.timedelta(days=3)).replace(day=1)
    assert found == [
        (this_month, "Testshire Clinic", 1, [1, 0, 0, 0], []),
        (this_month, "Testshire Primary", 3, [0, 1, 1, 1], [(smart, 3), (voice, 2)]),
        (earlier, "Testshire Primary", 1, [0, 1, 0, 0], [(voice, 1)]),
    ]


def test_an_ehos_summary_counts_only_their_districts_audits(
    la, district, involved, eho, other_eho, manager, school
):
    (mine,) = _cases(la, district, involved, school, 1)
    far = other_eho.districts_as_eho.get()
    (theirs,) = _cases(la, far, involved, school, 1)
    make_audit(eho, mine)
    make_audit(other_eho, theirs)
    since = timezone.localdate().replace(day=1)

    counts = {
        name: sum(row.audits for row in services.summary(user, since))
        for name, user in [("eho", eho), ("other_eho", other_eho), ("manager", manager)]
    }
    assert counts == {"eho": 1, "other_eho": 1, "manager": 2}


def test_the_summary_page_names_no_case_family_or_person(client_for, eho, manager, planned_case):
    make_audit(eho, planned_case, weak=["The needs match the plan"],
               feedback="Synthetic: words only the team should read")  # fmt: skip
    page = client_for(manager).get("/quality/summary/?months=3").content.decode()

    assert "Testshire Primary" in page and "The needs match the plan (1)" in page
    child = planned_case.children.get()
    identifiers = [planned_case.reference, planned_case.family.name, child.last_name]
    identifiers += [eho.full_name, "words only the team", f"/cases/{planned_case.pk}/"]
    assert [identifier for identifier in identifiers if identifier in page] == []


def test_the_summary_is_for_auditors(client_for, involved, la_admin):
    assert client_for(involved).get("/quality/summary/").status_code == 403
    assert client_for(la_admin).get("/quality/summary/").status_code == 403
