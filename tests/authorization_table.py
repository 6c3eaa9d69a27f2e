"""Who may open every URL of the service: the one table the authorisation
matrix (tests/test_authorization_matrix.py) checks, URL pattern by URL pattern,
persona by persona.

THE TABLE'S FORMAT

    "namespace:url_name": Row(kwargs, methods, allowed),

- the key is the URL's namespaced name (for an unnamed pattern, its full route,
  e.g. "system-admin/auth/group/<path:object_id>/");
- kwargs maps each URL argument to a value:
    - a str names a record of the scenario's case (tests/authorization_scenario.py,
      `Case`): "episode", "child", "parent", "meeting", "review", "referral",
      "consent", "attachment", "action", "override", "restriction", "staff" (a
      user of the case's council), "assessment", "plan";
      the guessed-id test swaps each of these for another family's record;
    - Text("family-story") is a literal string; an int is a literal number;
    - a callable(scenario) returns the value (e.g. an invitation's token);
- methods: GET (a page), FORM (GET and POST), POST (POST only: GET answers 405);
- allowed: the personas who may use it (a set from below, or a literal set);
  every other persona must be denied: 404 or 403 when signed in, a redirect to
  the sign-in page when not;
- optional: data={...} (a plausible POST body, resolved like kwargs: allowed
  personas post it or an empty form, in turn; denied personas post it);
  ok=callable(response, persona) for a URL whose success is unusual;
  posts=... (who may POST, if fewer than may GET: panel members only read);
  when={stage: allowed} (who may use it, by either method, where a stage
  changes that, e.g. before the plan names the lead professional;
  only_in(stages) for a page that is "not found" to everyone elsewhere);
  post_empty=False (an empty form is refused like a forged one, 403).

A URL naming a record of the case is tried with the case in every stage
(authorization_scenario.STAGES) whose case has the records it names.

Adding a URL is one line, e.g. for a page of the case that its team may see:

    "notes:detail": Row({"episode_pk": "episode", "pk": "note"}, GET, CASE_TEAM),

(with "note" added to the scenario's `Case`). URLs under a prefix in
PREFIX_RULES (Django admin) are checked pattern by pattern against that rule
instead of a row.
"""

import re
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.authorization_scenario import PERSONAS, STAGES

EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {"anonymous"}
# Need-to-know: the people involved, the district's Early Help Officer, the
# council's managers and panel coordinators. They record work on the case.
CASE_TEAM = frozenset({"involved", "lead", "eho", "manager", "panel_coordinator"})
# Panel members read the cases on an open panel's agenda, and change nothing.
CASE_READERS = CASE_TEAM | {"panel_member"}
# Anyone who may see a case may refer it to children's social care.
STEP_UP = CASE_READERS
# Case lists show each person only what they may see; admins see no case lists.
CASE_LISTS = SIGNED_IN - {"la_admin"}
# Practitioners of an organisation may ask for early help.
REQUESTERS = frozenset({"involved", "lead", "other_org", "withdrawn_org", "panel_member"})
# Children's social care's answer is recorded by the front door.
CSC_DECISION = frozenset({"eho", "manager"})
ACCOUNT_ADMINS = frozenset({"la_admin"})
# Sharing without consent is reviewed by the district's EHO and the managers.
OVERSIGHT = frozenset({"eho", "manager"})
# Early Help Officers (their district's cases) and managers give a leaver's
# cases new lead professionals.
REALLOCATORS = frozenset({"eho", "other_eho", "manager"})
# Who has looked at a case: the lead professional, the district's EHO, managers.
ACCESS_LOG = frozenset({"lead", "eho", "manager"})
NOBODY = frozenset()
# The stages before the plan names the lead professional: "lead" is then only
# a practitioner of an organisation in the team.
BEFORE_THE_LEAD = ("requested", "assessment", "meeting")
# The stages whose case has a plan; and the one where the plan is in place and
# can change (elsewhere these pages answer "not found" to everyone).
PLANNED = ("plan", "stepped_up", "closed")
PLAN_IN_PLACE = ("plan",)
# The stages whose case has an assessment (in progress or complete).
ASSESSED = ("assessment", "meeting", *PLANNED)


def before_the_lead(allowed):
    return {stage: allowed - {"lead"} for stage in BEFORE_THE_LEAD}


def only_in(stages):
    """Nobody elsewhere: the page is "not found" while the case has no such thing."""
    return {stage: NOBODY for stage in STAGES if stage not in stages}


GET = ("GET",)
FORM = ("GET", "POST")
POST = ("POST",)


@dataclass(frozen=True)
class Text:
    """A literal string argument (a plain str names a record of the case)."""

    value: str


@dataclass(frozen=True)
class Row:
    kwargs: dict
    methods: tuple
    allowed: frozenset
    data: dict = field(default_factory=dict)
    ok: object = None  # callable(response, persona) -> bool, for unusual successes
    post_empty: bool = True  # allowed personas also post an empty form
    when: dict = field(default_factory=dict)  # stage -> allowed, where it differs
    posts: frozenset | None = None  # who may POST, if fewer than may GET

    def allowed_in(self, stage, method="GET"):
        """Who may use it with the case in `stage` (None: a URL of no case)."""
        if stage in self.when:
            return self.when[stage]
        if method == "POST" and self.posts is not None:
            return self.posts
        return self.allowed


def invitation_kwargs(scenario):
    from accounts.models import User

    invited = User.objects.get(pk=scenario.invited)
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(invited.pk)),
        "token": default_token_generator.make_token(invited),
    }


POLICE_RECORDERS = frozenset(
    {"eho", "other_eho", "manager", "panel_coordinator", "other_la_manager"}
)
# The planned case's district EHO, its lead professional, and the council-wide roles.
POLICE_READERS = frozenset({"eho", "lead", "manager", "panel_coordinator"})
CALENDAR_KEEPERS = frozenset({"manager", "la_admin"})


def scenario_police_notification(scenario):
    """A notification about the planned case's child, routed to the case."""
    import datetime

    from django.utils import timezone

    from episodes.models import Episode
    from police.models import NotifiedChild, PoliceNotification

    episode = Episode.objects.get(pk=scenario.planned.episode)
    notification, created = PoliceNotification.objects.get_or_create(
        local_authority_id=episode.local_authority_id,
        police_reference="MATRIX-1",
        defaults={
            "incident_at": timezone.now() - datetime.timedelta(days=1),
            "kind": "domestic_abuse",
            "circumstances": "Matrix circumstances",
            "district_id": episode.district_id,
            "episode": episode,
            "acknowledge_by": timezone.now() + datetime.timedelta(days=1),
        },
    )
    if created:
        NotifiedChild.objects.create(
            notification=notification,
            first_name="Kit",
            last_name="Matrix",
            present=True,
            person_id=scenario.planned.child,
        )
    return notification.pk


def scenario_non_school_day(scenario):
    import datetime

    from episodes.models import Episode
    from police.models import NonSchoolDay

    episode = Episode.objects.get(pk=scenario.planned.episode)
    day, _created = NonSchoolDay.objects.get_or_create(
        local_authority_id=episode.local_authority_id, day=datetime.date(2026, 2, 16)
    )
    return day.pk


# The planned case's alert: its district's EHO, its lead, the council-wide roles.
ALERT_READERS = frozenset({"eho", "lead", "manager", "panel_coordinator"})


def scenario_alert(scenario):
    """A review-overdue alert on the planned case."""
    import datetime

    from episodes.models import Episode
    from oversight.models import Alert

    episode = Episode.objects.get(pk=scenario.planned.episode)
    alert, _created = Alert.objects.get_or_create(
        rule="review_overdue",
        episode=episode,
        subject="",
        resolved_on=None,
        defaults={
            "local_authority_id": episode.local_authority_id,
            "district_id": episode.district_id,
            "due_since": datetime.date(2026, 1, 2),
            "first_seen": datetime.date(2026, 1, 3),
        },
    )
    return alert.pk


# Six-month checks: the lead professional asked, and the council's managers.
SUSTAINMENT = frozenset({"lead", "manager"})
# The Supporting Families claim names families: managers only, each their council's.
CLAIM_READERS = frozenset({"manager", "other_la_manager"})


def scenario_sustainment_case(scenario):
    """The closed case, its lead professional asked whether its outcomes lasted."""
    import datetime

    from episodes.models import Episode, EpisodeNeed, NeedOutcome
    from outcomes.models import SustainmentCheck

    episode = Episode.objects.get(pk=scenario.stages["closed"].episode)
    EpisodeNeed.objects.get_or_create(
        episode=episode, need="housing", defaults={"outcome": NeedOutcome.ACHIEVED}
    )
    for need in episode.needs.all():
        SustainmentCheck.objects.get_or_create(
            need=need,
            defaults={
                "episode": episode,
                "asked": episode.lead_professional,
                "due_on": datetime.date(2026, 7, 12),
            },
        )
    return episode.pk


def _family_link_token(purpose):
    """A fresh link to the planned case's parent (each persona its own: a
    feedback link works once)."""

    def token(scenario):
        from django.core.cache import cache

        from accounts.models import User
        from episodes.models import Episode
        from families import services
        from people.models import Person

        episode = Episode.objects.get(pk=scenario.planned.episode)
        lead = User.objects.get(pk=episode.lead_professional_id)
        parent = Person.objects.get(pk=scenario.planned.parent)
        issue = services.issue_plan_link if purpose == "plan" else services.issue_feedback_link
        extra = {} if purpose == "plan" else {"review": episode.reviews.first()}
        issued = issue(lead, episode, parent, **extra)
        # Each persona starts a fresh hour: the link pages' rate limit counts
        # every visit from the one test client (tests/families test the limit).
        cache.clear()
        return issued.url.rstrip("/").rsplit("/", 1)[1]

    return token


def scenario_family_link(scenario):
    """A plan link given to the planned case's parent, to revoke."""
    from accounts.models import User
    from episodes.models import Episode
    from families import services
    from families.models import FamilyLink
    from people.models import Person

    episode = Episode.objects.get(pk=scenario.planned.episode)
    link = FamilyLink.objects.filter(episode=episode, purpose="plan").first()
    if link is None:
        lead = User.objects.get(pk=episode.lead_professional_id)
        link = services.issue_plan_link(
            lead, episode, Person.objects.get(pk=scenario.planned.parent)
        ).link
    return link.pk


ADVISERS = frozenset({"eho", "other_eho", "manager", "other_la_manager"})
CASE_ADVISERS = frozenset({"eho", "manager"})  # the advice is in the case's district


def scenario_advice(scenario):
    """Advice about the planned case's child, given by its district's EHO."""
    import datetime

    from accounts.models import User
    from advice.models import AdviceContact, AdviceGiven, Known
    from episodes.models import Episode

    episode = Episode.objects.get(pk=scenario.planned.episode)
    contact, _created = AdviceContact.objects.get_or_create(
        local_authority_id=episode.local_authority_id,
        caller_name="Matrix Caller",
        defaults={
            "district_id": episode.district_id,
            "received_on": datetime.date(2026, 1, 5),
            "channel": "phone",
            "caller_organisation_name": "Matrix Surgery",
            "worry": "A worry",
            "known": Known.KNOWN,
            "person_id": scenario.planned.child,
            "advice": AdviceGiven.CONTACT_LEAD,
            "follow_up_on": datetime.date(2026, 1, 20),
            "recorded_by": User.objects.get(pk=scenario.users["eho"]),
        },
    )
    return contact.pk


def scenario_family_request(scenario):
    """A family's own request in the planned case's district, not yet a case."""
    from episodes.models import Episode
    from families.models import Asker, FamilyRequest

    episode = Episode.objects.get(pk=scenario.planned.episode)
    family_request, _created = FamilyRequest.objects.get_or_create(
        local_authority_id=episode.local_authority_id,
        first_name="Matrix",
        last_name="Asker",
        defaults={
            "district_id": episode.district_id,
            "asker": Asker.PARENT,
            "phone": "07700 900 982",
            "postcode": "ZX1 1AA",
            "worries": "A worry",
            "children": [
                {"first_name": "Matrix", "last_name": "Child", "date_of_birth": "2018-02-01"}
            ],
            "language": "pl",
            "consent_to_contact": True,
        },
    )
    return family_request.pk


def scenario_failed_email(scenario):
    """An email of the case's council that could not be sent (a new one once
    the last was sent again)."""
    from episodes.models import Episode
    from notifications.models import OutgoingEmail

    council = Episode.objects.get(pk=scenario.planned.episode).local_authority_id
    failed = OutgoingEmail.Status.FAILED
    email = OutgoingEmail.objects.filter(local_authority_id=council, status=failed).first()
    if email is None:
        email = OutgoingEmail.objects.create(
            local_authority_id=council,
            recipients=["involved@matrix.example"],
            subject="Early Help: a change",
            body="Sign in to Early Help.\n",
            status=failed,
            attempts=5,
            last_error="SMTPServerDisconnected",
        )
    return email.pk


def scenario_api_client(scenario):
    """A partner system of the case's council, acting as the school that asked."""
    from api.clients import create_client
    from api.models import ApiClient
    from episodes.models import Episode

    episode = Episode.objects.get(pk=scenario.planned.episode)
    client = ApiClient.objects.filter(local_authority_id=episode.local_authority_id).first()
    if client is None:
        client, _token = create_client(
            episode.local_authority,
            episode.requesting_organisation,
            "Matrix school system",
            ["cases:read", "webhooks:manage"],
        )
    return client.pk


def scenario_subscription(scenario):
    """A webhook of that client (a new one once the last was removed)."""
    from webhooks.models import Subscription

    client_pk = scenario_api_client(scenario)
    subscription = Subscription.objects.filter(client_id=client_pk, removed_at__isnull=True).first()
    if subscription is None:
        subscription = Subscription.objects.create(
            client_id=client_pk,
            url="https://partner.example/hooks",
            events=["case.closed"],
            secret="whsec_matrix",
        )
    return subscription.pk


def scenario_failed_delivery(scenario):
    """A delivery to that webhook that failed (a new one once the last was sent again)."""
    from webhooks.models import Delivery

    subscription_pk = scenario_subscription(scenario)
    failed = Delivery.objects.filter(
        subscription__client_id=scenario_api_client(scenario), status=Delivery.Status.FAILED
    ).first()
    if failed is None:
        failed = Delivery.objects.create(
            subscription_id=subscription_pk,
            episode_id=scenario.planned.episode,
            event="case.closed",
            status=Delivery.Status.FAILED,
            attempts=8,
            last_response_code=500,
        )
    return failed.pk


def case_district(scenario):
    from episodes.models import Episode

    return Episode.objects.get(pk=scenario.planned.episode).district_id


def scenario_school(scenario):
    """The school that asked for the scenario's cases."""
    from episodes.models import Episode

    return Episode.objects.get(pk=scenario.planned.episode).requesting_organisation_id


def token_required(response, persona):
    """The partner API answers a session (or no one) 401 with a problem: it
    takes a client's token only (tests/api/ cover what a token may do)."""
    return (
        response.status_code == 401
        and response["Content-Type"] == "application/problem+json"
        and response["WWW-Authenticate"].startswith("Bearer")
    )


def api_not_found(response, persona):
    """An unknown path under /api/v1/ is a problem, never the HTML page."""
    return response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def signed_out(response, persona):
    """Signing out ends only your own session, then redirects."""
    return response.status_code == 302


# The Early Help and Family Support Panel: arranged by the council's panel
# coordinators and managers.
PANEL_MANAGERS = frozenset({"manager", "panel_coordinator"})
# Any manager or coordinator arranges panels and lists them, for their own council.
PANEL_ARRANGERS = frozenset({"manager", "panel_coordinator", "other_la_manager"})


def panel_kwargs(scenario):
    """The council's open panel, with every stage's case on its agenda."""
    return {"pk": scenario.panel}


def panel_member_kwargs(scenario):
    return {"pk": scenario.panel, "user_pk": scenario.planned.staff}


def agenda_item_kwargs(scenario):
    return {"pk": scenario.panel, "item_pk": scenario.agenda_item}


# Possible duplicates: compared and merged by the council's EHOs and managers.
# The scenario's pair is the planned case's child and a record of the same
# child on no case (imported), so the district's EHO and the managers see it.
DUPLICATE_REVIEWERS = frozenset({"eho", "other_eho", "manager", "other_la_manager"})
REVIEWS_THE_PAIR = frozenset({"eho", "manager"})


def _scenario_duplicate(scenario):
    from matching.models import PossibleDuplicate
    from people.models import Person

    child = Person.objects.get(pk=scenario.planned.child)
    twin = Person.objects.filter(local_authority_id=child.local_authority_id, external_id="DUP-1")
    copy = twin.first() or Person.objects.create(
        local_authority_id=child.local_authority_id,
        first_name=child.first_name,
        last_name=child.last_name,
        date_of_birth=child.date_of_birth,
        external_id="DUP-1",
    )
    first, second = sorted((child, copy), key=lambda person: person.pk)
    pair, _created = PossibleDuplicate.objects.get_or_create(
        first=first,
        second=second,
        defaults={"local_authority_id": child.local_authority_id, "score": 0.95},
    )
    return pair


def duplicate_kwargs(scenario):
    return {"pk": _scenario_duplicate(scenario).pk}


def merge_kwargs(scenario):
    """The same pair, merged (keeping the child) by the council's manager."""
    from accounts.models import User
    from matching import merging
    from matching.models import PersonMerge

    pair = _scenario_duplicate(scenario)
    done = PersonMerge.objects.filter(duplicate=pair).first()
    if done is None:
        child = pair.first if pair.first_id == scenario.planned.child else pair.second
        manager = User.objects.get(pk=scenario.users["manager"])
        done = merging.merge(manager, pair, keep=child, reason="Synthetic: same child")
    return {"pk": done.pk}


# Quality assurance: the district's EHO and managers audit a case; they and
# the team (the requester, the lead professional) read its audits; the team
# acknowledges and replies. Samples and the summary are for every EHO and
# manager (their own districts' or council's); the council's administrator and
# managers keep its criteria.
AUDITORS = frozenset({"eho", "manager"})
AUDIT_READERS = frozenset({"involved", "lead", "eho", "manager"})
AUDIT_TEAM = frozenset({"involved", "lead"})
QUALITY_STAFF = frozenset({"eho", "other_eho", "manager", "other_la_manager"})
CRITERIA_EDITORS = frozenset({"la_admin", "manager", "other_la_manager"})
COUNCIL_CRITERIA_EDITORS = frozenset({"la_admin", "manager"})


def scenario_audit(scenario):
    """An audit of the planned case by its district's EHO."""
    from accounts.models import User
    from episodes.models import Episode
    from quality import services
    from quality.models import CaseAudit, CriterionGrade

    episode = Episode.objects.get(pk=scenario.planned.episode)
    audit = CaseAudit.objects.filter(episode=episode, feedback="Matrix feedback").first()
    if audit is None:
        audit = CaseAudit.objects.create(
            local_authority_id=episode.local_authority_id,
            episode=episode,
            subject="case",
            grade="good",
            feedback="Matrix feedback",
            audited_by=User.objects.get(pk=scenario.users["eho"]),
        )
        CriterionGrade.objects.bulk_create(
            CriterionGrade(
                local_authority_id=episode.local_authority_id,
                audit=audit,
                criterion=criterion,
                criterion_text=criterion.text,
                grade="good",
            )
            for criterion in services.active_criteria(episode.local_authority)
        )
    return audit.pk


def scenario_criterion(scenario):
    from episodes.models import Episode
    from quality import services

    episode = Episode.objects.get(pk=scenario.planned.episode)
    return services.active_criteria(episode.local_authority)[0].pk


def scenario_sample(scenario):
    """A sample of the planned case drawn by its district's EHO."""
    from accounts.models import User
    from quality.models import AuditSample, SampledCase

    eho = User.objects.get(pk=scenario.users["eho"])
    sample = AuditSample.objects.filter(drawn_by=eho).first()
    if sample is None:
        sample = AuditSample.objects.create(
            local_authority_id=eho.local_authority_id,
            drawn_by=eho,
            size=1,
            months=3,
            since=authorization_scenario_today(),
            seed=42,
            population=1,
        )
        SampledCase.objects.create(
            local_authority_id=eho.local_authority_id,
            sample=sample,
            episode_id=scenario.planned.episode,
            organisation_type="school",
        )
    return sample.pk


def authorization_scenario_today():
    from tests.authorization_scenario import TODAY

    return TODAY


CASE = {"episode_pk": "episode"}

TABLE = {
    # core
    "core:home": Row({}, GET, SIGNED_IN),
    "core:accessibility": Row({}, GET, EVERYONE),
    "core:privacy": Row({}, GET, EVERYONE),
    # the health check for load balancers (core/health.py): no personal data
    "health": Row({}, GET, EVERYONE),
    # accounts: signing in and out, invitations, the council's users and settings
    "accounts:sign_in": Row({}, GET, EVERYONE),  # signed in: redirected home
    "accounts:sign_out": Row({}, POST, EVERYONE, ok=signed_out),
    "accounts:accept_invitation": Row(invitation_kwargs, FORM, EVERYONE),
    "accounts:la_settings": Row({}, FORM, ACCOUNT_ADMINS),
    # The advice line: Early Help Officers (their districts' records) and managers.
    # Police notifications: recorded by the front door; read by those told.
    "police:list": Row({}, GET, SIGNED_IN),
    "police:new": Row({}, FORM, POLICE_RECORDERS),
    "police:detail": Row({"pk": scenario_police_notification}, GET, POLICE_READERS),
    "police:acknowledge": Row({"pk": scenario_police_notification}, POST, POLICE_READERS),
    "police:non_school_days": Row({}, FORM, CALENDAR_KEEPERS | {"other_la_manager"}),
    "police:non_school_day_remove": Row({"pk": scenario_non_school_day}, POST, CALENDAR_KEEPERS),
    # The partner API (docs/API.md): its OpenAPI document is public (the
    # interface, no council's data); its reference page is for signed-in staff;
    # its endpoints take a client's token, never a session. FORM for a POST
    # endpoint: its GET is refused 401 before 405, the token being checked first.
    "api:openapi": Row({}, GET, EVERYONE),
    "api:reference": Row({}, GET, SIGNED_IN),
    "api:cases": Row({}, GET, EVERYONE, ok=token_required),
    "api:directory": Row({}, GET, EVERYONE, ok=token_required),
    "api:police_notifications": Row({}, FORM, EVERYONE, ok=token_required),
    "api:police_notification": Row({"id": 1}, GET, EVERYONE, ok=token_required),
    "api:requests": Row({}, FORM, EVERYONE, ok=token_required),
    "api:already_known": Row({}, FORM, EVERYONE, ok=token_required),
    "api:matches": Row({}, FORM, EVERYONE, ok=token_required),
    "api:plan_action": Row({"id": 1}, GET, EVERYONE, ok=token_required),
    "api:webhooks": Row({}, FORM, EVERYONE, ok=token_required),
    "api:webhook": Row({"id": 1}, GET, EVERYONE, ok=token_required),
    "api:not_found": Row({}, GET, EVERYONE, ok=api_not_found),
    # Statutory returns (Ofsted's Annex A list names children case by case):
    # each council's early help managers, for their own council.
    "returns:annex_a": Row(
        {},
        FORM,
        frozenset({"manager", "other_la_manager"}),
        data={"as_of-day": 12, "as_of-month": 1, "as_of-year": 2026},
    ),
    # Drift and delay: everyone who works on cases has a worklist.
    "oversight:worklist": Row({}, GET, SIGNED_IN - {"la_admin"}),
    "oversight:timescales": Row({}, FORM, frozenset({"la_admin", "manager", "other_la_manager"})),
    "oversight:dashboard": Row(
        {}, GET, frozenset({"eho", "other_eho", "manager", "panel_coordinator", "other_la_manager"})
    ),
    # Performance indicators: figures for the council's managers; the targets
    # beside the timescales, for whoever sets those.
    "performance:indicators": Row({}, GET, frozenset({"manager", "other_la_manager"})),
    "performance:download": Row({}, GET, frozenset({"manager", "other_la_manager"})),
    "performance:targets": Row({}, FORM, frozenset({"la_admin", "manager", "other_la_manager"})),
    "outcomes:checks": Row({}, GET, CASE_LISTS),
    "outcomes:record_checks": Row({"episode_pk": scenario_sustainment_case}, FORM, SUSTAINMENT),
    "outcomes:claim": Row({}, GET, CLAIM_READERS),
    "outcomes:claim_download": Row({}, GET, CLAIM_READERS),
    "oversight:acknowledge": Row({"pk": scenario_alert}, FORM, ALERT_READERS),
    "oversight:chase": Row({"pk": scenario_alert}, POST, ALERT_READERS - {"lead"}),
    # Families ask for help themselves: a public page, no sign-in, in six
    # languages (the matrix reaches the English one; tests/families the rest).
    "families:ask": Row(
        {},
        FORM,
        EVERYONE,
        data={
            "asker": Text("parent"),
            "first_name": Text("Synthetic"),
            "last_name": Text("Parent"),
            "child_1_first_name": Text("Synthetic"),
            "child_1_last_name": Text("Child"),
            "child_1_date_of_birth-day": Text("1"),
            "child_1_date_of_birth-month": Text("2"),
            "child_1_date_of_birth-year": Text("2018"),
            "phone": Text("07700 900 982"),
            "may_leave_message": Text("no"),
            "postcode": Text("ZX1 1AA"),
            "worries": Text("Synthetic: mornings are hard"),
            "consent": Text("on"),
        },
    ),
    "families:sent": Row({}, GET, EVERYONE),
    # A family member's link pages: public, the token is the key.
    "families:feedback": Row(
        {"token": _family_link_token("feedback")},
        FORM,
        EVERYONE,
        data={"listened": Text("5"), "comments": Text("Synthetic: kind")},
    ),
    # Without answers just sent, the same page as a link that does not work.
    "families:thanks": Row({}, GET, EVERYONE, ok=lambda response, _p: response.status_code == 404),
    "families:plan": Row({"token": _family_link_token("plan")}, GET, EVERYONE),
    # The family's voice and plan online: those who work on the case give
    # links and type in paper forms (who reads the answers: tests/families).
    "family_voice:case": Row(CASE, GET, CASE_TEAM),
    "family_voice:feedback_link": Row(
        CASE, FORM, CASE_TEAM, data={"when": Text("closure"), "person": "parent"}
    ),
    "family_voice:paper": Row(
        CASE,
        FORM,
        CASE_TEAM,
        data={"when": Text("closure"), "person": "parent", "listened": Text("4")},
    ),
    "family_voice:plan_link": Row(CASE, FORM, CASE_TEAM, data={"person": "parent"}),
    "family_voice:issued": Row(CASE, GET, CASE_TEAM),
    "family_voice:revoke": Row(
        {**CASE, "pk": scenario_family_link}, POST, CASE_TEAM, when=only_in(PLAN_IN_PLACE)
    ),
    "ask_for_help": Row({}, GET, EVERYONE),  # on to the page in the browser's language
    # What families sent: the advice line's officers (their districts' and the
    # council's general queue) and managers.
    "family_requests:queue": Row({}, GET, ADVISERS),
    "family_requests:start_case": Row(
        {"pk": scenario_family_request},
        FORM,
        CASE_ADVISERS,
        data={"needs": Text("education")},
    ),
    "family_requests:close": Row(
        {"pk": scenario_family_request},
        FORM,
        CASE_ADVISERS,
        data={"reason": Text("advice")},
    ),
    "advice:list": Row({}, GET, ADVISERS),
    "advice:new": Row({}, FORM, ADVISERS),
    "advice:detail": Row({"pk": scenario_advice}, GET, CASE_ADVISERS),
    "advice:follow_up_done": Row({"pk": scenario_advice}, POST, CASE_ADVISERS),
    # Who to call and the directory: every signed-in person of a council.
    "accounts:who_to_call": Row({}, GET, SIGNED_IN),
    "accounts:directory": Row({}, GET, SIGNED_IN),
    # Districts and the schools in each: the council's administrator.
    "accounts:districts": Row({}, GET, ACCOUNT_ADMINS),
    "accounts:district_add": Row({}, FORM, ACCOUNT_ADMINS),
    "accounts:district": Row({"pk": case_district}, FORM, ACCOUNT_ADMINS),
    "accounts:district_remove": Row({"pk": case_district}, FORM, ACCOUNT_ADMINS),
    "accounts:school_add": Row({}, FORM, ACCOUNT_ADMINS),
    "accounts:school": Row({"pk": scenario_school}, FORM, ACCOUNT_ADMINS),
    "accounts:postcodes": Row({}, FORM, ACCOUNT_ADMINS),
    "accounts:user_list": Row({}, GET, ACCOUNT_ADMINS),
    "accounts:user_invite": Row({}, FORM, ACCOUNT_ADMINS),
    "accounts:user_edit": Row({"pk": "staff"}, FORM, ACCOUNT_ADMINS),
    "accounts:role_requests": Row({}, FORM, ACCOUNT_ADMINS),
    "accounts:user_deactivate": Row({"pk": "staff"}, FORM, ACCOUNT_ADMINS),
    # Leavers' cases: reallocated by the council's Early Help Officers and managers.
    "accounts:leavers": Row({}, GET, REALLOCATORS | {"other_la_manager"}),
    "accounts:leaver_cases": Row({"pk": "staff"}, FORM, REALLOCATORS),
    "accounts:user_unlock": Row({"pk": "staff"}, POST, ACCOUNT_ADMINS),
    "accounts:user_reset_two_factor": Row({"pk": "staff"}, FORM, ACCOUNT_ADMINS),
    # sign-in security: the second step follows a right password (signed in:
    # redirected home); your own account, recovery codes and session
    "accounts:two_factor": Row({}, FORM, SIGNED_IN),
    "accounts:two_factor_setup": Row({}, FORM, SIGNED_IN),
    "accounts:recovery_code": Row({}, FORM, SIGNED_IN),
    "accounts:your_account": Row({}, FORM, SIGNED_IN),
    "accounts:recovery_codes": Row({}, GET, SIGNED_IN),
    "accounts:new_recovery_codes": Row({}, POST, SIGNED_IN),
    "accounts:session_status": Row({}, GET, EVERYONE),
    "accounts:keep_alive": Row({}, POST, SIGNED_IN),
    # episodes: lists, the case, closure, asking for help
    "episodes:list": Row({}, GET, CASE_LISTS),
    "episodes:detail": Row({"pk": "episode"}, GET, CASE_READERS),
    "episodes:chronology": Row({"pk": "episode"}, GET, CASE_READERS),
    "episodes:close": Row(
        {"pk": "episode"},
        FORM,
        CASE_TEAM,
        data={"reason": Text("needs_met"), "summary": Text("Synthetic: calmer mornings")},
    ),
    # The lead professional is changed by the district's EHO or a manager.
    "episodes:change_lead": Row(
        {"pk": "episode"},
        FORM,
        OVERSIGHT,
        data={
            "new_lead": "staff",
            "reason": Text("Synthetic: the lead is on long leave"),
            "family_view": Text("Synthetic: happy with the change"),
        },
    ),
    "episodes:request_start": Row({}, FORM, REQUESTERS),
    "episodes:request_matches": Row({}, GET, REQUESTERS),
    # Adding the planned case's child: only those who may see the child.
    "episodes:request_add_existing": Row(
        {}, POST, REQUESTERS & CASE_READERS, data={"person_id": "child"}, post_empty=False
    ),
    "episodes:request_new_person": Row({}, FORM, REQUESTERS),
    "episodes:request_people": Row({}, FORM, REQUESTERS),
    "episodes:request_details": Row({}, FORM, REQUESTERS),
    "episodes:request_check": Row({}, FORM, REQUESTERS),
    # consent
    "consent:list": Row(
        CASE,
        FORM,
        CASE_READERS,
        posts=CASE_TEAM,
        data={
            "person": "parent",
            "purpose": Text("assessment"),
            "decision": Text("yes"),
            "method": Text("in_person"),
            "given_on-day": 5,
            "given_on-month": 1,
            "given_on-year": 2026,
        },
    ),
    "consent:judgement": Row(
        CASE,
        FORM,
        CASE_TEAM,
        data={
            "escalates": Text("no"),
            "reasoning": Text("Synthetic: needs will not escalate"),
            "advice": Text("Synthetic: the family centre's groups"),
        },
    ),
    "consent:withdraw": Row(
        {**CASE, "pk": "consent"}, FORM, CASE_TEAM, data={"note": Text("Synthetic: asked by phone")}
    ),
    "consent:review_override": Row(
        {**CASE, "pk": "override"},
        FORM,
        OVERSIGHT,
        data={"justified": Text("yes"), "note": Text("Synthetic: the risk was real")},
    ),
    # assessments (the case whose assessment is in progress)
    "assessments:task_list": Row(CASE, GET, CASE_READERS),
    # Once started, "start" only leads to the assessment, for whoever may read it.
    "assessments:start": Row(CASE, POST, CASE_TEAM, when=dict.fromkeys(ASSESSED, CASE_READERS)),
    # Those who only read are sent to the read-only assessment.
    "assessments:check": Row(CASE, FORM, CASE_READERS),
    # Before it starts, its parts send whoever may read the case to the task list.
    "assessments:section": Row(
        {**CASE, "section": Text("family-story")},
        FORM,
        CASE_READERS,
        posts=CASE_TEAM,
        data={"version": 1, "family_story": Text("Synthetic story")},
        when={"requested": CASE_READERS},
    ),
    "assessments:section_autosave": Row(
        {**CASE, "section": Text("family-story")},
        POST,
        CASE_TEAM,
        data={"version": 1, "family_story": Text("Synthetic story")},
        when=only_in(ASSESSED),
    ),
    "assessments:child": Row(
        {**CASE, "person_pk": "child"},
        FORM,
        CASE_READERS,
        posts=CASE_TEAM,
        data={"version": 1},
        when={"requested": CASE_READERS},
    ),
    "assessments:child_autosave": Row(
        {**CASE, "person_pk": "child"},
        POST,
        CASE_TEAM,
        data={"version": 1},
        when=only_in(ASSESSED),
    ),
    # the completed assessment's summary for one family member: those who work on the case
    "assessments:document": Row(
        {**CASE, "person_pk": "parent"}, GET, CASE_TEAM, when=only_in(("meeting", *PLANNED))
    ),
    "assessments:document_pdf": Row(
        {**CASE, "person_pk": "parent"}, GET, CASE_TEAM, when=only_in(("meeting", *PLANNED))
    ),
    # meetings
    "meetings:list": Row(CASE, GET, CASE_READERS),
    "meetings:arrange": Row(
        CASE,
        FORM,
        CASE_TEAM,
        data={
            "date-day": 4,
            "date-month": 1,
            "date-year": 2027,
            "time": Text("10:00"),
            "duration_minutes": 60,
            "location": Text("Room 3"),
            "people": "parent",
        },
    ),
    "meetings:add_organisation": Row(CASE, FORM, CASE_TEAM),
    "meetings:detail": Row({**CASE, "pk": "meeting"}, GET, CASE_READERS),
    "meetings:record": Row(
        {**CASE, "pk": "meeting"}, FORM, CASE_TEAM, data={"notes": Text("Synthetic notes")}
    ),
    "meetings:ics": Row({**CASE, "pk": "meeting"}, GET, CASE_READERS),
    "meetings:email": Row({**CASE, "pk": "meeting"}, POST, CASE_TEAM),
    "meetings:reschedule": Row(
        {**CASE, "pk": "meeting"},
        FORM,
        CASE_TEAM,
        data={
            "date-day": 4,
            "date-month": 1,
            "date-year": 2027,
            "time": Text("10:00"),
            "duration_minutes": 60,
            "location": Text("Room 3"),
        },
    ),
    "meetings:cancel": Row(
        {**CASE, "pk": "meeting"}, FORM, CASE_TEAM, data={"reason": Text("Synthetic reason")}
    ),
    # the letter to print and post to a family member invited (a PDF, or back
    # to the meeting when theirs is not a letter to post)
    "meetings:letter": Row({**CASE, "pk": "meeting", "person_pk": "parent"}, GET, CASE_TEAM),
    # plans
    "plans:current": Row(CASE, GET, CASE_READERS),
    "plans:agree": Row(CASE, FORM, CASE_TEAM),
    "plans:change": Row(CASE, FORM, CASE_TEAM, when=only_in(PLAN_IN_PLACE)),
    "plans:versions": Row(CASE, GET, CASE_READERS),
    "plans:version": Row({**CASE, "number": 1}, GET, CASE_READERS, when=only_in(PLANNED)),
    "plans:action_status": Row(
        {**CASE, "pk": "action"},
        FORM,
        CASE_TEAM,
        data={"status": Text("done")},
        when=only_in(PLAN_IN_PLACE),
    ),
    "plans:copies": Row(CASE, GET, CASE_READERS, when=only_in(PLANNED)),
    "plans:copy": Row({**CASE, "person_pk": "parent"}, FORM, CASE_TEAM, when=only_in(PLANNED)),
    # the copy of the plan for one family member, made (and recorded on the
    # copy list) by those who work on the case
    "plans:copy_document": Row(
        {**CASE, "person_pk": "parent"},
        POST,
        CASE_TEAM,
        data={"language": Text("pl"), "method": Text("post")},
        when=only_in(PLANNED),
    ),
    "plans:copy_document_pdf": Row(
        {**CASE, "person_pk": "parent"},
        POST,
        CASE_TEAM,
        data={"language": Text("uk"), "method": Text("email")},
        when=only_in(PLANNED),
    ),
    # reviews
    "reviews:list": Row(CASE, GET, CASE_READERS),
    # a review's outcome for one family member: those who work on the case
    "reviews:document": Row(
        {**CASE, "pk": "review", "person_pk": "parent"}, GET, CASE_TEAM, when=only_in(PLANNED)
    ),
    "reviews:document_pdf": Row(
        {**CASE, "pk": "review", "person_pk": "parent"}, GET, CASE_TEAM, when=only_in(PLANNED)
    ),
    "reviews:record": Row(
        CASE,
        FORM,
        CASE_TEAM,
        data={
            "held_on-day": 5,
            "held_on-month": 1,
            "held_on-year": 2026,
            "family_views": Text("Synthetic: calmer"),
            "engagement": Text("fully"),
            "decision": Text("continue"),
        },
    ),
    "reviews:detail": Row({**CASE, "pk": "review"}, GET, CASE_READERS),
    # referrals
    "referrals:step_up": Row(
        CASE,
        FORM,
        STEP_UP,
        data={"concern": Text("Synthetic concern"), "significant_harm": Text("not_sure")},
    ),
    # Those who work on a case refer it to the panel (from any open stage).
    "referrals:panel": Row(
        CASE,
        FORM,
        CASE_TEAM,
        data={"reason": Text("no_lead"), "concern": Text("Synthetic: nobody can lead")},
    ),
    "referrals:detail": Row({**CASE, "pk": "referral"}, GET, CASE_READERS),
    "referrals:decision": Row(
        {**CASE, "pk": "referral"},
        FORM,
        CSC_DECISION,
        data={"accepted": Text("no"), "advice": Text("Synthetic: early help to continue")},
    ),
    # notes
    "notes:add_note": Row(
        CASE,
        FORM,
        CASE_TEAM,
        data={
            "kind": Text("phone_call"),
            "happened_on-day": 5,
            "happened_on-month": 1,
            "happened_on-year": 2026,
            "who": Text("Synthetic: the parent"),
            "what_happened": Text("Synthetic: a call about mornings"),
        },
    ),
    "notes:add_attachment": Row(CASE, FORM, CASE_TEAM),
    "notes:list": Row(CASE, GET, CASE_READERS),
    # Files are for those who work on the case: a panel member is refused (403).
    "notes:download": Row({**CASE, "pk": "attachment"}, GET, CASE_TEAM),
    # people
    "people:detail": Row({"pk": "child"}, GET, CASE_READERS),
    "people:edit": Row({"pk": "child"}, FORM, CASE_TEAM),
    "people:restrict": Row(
        {"pk": "parent"},
        FORM,
        CASE_TEAM,
        data={"field": Text("date_of_birth"), "reason": Text("Synthetic: fleeing abuse")},
    ),
    # The parent's address is restricted to the lead professional and managers.
    "people:lift_restriction": Row(
        {"pk": "parent", "restriction_pk": "restriction"},
        POST,
        frozenset({"lead", "manager"}),
        when=before_the_lead(frozenset({"lead", "manager"})),
    ),
    # matching: possible duplicates, compared and merged by EHOs and managers
    "matching:duplicates": Row({}, GET, DUPLICATE_REVIEWERS),
    "matching:compare": Row(duplicate_kwargs, FORM, REVIEWS_THE_PAIR),
    "matching:merges": Row({}, GET, DUPLICATE_REVIEWERS),
    "matching:undo": Row(merge_kwargs, FORM, REVIEWS_THE_PAIR),
    # audit: who has looked at a case or a person
    "audit:episode_access_log": Row(CASE, GET, ACCESS_LOG, when=before_the_lead(ACCESS_LOG)),
    "audit:person_access_log": Row(
        {"person_pk": "child"}, GET, ACCESS_LOG, when=before_the_lead(ACCESS_LOG)
    ),
    # privacy: subject access copies (a council's managers), the retention rule
    # (each council's administrator and managers, for their own council)
    "privacy:subject_access": Row({"pk": "child"}, GET, frozenset({"manager"})),
    "privacy:subject_access_download": Row(
        {"pk": "child", "fmt": Text("json")}, GET, frozenset({"manager"})
    ),
    "privacy:retention": Row({}, FORM, frozenset({"la_admin", "manager", "other_la_manager"})),
    # panels: arranged by coordinators and managers of the council
    "panels:list": Row({}, GET, PANEL_ARRANGERS),
    "panels:arrange": Row({}, FORM, PANEL_ARRANGERS),
    "panels:detail": Row(panel_kwargs, GET, PANEL_MANAGERS),
    "panels:add_member": Row(panel_kwargs, FORM, PANEL_MANAGERS),
    "panels:remove_member": Row(panel_member_kwargs, POST, PANEL_MANAGERS),
    "panels:add_case": Row(panel_kwargs, FORM, PANEL_MANAGERS),
    "panels:outcome": Row(agenda_item_kwargs, FORM, PANEL_MANAGERS),
    "panels:close": Row(panel_kwargs, FORM, PANEL_MANAGERS),
    # quality assurance (the audit is of the planned case)
    "quality:new": Row(
        CASE,
        FORM,
        AUDITORS,
        data={"subject": Text("case"), "grade": Text("good"), "feedback": Text("Synthetic")},
    ),
    "quality:detail": Row(
        {**CASE, "pk": scenario_audit}, GET, AUDIT_READERS, when=only_in(PLAN_IN_PLACE)
    ),
    "quality:acknowledge": Row(
        {**CASE, "pk": scenario_audit}, POST, AUDIT_TEAM, when=only_in(PLAN_IN_PLACE)
    ),
    "quality:reply": Row(
        {**CASE, "pk": scenario_audit},
        POST,
        AUDIT_TEAM,
        data={"text": Text("Synthetic reply")},
        when=only_in(PLAN_IN_PLACE),
    ),
    "quality:index": Row({}, GET, QUALITY_STAFF),
    "quality:samples": Row({}, FORM, QUALITY_STAFF, data={"size": 2, "months": 3}),
    "quality:sample": Row({"pk": scenario_sample}, GET, AUDITORS),
    "quality:summary": Row({}, GET, QUALITY_STAFF),
    # The partnership report: a council's managers, their own council's figures.
    "reporting:index": Row({}, GET, frozenset({"manager", "other_la_manager"})),
    "reporting:partnership": Row({}, GET, frozenset({"manager", "other_la_manager"})),
    "quality:criteria": Row({}, FORM, CRITERIA_EDITORS, data={"text": Text("Synthetic")}),
    "quality:criterion": Row(
        {"pk": scenario_criterion}, FORM, COUNCIL_CRITERIA_EDITORS, data={"text": Text("Renamed")}
    ),
    "quality:criterion_retire": Row({"pk": scenario_criterion}, POST, COUNCIL_CRITERIA_EDITORS),
    # notifications: each person's own
    "notifications:mark_all_read": Row({}, POST, SIGNED_IN),
    # the council's emails that could not be sent: its administrators
    "api_clients:list": Row({}, GET, ACCOUNT_ADMINS),
    "api_clients:add": Row({}, FORM, ACCOUNT_ADMINS),
    "api_clients:detail": Row({"pk": scenario_api_client}, GET, ACCOUNT_ADMINS),
    "api_clients:rotate": Row({"pk": scenario_api_client}, FORM, ACCOUNT_ADMINS),
    "api_clients:revoke": Row({"pk": scenario_api_client}, FORM, ACCOUNT_ADMINS),
    "api_clients:subscription_add": Row({"pk": scenario_api_client}, FORM, ACCOUNT_ADMINS),
    "api_clients:subscription_remove": Row(
        {"pk": scenario_api_client, "subscription_pk": scenario_subscription},
        POST,
        ACCOUNT_ADMINS,
    ),
    "api_clients:send_again": Row(
        {"pk": scenario_api_client, "delivery_pk": scenario_failed_delivery},
        POST,
        ACCOUNT_ADMINS,
    ),
    "notifications:failed_emails": Row({}, GET, ACCOUNT_ADMINS),
    "notifications:send_again": Row({"pk": scenario_failed_email}, POST, ACCOUNT_ADMINS),
}


# Django admin at /system-admin/: nobody here is staff, so every pattern is
# denied (the admin's own sign-in page excepted), checked one by one.
ADMIN_PREFIX = "system-admin/"
ADMIN_PUBLIC = {
    # Sends everyone to the service's own (two-factor) sign-in page.
    "admin:login": Row({}, FORM, NOBODY),
    "admin:logout": Row({}, POST, NOBODY),  # non-staff: sent back to the admin's index
}
ADMIN_EXAMPLE_KWARGS = {"url": "no-such-page/"}  # any other argument: "1"
# Admin pages that change something are also POSTed to; the rest are read.
ADMIN_WRITES = ("_add", "_change", "_delete", "password_change")
PREFIX_RULES = {ADMIN_PREFIX: "admin"}


def admin_row(key, route):
    if key in ADMIN_PUBLIC:
        return ADMIN_PUBLIC[key]
    kwargs = {}
    for name in argument_names(route):
        if name == "app_label":
            kwargs[name] = Text(re.search(r"\(\?P<app_label>([^|)]+)", route).group(1))
        else:
            kwargs[name] = Text(ADMIN_EXAMPLE_KWARGS.get(name, "1"))
    return Row(kwargs, FORM if key.endswith(ADMIN_WRITES) else GET, NOBODY)


# Enumerating the URL configuration --------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str  # the full route, e.g. "cases/<int:episode_pk>/meetings/<int:pk>/"
    name: str | None  # the namespaced name, e.g. "meetings:detail"

    @property
    def key(self):
        return self.name or self.route


def url_patterns(patterns=None, prefix="", namespaces=()):
    """Every URL pattern of the project, with its full route and namespaced name."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            yield Pattern(route, name)


def argument_names(route):
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def prefix_rule(route):
    return next((rule for prefix, rule in PREFIX_RULES.items() if route.startswith(prefix)), None)


def row_for(pattern):
    """The declared row for a pattern, or None if it has none."""
    if prefix_rule(pattern.route) == "admin":
        return admin_row(pattern.key, pattern.route)
    return TABLE.get(pattern.key)


def example_path(route, kwargs):
    """The route with its arguments filled in (for patterns without a name)."""

    def value(match):
        return str(kwargs[match.group(1)])

    path = re.sub(r"<(?:\w+:)?(\w+)>", value, route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", value, path)
    return "/" + path.replace("^", "").replace("$", "")
