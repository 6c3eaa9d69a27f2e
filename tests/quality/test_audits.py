"""Auditing a case: grading against the council's criteria, who may audit and
read, the team's acknowledgement and reply, re-audits, the case page and the
chronology."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import Action, AuditEvent
from core import policy
from episodes.chronology import chronology
from notifications.models import Notification
from quality import services
from quality.models import DEFAULT_CRITERIA, CaseAudit, Criterion, CriterionGrade, Grade
from tests.factories import UserFactory
from tests.quality.conftest import audit_form, make_audit


def test_an_eho_grades_the_current_plan_against_each_criterion_and_the_lead_is_told(
    client_for, eho, involved, planned_case
):
    response = client_for(eho).post(
        f"/cases/{planned_case.pk}/quality/new/",
        audit_form(planned_case, grade="requires_improvement", subject="plan",
                   feedback="Synthetic: the actions have no dates the family agreed."),
    )  # fmt: skip

    audit = CaseAudit.objects.get()
    assert response["Location"] == f"/cases/{planned_case.pk}/quality/{audit.pk}/"
    assert (audit.subject, audit.plan_number, audit.plan.number, audit.grade, audit.audited_by) == (
        "plan", 1, 1, Grade.REQUIRES_IMPROVEMENT, eho,
    )  # fmt: skip
    assert [g.criterion_text for g in audit.grades.all()] == [str(t) for t in DEFAULT_CRITERIA]
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="quality.caseaudit", episode_id=planned_case.pk
    ).exists()
    told = Notification.objects.get(user=involved, message__icontains="audit")
    assert "dates the family agreed" not in told.message


def test_every_criterion_must_be_graded_and_nothing_is_saved_until_it_is(
    client_for, eho, planned_case
):
    criterion = services.active_criteria(planned_case.local_authority)[0]
    data = audit_form(planned_case)
    del data[f"grade_{criterion.pk}"]

    response = client_for(eho).post(f"/cases/{planned_case.pk}/quality/new/", data)

    assert response.status_code == 200
    assert f"#id_grade_{criterion.pk}" in response.content.decode()
    assert CaseAudit.objects.count() == 0


def test_the_assessment_cannot_be_audited_before_there_is_one(eho, episode):
    with pytest.raises(ValidationError) as refused:
        make_audit(eho, episode, subject="assessment")
    assert "subject" in refused.value.message_dict
    assert make_audit(eho, episode, subject="case").subject == "case"


def test_only_the_districts_eho_and_managers_may_audit(
    eho, other_eho, manager, involved, la_admin, other_la_manager, planned_case
):
    may = {
        name: policy.can_audit_case(user, planned_case)
        for name, user in [("eho", eho), ("other_eho", other_eho), ("manager", manager),
                           ("involved", involved), ("la_admin", la_admin),
                           ("other_la_manager", other_la_manager)]
    }  # fmt: skip
    assert may == {
        "eho": True, "other_eho": False, "manager": True,
        "involved": False, "la_admin": False, "other_la_manager": False,
    }  # fmt: skip
    with pytest.raises(PermissionDenied):
        make_audit(other_eho, planned_case)


def test_the_auditors_and_the_team_read_audits_and_nobody_else(
    client_for, eho, other_eho, manager, involved, other_org, la, planned_case
):
    audit = make_audit(eho, planned_case)
    coordinator = UserFactory(local_authority=la, email="coord@test.example", roles=["panel"])
    seen = {
        name: policy.audits_visible_to(user).filter(pk=audit.pk).exists()
        for name, user in [("eho", eho), ("other_eho", other_eho), ("manager", manager),
                           ("involved", involved), ("other_org", other_org),
                           ("coordinator", coordinator)]
    }  # fmt: skip
    assert seen == {
        "eho": True, "other_eho": False, "manager": True,
        "involved": True, "other_org": False, "coordinator": False,
    }  # fmt: skip
    url = f"/cases/{planned_case.pk}/quality/{audit.pk}/"
    assert client_for(coordinator).get(url).status_code == 404
    assert "Synthetic: the child" in client_for(involved).get(url).content.decode()


def test_the_team_acknowledges_once_and_the_auditor_cannot(client_for, eho, involved, planned_case):
    audit = make_audit(eho, planned_case)
    url = f"/cases/{planned_case.pk}/quality/{audit.pk}/acknowledge/"

    assert client_for(eho).post(url).status_code == 403
    response = client_for(involved).post(url)
    again = client_for(involved).post(url)

    audit.refresh_from_db()
    assert response.status_code == 302
    assert (audit.acknowledged_by, audit.acknowledged_at is not None) == (involved, True)
    assert again.status_code == 200
    assert "already been acknowledged" in again.content.decode()


def test_the_team_replies_and_the_auditor_is_told(client_for, eho, involved, planned_case):
    audit = make_audit(eho, planned_case)
    url = f"/cases/{planned_case.pk}/quality/{audit.pk}/reply/"

    empty = client_for(involved).post(url, {"text": "  "})
    sent = client_for(involved).post(url, {"text": "Synthetic: dates agreed at the next review."})

    assert empty.status_code == 200 and audit.replies.count() == 1
    assert sent.status_code == 302
    assert audit.replies.get().author == involved
    page = client_for(eho).get(f"/cases/{planned_case.pk}/quality/{audit.pk}/").content.decode()
    assert "dates agreed at the next review" in page
    told = Notification.objects.get(user=eho, message__icontains="reply")
    assert "dates agreed" not in told.message


def test_a_re_audit_is_linked_to_the_first(client_for, eho, planned_case):
    first = make_audit(eho, planned_case, grade=Grade.INADEQUATE)
    form_page = client_for(eho).get(f"/cases/{planned_case.pk}/quality/new/?reaudit={first.pk}")
    response = client_for(eho).post(
        f"/cases/{planned_case.pk}/quality/new/", audit_form(planned_case, re_audit_of=first.pk)
    )

    second = CaseAudit.objects.exclude(pk=first.pk).get()
    assert f'value="{first.pk}" selected' in form_page.content.decode()
    assert response.status_code == 302
    assert (second.re_audit_of, list(first.re_audits.all())) == (first, [second])
    page = client_for(eho).get(f"/cases/{planned_case.pk}/quality/{first.pk}/").content.decode()
    assert f"/cases/{planned_case.pk}/quality/{second.pk}/" in page


def test_a_re_audit_of_another_cases_audit_is_refused(eho, planned_case, episode, la, district):
    from tests.factories import EpisodeFactory

    elsewhere = EpisodeFactory(local_authority=la, district=district)
    other = make_audit(eho, elsewhere)
    with pytest.raises(ValidationError):
        make_audit(eho, planned_case, re_audit_of=other)


def test_an_audit_keeps_the_criterion_words_it_was_graded_against(manager, eho, planned_case):
    audit = make_audit(eho, planned_case)
    criterion = Criterion.objects.get(text="The actions are SMART")

    services.rename_criterion(manager, criterion, "Every action is specific and dated")
    services.retire_criterion(
        manager, Criterion.objects.get(text="The family got a copy of the plan")
    )

    texts = list(audit.grades.values_list("criterion_text", flat=True))
    assert "The actions are SMART" in texts and "The family got a copy of the plan" in texts
    later = make_audit(eho, planned_case)
    assert list(later.grades.values_list("criterion_text", flat=True)) == [
        "The child's voice is heard",
        "The family's own words are used",
        "The needs match the plan",
        "Every action is specific and dated",
        "The plan is reviewed on time",
    ]


def test_grading_a_retired_criterion_is_refused(manager, eho, planned_case):
    judgements = {
        c.pk: services.CriterionJudgement("good")
        for c in services.active_criteria(planned_case.local_authority)
    }
    services.retire_criterion(manager, Criterion.objects.order_by("pk").first())
    with pytest.raises(ValidationError):
        services.record_audit(
            eho, planned_case, subject="case", grade="good", feedback="x", judgements=judgements
        )
    assert CriterionGrade.objects.count() == 0


def test_the_chronology_shows_the_grade_not_the_feedback(eho, planned_case):
    make_audit(eho, planned_case, grade=Grade.OUTSTANDING, subject="plan",
               feedback="Synthetic: secret feedback words")  # fmt: skip

    rows = [row for row in chronology(planned_case) if "audit" in row.title]
    assert [(row.title, row.detail, row.by) for row in rows] == [
        ("Quality audit: The current plan (version 1)", "Graded outstanding", str(eho))
    ]
    assert not any("secret feedback" in row.detail for row in chronology(planned_case))


def test_the_chronology_names_an_audit_only_to_those_who_may_read_it(
    client_for, eho, involved, la, planned_case
):
    # A panel coordinator reads the case but not its audits (policy.audits_visible_to):
    # neither the audit section nor the chronology may tell them it was graded.
    make_audit(eho, planned_case, grade=Grade.OUTSTANDING, subject="plan")
    coordinator = UserFactory(local_authority=la, email="coord@test.example", roles=["panel"])
    url = f"/cases/{planned_case.pk}/"

    shown = client_for(coordinator).get(url)
    assert shown.status_code == 200
    assert "Quality audit" not in shown.content.decode()
    assert "Graded outstanding" not in shown.content.decode()
    assert not [row for row in chronology(planned_case, coordinator) if "audit" in row.title]
    for reader in (involved, eho):
        page = client_for(reader).get(url).content.decode()
        assert "Quality audit: The current plan (version 1)" in page
        assert [row.detail for row in chronology(planned_case, reader) if "audit" in row.title] == [
            "Graded outstanding"
        ]


def test_the_case_page_lists_audits_with_each_persons_links(
    client_for, eho, involved, other_org, planned_case
):
    audit = make_audit(eho, planned_case)
    for_eho = client_for(eho).get(f"/cases/{planned_case.pk}/").content.decode()
    for_team = client_for(involved).get(f"/cases/{planned_case.pk}/").content.decode()

    assert 'id="audit-this-case"' in for_eho and 'id="audit-this-case"' not in for_team
    link = f"/cases/{planned_case.pk}/quality/{audit.pk}/"
    assert link in for_eho and link + "#respond" in for_team
    assert "episode" not in for_team.lower().replace("episode_", "")
