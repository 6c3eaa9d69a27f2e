import json

import pytest
from django.utils import timezone

from audit.models import Action, AuditEvent
from people.models import Person, Restriction
from privacy import subject_access as sar
from tests.privacy.conftest import (
    HIDDEN_ADDRESS,
    HIDDEN_POSTCODE,
    HIDDEN_TOWN,
    SISTER_WORDS,
)

THIRD_PARTY_SECRETS = [HIDDEN_ADDRESS, HIDDEN_POSTCODE, HIDDEN_TOWN, SISTER_WORDS]
RESTRICTED = (
    "Restricted third-party information: this part of another person's record is "
    "restricted, so it is never given to anyone else."
)
OWN_WORDS = "Third-party information: another person's own account of their wishes and feelings."


def test_the_copy_holds_every_kind_of_record(case, manager, involved):
    copy = sar.collect(case.child, manager)

    assert copy["version"] == 1
    assert copy["generated_at"][:10] == timezone.localdate().isoformat()
    record = copy["subject"]["record"]
    assert (record["first_name"], record["known_as"], record["date_of_birth"]) == (
        "Quillon",
        "Bramblewick",
        "2015-04-09",
    )
    assert copy["families"] == [
        {
            "reference": f"F{case.episode.family_id:06d}",
            "name": "Marlowe family",
            "your_relationship": "Child",
            "parental_responsibility": False,
            "others": [
                {"name": "Robinette Marlowe", "relationship": "Parent"},
                {"name": "Jessamy Marlowe", "relationship": "Child"},
            ],
        }
    ]
    [episode] = copy["episodes"]
    assert (episode["reference"], episode["worries"]) == (
        case.episode.reference,
        "Worries written at the request",
    )
    assert episode["needs"] == [
        {
            "need": "Education and school attendance",
            "headline_outcome": "Getting a good education",
            "notes": "Need notes written down",
            "outcome": "",
        }
    ]
    assert [
        (c["organisation"], c["given"], c["withdrawal_note"]) for c in episode["your_consents"]
    ] == [
        ("Testshire Primary", True, ""),
        ("Testshire Clinic", True, "Withdrawal note written down"),
    ]
    assert [(s["organisation"], s["basis"]) for s in episode["shared_with"]] == [
        ("Testshire Primary", "Consent given by Quillon Marlowe (you)"),
        ("Testshire Clinic", "Consent given by Quillon Marlowe (you)"),
        (
            "Testshire Clinic",
            "Shared without consent, under the duty to share (a child at risk of harm)",
        ),
    ]
    assessment = episode["assessment"]
    assert assessment["sections"][0] == {
        "heading": "The family's story, in their own words",
        "text": "The family's story in their words",
    }
    assert assessment["your_wishes_and_feelings"] == "Quillon's wishes: more football"
    assert assessment["scores"] == [
        {"by": "Child or young person: Quillon Marlowe (you)", "score": 6}
    ]
    [meeting] = episode["meetings"]
    assert (meeting["notes"], meeting["you_were_invited"], meeting["you_attended"]) == (
        "Meeting notes written down",
        True,
        True,
    )
    assert meeting["invited"] == [
        {"who": "Quillon Marlowe (you)", "attended": True},
        {"who": "Robinette Marlowe (Parent)", "attended": False},
        {"who": f"{involved.full_name}, Testshire Primary", "attended": True},
    ]
    [plan] = episode["plans"]
    assert (plan["version"], plan["change_summary"], len(plan["goals"])) == (
        1,
        "The plan changed because",
        2,
    )
    assert plan["goals"][0]["actions"][0]["what"] == "Action 1 for: Goal 1"
    assert plan["your_copy"]["given"] is True
    [review] = episode["reviews"]
    assert (review["family_views"], review["action_progress"][0]["note"]) == (
        "Family views at the review",
        "Progress note on the action",
    )
    assert [r["concern"] for r in episode["referrals"]] == ["Concern sent to the panel"]
    assert [n["what_happened"] for n in episode["case_notes"]] == ["Case note of the home visit"]
    assert [(a["name"], a["description"]) for a in episode["attachments"]] == [
        ("school-letter.pdf", "Letter from school")
    ]
    titles = {entry["title"] for entry in episode["chronology"]}
    assert {"Early help requested", "Plan version 1 agreed", "Home visit"} <= titles
    json.dumps(copy)  # serialisable as it is


def test_restricted_parts_of_others_are_withheld_and_listed(case, manager):
    copy = sar.collect(case.child, manager)

    assert copy["withheld"] == [
        {"item": "Another family member's address", "reason": RESTRICTED},
        {
            "item": f"Another family member's wishes and feelings, in the assessment of "
            f"{case.episode.reference}",
            "reason": OWN_WORDS,
        },
        {
            "item": "Another family member's address, where a record's text mentioned it",
            "reason": RESTRICTED,
        },
    ]
    assert copy["episodes"][0]["meetings"][0]["location"] == "At home, [withheld]"
    outputs = {
        "json": json.dumps(copy, ensure_ascii=False),
        "html": sar.render_html(copy),
        "pdf source": sar.render_html(copy, for_pdf=True),
    }
    for name, text in outputs.items():
        for secret in THIRD_PARTY_SECRETS:
            assert secret not in text, (name, secret)
        # The person's own restricted NHS number is theirs to have.
        assert "9434765919" in text, name
    assert "Another family member&#x27;s address" in outputs["html"]


def test_a_parent_gets_their_own_restricted_address(case, manager):
    copy = sar.collect(case.parent, manager)

    record = copy["subject"]["record"]
    assert (record["address_line_1"], record["postcode"]) == (HIDDEN_ADDRESS, HIDDEN_POSTCODE)
    assert copy["subject"]["restricted_parts"][0]["part"] == "Address"
    # Their own address in a meeting's place is theirs too.
    assert copy["episodes"][0]["meetings"][0]["location"] == f"At home, {HIDDEN_ADDRESS}"
    # The child's restricted NHS number, and both children's own words, are others'.
    words = (
        "Another family member's wishes and feelings, in the assessment of "
        f"{case.episode.reference}"
    )
    assert [item["item"] for item in copy["withheld"]] == [
        "Another family member's NHS number",
        words,
        words,
    ]
    assert "9434765919" not in json.dumps(copy)


def test_only_a_manager_of_the_council_may_make_a_copy(case, manager, eho, involved, la_admin):
    from django.core.exceptions import PermissionDenied

    for user in (eho, involved, la_admin):
        with pytest.raises(PermissionDenied):
            sar.collect(case.child, user)
    assert sar.collect(case.child, manager)["subject"]["record"]["id"] == case.child.pk


def test_the_start_page_explains_and_links_the_downloads(client_for, case, manager):
    response = client_for(manager).get(f"/privacy/people/{case.child.pk}/subject-access/")

    assert response.status_code == 200
    page = response.content.decode()
    for fmt in ("pdf", "html", "json"):
        assert f"/privacy/people/{case.child.pk}/subject-access/copy.{fmt}" in page
    assert "Another family member&#x27;s address" in page
    assert HIDDEN_ADDRESS not in page


@pytest.mark.parametrize(
    "persona", ["eho", "involved", "other_org", "la_admin", "other_la_manager"]
)
@pytest.mark.parametrize("path", ["", "copy.pdf", "copy.html", "copy.json"])
def test_no_one_else_may_open_or_download_it(request, client_for, case, persona, path):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(f"/privacy/people/{case.child.pk}/subject-access/{path}")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    denied = AuditEvent.objects.filter(action=Action.PERMISSION_DENIED, actor=user)
    assert list(denied.values_list("object_id", flat=True)) == [str(case.child.pk)]


def test_the_pdf_download(client_for, case, manager):
    response = client_for(manager).get(f"/privacy/people/{case.child.pk}/subject-access/copy.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-{case.child.pk}-{timezone.localdate():%Y-%m-%d}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.actor, event.object_type, event.object_id, event.changes) == (
        manager,
        "people.person",
        str(case.child.pk),
        {"format": "pdf"},
    )


def test_the_json_and_html_downloads(client_for, case, manager):
    client = client_for(manager)
    as_json = client.get(f"/privacy/people/{case.child.pk}/subject-access/copy.json")
    as_html = client.get(f"/privacy/people/{case.child.pk}/subject-access/copy.html")

    assert as_json["Content-Type"] == "application/json"
    assert json.loads(as_json.content)["subject"]["record"]["first_name"] == "Quillon"
    assert as_html["Content-Type"] == "text/html; charset=utf-8"
    html = as_html.content.decode()
    assert '<h1 class="govuk-heading-xl">Information held about Quillon Marlowe</h1>' in html
    assert "@media print" in html and "<link" not in html  # self-contained
    assert list(
        AuditEvent.objects.filter(action=Action.EXPORT).values_list("changes", flat=True)
    ) == [{"format": "json"}, {"format": "html"}]


def test_an_unknown_format_is_not_found(client_for, case, manager):
    response = client_for(manager).get(f"/privacy/people/{case.child.pk}/subject-access/copy.xml")
    assert response.status_code == 404


def test_the_person_page_links_to_it_only_for_managers(client_for, case, manager, involved):
    link = f"/privacy/people/{case.child.pk}/subject-access/"
    assert link in client_for(manager).get(f"/people/{case.child.pk}/").content.decode()
    assert link not in client_for(involved).get(f"/people/{case.child.pk}/").content.decode()


def test_a_copy_made_by_someone_who_may_not_see_her_restricted_parts_leaves_them_out(case, manager):
    Restriction.objects.filter(person=case.parent).update(visible_to_roles=[])
    copy = sar.collect(Person.objects.get(pk=case.parent.pk), manager)

    record = copy["subject"]["record"]
    assert (record["address_line_1"], record["postcode"]) == ("", "")
    assert copy["withheld"][0] == {
        "item": "Your own address",
        "reason": (
            "Restricted: only the lead professional and the roles named on the restriction "
            "may make a copy that contains it. Ask the lead professional to add it to this copy."
        ),
    }
    assert HIDDEN_ADDRESS not in json.dumps(copy)


def test_the_copy_holds_the_subject_s_own_feedback_and_no_one_else_s(case, manager, involved):
    from families.models import Feedback

    for person, words in ((case.child, "Quillon's own words"), (case.parent, "Mum's words")):
        Feedback.objects.create(
            episode=case.episode,
            person=person,
            moment="closure",
            version="child" if person == case.child else "adult",
            listened=5,
            comments=words,
            on_paper=True,
            recorded_by=involved,
        )
    copy = sar.collect(case.child, manager)
    [episode] = copy["episodes"]
    assert [(f["i_felt_listened_to"], f["in_your_words"]) for f in episode["your_feedback"]] == [
        (5, "Quillon's own words")
    ]
    assert "Mum's words" not in json.dumps(copy)


def test_the_copy_holds_each_case_of_the_subject_and_no_other(case, manager, la, school, involved):
    """A case of one of the subject's families, and a case that names them as
    a child though they are not (or no longer) in its family; not a case of
    a family they were never in."""
    from episodes.models import EpisodeChild
    from tests.factories import EpisodeFactory

    named_elsewhere = EpisodeFactory(
        local_authority=la,
        district=case.episode.district,
        requesting_organisation=school,
        requested_by=involved,
    )
    EpisodeChild.objects.create(episode=named_elsewhere, person=case.child)
    other = EpisodeFactory(
        local_authority=la,
        district=case.episode.district,
        requesting_organisation=school,
        requested_by=involved,
    )
    copy = sar.collect(case.child, manager)
    references = sorted(episode["reference"] for episode in copy["episodes"])
    assert references == sorted([case.episode.reference, named_elsewhere.reference])
    assert other.reference not in json.dumps(copy)


def _a_later_case_of_the_family(case, involved, school):
    """Another case of the subject's family, with a record of each kind the
    copy gives: consents, assessment, a meeting with invitees, a plan, a
    review with progress, a referral, a case note."""
    from meetings.models import Invitee
    from notes.models import CaseNote
    from referrals.models import Referral
    from reviews.models import ActionProgress, Review
    from tests.factories import EpisodeFactory
    from tests.journey_factories import (
        MeetingFactory,
        agree,
        complete_assessment,
        plan_actions,
    )

    episode = EpisodeFactory(
        local_authority=case.episode.local_authority,
        district=case.episode.district,
        family=case.episode.family,
        requesting_organisation=school,
        requested_by=involved,
        child=case.child,
    )
    complete_assessment(episode, involved)
    meeting = MeetingFactory(episode=episode, arranged_by=involved, held=True)
    Invitee.objects.create(meeting=meeting, person=case.child, attended=True)
    Invitee.objects.create(meeting=meeting, user=involved, organisation=school, attended=True)
    plan = agree(episode, involved, involved, school)
    review = Review.objects.create(
        episode=episode,
        plan=plan,
        held_on=timezone.localdate(),
        engagement="fully",
        decision="continue",
        recorded_by=involved,
    )
    ActionProgress.objects.create(review=review, action=plan_actions(plan)[0], status="done")
    Referral.objects.create(episode=episode, kind="panel", concern="A concern", sent_by=involved)
    CaseNote.objects.create(
        episode=episode,
        kind="home_visit",
        happened_on=timezone.localdate(),
        what_happened="A visit",
        author=involved,
    )
    return episode


def test_each_kind_of_record_is_read_once_for_all_the_subject_s_cases(
    case, manager, involved, school
):
    """A person may have been in a dozen cases: the copy reads each kind of
    record for all of them at once, so a case adds only the queries the
    chronology asks of it (which kinds it has, who recorded its changes)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _a_later_case_of_the_family(case, involved, school)
    with CaptureQueriesContext(connection) as two_cases:
        sar.collect(case.child, manager)
    _a_later_case_of_the_family(case, involved, school)
    with CaptureQueriesContext(connection) as three_cases:
        copy = sar.collect(case.child, manager)

    assert len(copy["episodes"]) == 3
    later = copy["episodes"][2]
    assert (len(later["meetings"][0]["invited"]), len(later["plans"][0]["goals"])) == (2, 2)
    assert later["reviews"][0]["action_progress"][0]["status"] == "Done"
    assert len(three_cases.captured_queries) - len(two_cases.captured_queries) <= 2
    # Each kind's rows joined only to what the copy names (a select_related()
    # given no names joins every foreign key: the case, its council...).
    records = [
        q["sql"] for q in three_cases.captured_queries if 'FROM "episodes_episode"' not in q["sql"]
    ]
    assert not [sql for sql in records if 'JOIN "accounts_localauthority"' in sql]
