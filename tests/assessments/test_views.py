import pytest
from django.utils import timezone

from assessments import services
from assessments.models import Assessment, ChildVoice
from audit.models import Action, AuditEvent
from core.forms import STALE_EDIT_MESSAGE, error_list
from episodes.models import EpisodeChild, EpisodeNeed
from notes.models import Attachment, AttachmentKind
from people.models import FamilyMember
from tests.factories import PersonFactory
from tests.journey import render_case_section as case_section

from .conftest import fill_in


def url(episode, tail=""):
    return f"/cases/{episode.pk}/assessment/{tail}"


def add_children(episode, count):
    for n in range(count):
        person = PersonFactory(local_authority=episode.local_authority, first_name=f"Extra{n}")
        FamilyMember.objects.create(family=episode.family, person=person, relationship="child")
        EpisodeChild.objects.create(episode=episode, person=person)


# Starting


def test_not_started_offers_to_start(client_for, involved, assessing):
    response = client_for(involved).get(url(assessing))

    assert response.status_code == 200
    assert "Start assessment" in response.content.decode()


def test_before_consent_there_is_no_start_button(client_for, involved, episode):
    page = client_for(involved).get(url(episode)).content.decode()

    assert ("Start assessment" in page, "once the family's consent has been recorded" in page) == (
        False,
        True,
    )


def test_start_creates_the_assessment_and_shows_the_task_list(client_for, involved, assessing):
    client = client_for(involved)
    response = client.post(url(assessing, "start/"))

    assert (response.status_code, response.url) == (302, url(assessing))
    assert Assessment.objects.get().started_by == involved
    page = client.get(url(assessing)).content.decode()
    assert "Check and complete the assessment" in page


def test_start_before_consent_shows_why(client_for, involved, episode):
    response = client_for(involved).post(url(episode, "start/"))

    assert response.status_code == 200
    assert "Record the family&#x27;s consent before starting the assessment" in (
        response.content.decode()
    )


# Who may see it


@pytest.mark.parametrize("persona", ["other_org", "other_eho", "other_la_manager"])
@pytest.mark.parametrize(
    "tail", ["", "start/", "family-story/", "family-story/autosave/", "check/", "children/1/"]
)
def test_everything_is_404_to_those_not_involved(request, client_for, assessment, persona, tail):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    response = (
        client.post(url(assessment.episode, tail))
        if "autosave" in tail or "start" in tail
        else client.get(url(assessment.episode, tail))
    )

    assert response.status_code == 404


# The task list


def test_task_list_statuses(client_for, involved, assessment, child):
    services.save_section(involved, assessment, "family-story", {"family_story": "Ours."}, 1)
    services.save_section(
        involved, assessment, "family-context", {"wider_community": "Church on Sundays."}, 2
    )

    response = client_for(involved).get(url(assessment.episode))

    statuses = [(row.section.key, row.status) for row in response.context["rows"]]
    assert statuses == [
        ("family-story", "completed"),
        (f"child-{child.pk}", "not_started"),
        ("working-well", "not_started"),
        ("worries", "not_started"),
        ("wellbeing-goals", "not_started"),
        ("scaling", "not_started"),
        ("needs", "not_started"),
        ("family-context", "in_progress"),
        ("existing-plan", "optional"),
    ]
    page = response.content.decode()
    assert '<div class="govuk-task-list__status" id="task-family-story-status">Completed</div>' in (
        page
    )
    assert "You have completed 1 of 8 sections." in page


@pytest.mark.parametrize("count", [1, 3])
def test_task_list_queries_do_not_grow_with_the_children(
    client_for, involved, assessment, count, django_assert_num_queries
):
    add_children(assessment.episode, count)
    client = client_for(involved)
    client.get(url(assessment.episode))
    # session, user, OTP device, roles, organisations, episode, assessment, children
    # and their restrictions (a restricted age is not acted on), voices, scores, needs,
    # may work on it
    with django_assert_num_queries(13):
        response = client.get(url(assessment.episode))
    assert len(response.context["rows"]) == 8 + 1 + count


# Sections


@pytest.mark.parametrize(
    ("section", "data"),
    [
        ("family-story", {"family_story": "We came here two years ago."}),
        ("working-well", {"working_well": "Dad cooks every evening."}),
        ("worries", {"worries": "Nobody sleeps well."}),
        ("wellbeing-goals", {"wellbeing_goals": "Sleeps through\nEats breakfast"}),
        ("family-context", {"family_circumstances": "Small flat.", "wider_community": "Mosque."}),
    ],
)
def test_each_text_section_saves_and_continues(client_for, involved, assessment, section, data):
    client = client_for(involved)
    assert client.get(url(assessment.episode, f"{section}/")).status_code == 200

    response = client.post(url(assessment.episode, f"{section}/"), {**data, "version": 1})

    assert (response.status_code, response.url) == (302, url(assessment.episode))
    stored = Assessment.objects.get()
    assert {name: getattr(stored, name) for name in data} == data
    assert stored.version == 2


def test_child_section_saves(client_for, involved, assessment, child):
    response = client_for(involved).post(
        url(assessment.episode, f"children/{child.pk}/"),
        {"wishes_and_feelings": "I miss my old school.", "version": 1},
    )

    assert response.status_code == 302
    assert ChildVoice.objects.get().wishes_and_feelings == "I miss my old school."


def test_child_section_is_404_for_a_child_of_another_episode(client_for, involved, assessment):
    other = PersonFactory(local_authority=assessment.episode.local_authority)

    response = client_for(involved).get(url(assessment.episode, f"children/{other.pk}/"))

    assert response.status_code == 404


def test_scaling_saves(client_for, involved, assessment, child):
    response = client_for(involved).post(
        url(assessment.episode, "scaling/"),
        {"score_practitioner": "4", f"score_{child.pk}": "7", "version": 1},
    )

    assert response.status_code == 302
    scores = {(s.scorer, s.score) for s in assessment.scores.all()}
    assert scores == {("practitioner", 4), ("child", 7)}


def test_needs_save_grouped_by_area(client_for, involved, assessment):
    client = client_for(involved)
    page = client.get(url(assessment.episode, "needs/")).content.decode()
    assert "Getting a good education" in page

    response = client.post(
        url(assessment.episode, "needs/"),
        {"needs_education": ["sen", "attendance"], "needs_housing": ["housing"], "version": 1},
    )

    assert response.status_code == 302
    needs = list(EpisodeNeed.objects.order_by("need").values_list("need", flat=True))
    assert needs == ["attendance", "housing", "sen"]


def test_existing_plan_is_chosen_from_the_case_documents(client_for, involved, assessment):
    plan = Attachment.objects.create(
        episode=assessment.episode,
        kind=AttachmentKind.EXISTING_PLAN,
        file="attachments/synthetic",
        original_name="SEND Support Plan.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=involved,
    )
    client = client_for(involved)
    assert (
        "SEND Support Plan.pdf"
        in client.get(url(assessment.episode, "existing-plan/")).content.decode()
    )

    response = client.post(
        url(assessment.episode, "existing-plan/"), {"existing_plan": str(plan.pk), "version": 1}
    )

    assert response.status_code == 302
    assert Assessment.objects.get().existing_plan == plan


def test_unknown_section_is_404(client_for, involved, assessment):
    assert client_for(involved).get(url(assessment.episode, "horoscope/")).status_code == 404


def test_section_page_has_the_autosave_hooks(client_for, involved, assessment):
    page = client_for(involved).get(url(assessment.episode, "worries/")).content.decode()

    assert (
        '<script type="module" src="/static/assessments/autosave.js"></script>' in page,
        'id="autosave-status" aria-live="polite"' in page,
        "Restore unsaved changes" in page,
        f'data-autosave-url="{url(assessment.episode, "worries/autosave/")}"' in page,
        f'data-draft-key="earlyhelp:assessment:{involved.pk}:{assessment.episode.pk}:worries"'
        in page,
        '<input type="hidden" name="version" value="1"' in page,
    ) == (True, True, True, True, True, True)


def test_family_context_shows_each_childs_age(client_for, involved, assessment, child):
    page = client_for(involved).get(url(assessment.episode, "family-context/")).content.decode()

    age = child.age()
    assert f"{age} years old (born 17 May 2016)" in page


def test_a_stale_save_shows_both_versions_and_keeps_your_text(
    client_for, involved, manager, assessment
):
    services.save_section(manager, assessment, "worries", {"worries": "Rent arrears."}, 1)

    response = client_for(involved).post(
        url(assessment.episode, "worries/"), {"worries": "School attendance.", "version": 1}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this section while you were working on it" in page
    assert '<div class="govuk-inset-text" data-conflict="theirs">Rent arrears.</div>' in page
    assert '<div class="govuk-inset-text" data-conflict="yours">School attendance.</div>' in page
    assert [row["lines"] for row in response.context["conflict"]["rows"]] == [
        [("theirs", "Rent arrears."), ("yours", "School attendance.")]
    ]
    form = response.context["form"]
    assert (form["worries"].value(), form["version"].value()) == ("School attendance.", "2")
    assert Assessment.objects.get().worries == "Rent arrears."
    # Said in the error summary, as every stale edit is.
    assert error_list(form) == [{"text": STALE_EDIT_MESSAGE, "href": "#main-content"}]
    assert "<title>Error: " in page


def test_a_stale_scaling_save_shows_the_scores_side_by_side(
    client_for, involved, manager, assessment, child
):
    services.save_scores(manager, assessment, {"score_practitioner": 3}, 1)

    response = client_for(involved).post(
        url(assessment.episode, "scaling/"),
        {"score_practitioner": "6", f"score_{child.pk}": "8", "version": 1},
    )

    rows = [
        (row["label"], row["theirs"], row["yours"]) for row in response.context["conflict"]["rows"]
    ]
    assert rows == [
        ("Practitioner's score", "3", "6"),
        (f"{child.full_name}'s score", "", "8"),
    ]
    assert {s.score for s in assessment.scores.all()} == {3}


def test_saving_again_after_a_conflict_goes_through(client_for, involved, manager, assessment):
    services.save_section(manager, assessment, "worries", {"worries": "Rent arrears."}, 1)

    response = client_for(involved).post(
        url(assessment.episode, "worries/"),
        {"worries": "Rent arrears.\nSchool attendance.", "version": 2},
    )

    assert response.status_code == 302
    assert Assessment.objects.get().worries == "Rent arrears.\nSchool attendance."


# Autosave


def test_autosave_answers_json_with_the_new_version(client_for, involved, assessment):
    response = client_for(involved).post(
        url(assessment.episode, "family-story/autosave/"),
        {"family_story": "Half a sentence", "version": 1},
    )

    answer = response.json()
    assert (response.status_code, sorted(answer), answer["saved"], answer["version"]) == (
        200,
        ["saved", "saved_at", "version"],
        True,
        2,
    )
    assert answer["saved_at"] == timezone.localtime(Assessment.objects.get().updated_at).strftime(
        "%H:%M"
    )
    assert Assessment.objects.get().family_story == "Half a sentence"


def test_autosave_of_a_stale_section_is_409(client_for, involved, manager, assessment):
    services.save_section(manager, assessment, "worries", {"worries": "Theirs."}, 1)

    response = client_for(involved).post(
        url(assessment.episode, "worries/autosave/"), {"worries": "Mine.", "version": 1}
    )

    assert (response.status_code, response.json()) == (
        409,
        {
            "saved": False,
            "conflict": True,
            "message": "Someone else has changed this section: reload to see their changes; "
            "your text is kept in this browser",
        },
    )
    assert Assessment.objects.get().worries == "Theirs."


def test_autosave_when_signed_out_redirects_to_sign_in(client, assessment):
    response = client.post(
        url(assessment.episode, "worries/autosave/"), {"worries": "Mine.", "version": 1}
    )

    assert (response.status_code, response.url.split("?")[0]) == (302, "/accounts/sign-in/")
    assert Assessment.objects.get().worries == ""


def test_autosave_of_a_child_section(client_for, involved, assessment, child):
    response = client_for(involved).post(
        url(assessment.episode, f"children/{child.pk}/autosave/"),
        {"wishes_and_feelings": "I like", "version": 1},
    )

    assert (response.status_code, response.json()["version"]) == (200, 2)


def test_autosave_never_completes_the_assessment(client_for, involved, filled):
    response = client_for(involved).post(
        url(filled.episode, "worries/autosave/"),
        {"worries": "Mornings are hard.", "version": filled.version},
    )

    stored = Assessment.objects.select_related("episode").get()
    assert (response.status_code, stored.completed_at, stored.episode.status) == (
        200,
        None,
        "assessment",
    )


def test_autosave_of_a_completed_assessment_is_refused(client_for, involved, filled):
    services.complete_assessment(involved, filled)

    response = client_for(involved).post(
        url(filled.episode, "worries/autosave/"), {"worries": "Late.", "version": filled.version}
    )

    assert response.status_code == 409
    assert response.json()["message"].endswith("and can no longer be changed")


def test_autosave_with_a_bad_value_is_400(client_for, involved, assessment):
    response = client_for(involved).post(
        url(assessment.episode, "scaling/autosave/"), {"score_practitioner": "11", "version": 1}
    )

    assert (response.status_code, list(response.json()["errors"])) == (400, ["score_practitioner"])


def test_autosave_only_answers_post(client_for, involved, assessment):
    response = client_for(involved).get(url(assessment.episode, "worries/autosave/"))

    assert response.status_code == 405


# Check and complete


def test_check_page_refuses_and_links_each_missing_part(client_for, involved, assessment, child):
    response = client_for(involved).post(url(assessment.episode, "check/"))

    assert response.status_code == 200
    links = [
        (item["text"], item["href"]) for item in response.context["error_summary"]["errorList"]
    ]
    base = url(assessment.episode)
    assert links == [
        ("Add the family's story in their own words", f"{base}family-story/"),
        (f"Record the wishes and feelings of {child.full_name}", f"{base}children/{child.pk}/"),
        ("Add what is working well", f"{base}working-well/"),
        ("Add what the worries are", f"{base}worries/"),
        ("Add what wellbeing would look like: at least one goal", f"{base}wellbeing-goals/"),
        ("Give the practitioner's scaling score", f"{base}scaling/"),
        ("Choose at least one need", f"{base}needs/"),
        ("Add the family's circumstances", f"{base}family-context/"),
    ]
    page = response.content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in page
    assert f'<a href="{base}worries/">Add what the worries are</a>' in page
    assert "<title>Error: Check and complete the assessment" in page


def test_check_page_shows_everything_with_change_links(client_for, involved, filled):
    page = client_for(involved).get(url(filled.episode, "check/")).content.decode()

    assert "We moved to a new flat in the spring." in page
    assert "Gets to school on time<br>Sleeps in own bed" in page
    assert f'<a class="govuk-link" href="{url(filled.episode, "worries/")}">Change' in page


def test_completing_moves_the_case_on(client_for, involved, filled):
    response = client_for(involved).post(url(filled.episode, "check/"))

    assert (response.status_code, response.url) == (302, f"/cases/{filled.episode.pk}/")
    stored = Assessment.objects.select_related("episode").get()
    assert (stored.episode.status, stored.completed_at) == (
        "meeting",
        stored.episode.assessment_completed_at,
    )


@pytest.mark.parametrize("count", [1, 3])
def test_check_page_queries_do_not_grow_with_the_children(
    client_for, involved, assessment, count, django_assert_num_queries
):
    add_children(assessment.episode, count)
    fill_in(involved, assessment)
    client = client_for(involved)
    client.get(url(assessment.episode, "check/"))
    # as the task list (13), plus the view event (savepoint, chain head, the
    # user's LA, insert, head update, release), the family's scorers and their
    # restrictions and the episode's LA (its meeting name); the banner's LA is
    # then already loaded
    # (the case's council is read with the case: one query fewer)
    with django_assert_num_queries(20):
        response = client.get(url(assessment.episode, "check/"))
    assert len(response.context["summary"]) == 8 + 1 + count


# Read-only once complete


def test_completed_assessment_is_read_only(client_for, involved, eho, filled):
    services.complete_assessment(involved, filled)
    client = client_for(eho)

    response = client.get(url(filled.episode))
    page = response.content.decode()

    assert response.status_code == 200
    assert (
        "We moved to a new flat in the spring." in page,
        ">Change<" in page,
        "Save and continue" in page,
    ) == (True, False, False)
    assert client.get(url(filled.episode, "worries/")).url == url(filled.episode)
    assert client.get(url(filled.episode, "check/")).url == url(filled.episode)
    view = AuditEvent.objects.filter(action=Action.VIEW).latest("sequence")
    assert (view.actor, view.object_type) == (eho, "assessments.assessment")


def test_a_save_after_completion_keeps_the_typed_text_on_the_page(client_for, involved, filled):
    services.complete_assessment(involved, filled)

    response = client_for(involved).post(
        url(filled.episode, "worries/"), {"worries": "Typed late.", "version": filled.version}
    )

    assert response.status_code == 200
    assert response.context["form"]["worries"].value() == "Typed late."
    assert response.context["form"].non_field_errors()[0].endswith("and can no longer be changed")


# On the case page


def render_case_section(episode, can_work=True):
    return case_section("assessments", episode, can_work)


def test_case_section_not_started(assessing):
    html = render_case_section(assessing)

    assert '<strong class="govuk-tag govuk-tag--blue">Not started</strong>' in html
    assert f'href="{url(assessing)}">Start' in html


def test_case_section_in_progress(assessment):
    html = render_case_section(assessment.episode)
    started = timezone.localtime(assessment.started_at).strftime("%-d %B %Y")

    assert f"In progress</strong> started on {started}" in html
    assert f'href="{url(assessment.episode)}">Continue' in html


def test_case_section_completed(filled, involved):
    services.complete_assessment(involved, filled)
    episode = Assessment.objects.select_related("episode").get().episode
    html = render_case_section(episode)
    completed = timezone.localtime(filled.completed_at).strftime("%-d %B %Y")

    assert f"Completed</strong> on {completed}" in html
    assert f'href="{url(episode)}">View' in html
