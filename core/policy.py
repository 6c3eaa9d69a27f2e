"""The permission policy: who may see and do what. Every view, command and API
call asks here; nothing else decides access.

Need-to-know (seed 003): a practitioner sees a family's episode only while they
or their organisation are involved: as the worker who asked for help, as the
lead professional, or as staff of an organisation in the Team Around the Family
that the family has consented to share with (or that shares under a recorded
duty-to-share override, because a child is at risk of significant harm).
Withdrawn consent ends an organisation's access at once: the rule is evaluated
on every request, from the consent records themselves. Early Help Officers see
their district's episodes; managers and panel coordinators see their local
authority's; panel members see the cases on an open panel's agenda. Nobody sees
another local authority's records. Administrators manage accounts but see no
case records because of that role alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.models import ADMIN_ROLES, CASE_ROLES, District, Role, RoleGrant, User
from audit.models import Action
from audit.services import record
from consent.models import Consent, Purpose, SharingOverride
from core import councils
from episodes.models import Episode
from panels.models import AgendaItem
from people.models import Person

if TYPE_CHECKING:
    from django.db.models import Model
    from django.db.models.expressions import Combinable
    from django.http import HttpRequest

    from accounts.models import LocalAuthority, Organisation
    from advice.models import AdviceContact
    from api.models import ApiClient
    from families.models import FamilyRequest
    from matching.models import PersonMerge, PossibleDuplicate
    from outcomes.models import SustainmentCheck
    from oversight.models import Alert
    from panels.models import Panel
    from people.models import Restriction
    from plans.models import Action as PlanAction
    from police.models import PoliceNotification
    from quality.models import AuditSample, CaseAudit

    # A filter condition over rows: a Q, or an Exists combined with others.
    Condition = Q | Combinable

LA_WIDE_CASE_ROLES = (Role.EARLY_HELP_MANAGER, Role.PANEL_COORDINATOR)


def _is_staff_user(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.local_authority_id)


def _shared_with_organisation(episode: str, organisation: str) -> list[Exists]:
    """The ways the family currently lets the organisation in column
    `organisation` see the episode in column `episode`: a current consent to
    share with it from a family member, or a current duty-to-share override.
    Either will do.

    Given as separate conditions, not one OR: PostgreSQL turns a lone EXISTS
    into an index lookup per row, but an OR of two into a hash of every
    sharing consent of every council, built on every request."""
    consent = Consent.objects.filter(
        episode_id=OuterRef(episode),
        organisation_id=OuterRef(organisation),
        purpose=Purpose.SHARING,
        given=True,
        withdrawn_at__isnull=True,
    )
    override = SharingOverride.objects.filter(
        episode_id=OuterRef(episode),
        organisation_id=OuterRef(organisation),
        ended_at__isnull=True,
    )
    return [Exists(consent), Exists(override)]


# The involvement rule is a union of small sets of episode ids, one per route
# (asked for it, leads it, the district's EHO, in the team or asked for it as
# an organisation the family shares with). Each set is found through its own
# index, so the rule costs what the user's own cases cost, never what the
# council's whole history costs (an OR of conditions over the episode row had
# to test every episode of the council).


def _episode_ids(la_id: int | None, **route: Any) -> QuerySet[Any]:
    return Episode.objects.filter(local_authority_id=la_id, **route).order_by().values("pk")


def _organisation_routes(user: User) -> list[QuerySet[Any]]:
    return _routes_of_organisations(user.local_authority_id, user.organisation_ids)


def _routes_of_organisations(la_id: int | None, organisation_ids: list[int]) -> list[QuerySet[Any]]:
    """The cases these organisations are involved in, as the family lets them:
    the same rule for their staff and for a partner system acting as one."""
    if not organisation_ids:
        return []
    team = Episode.organisations.through.objects.filter(
        organisation_id__in=organisation_ids, episode__local_authority_id=la_id
    )
    requested = Episode.objects.filter(
        local_authority_id=la_id, requesting_organisation_id__in=organisation_ids
    )
    # One set per way of sharing (see _shared_with_organisation).
    return [
        *(
            team.filter(shared).order_by().values("episode_id")
            for shared in _shared_with_organisation("episode_id", "organisation_id")
        ),
        *(
            requested.filter(shared).order_by().values("pk")
            for shared in _shared_with_organisation("pk", "requesting_organisation_id")
        ),
    ]


def _involvement_routes(user: User) -> list[QuerySet[Any]]:
    """The id sets of the cases `user` works on by their own role."""
    la_id = user.local_authority_id
    routes: list[QuerySet[Any]] = []
    if user.has_role(Role.EARLY_HELP_OFFICER):
        routes.append(_episode_ids(la_id, district__early_help_officer=user))
    if user.has_role(Role.PRACTITIONER):
        routes.append(_episode_ids(la_id, requested_by=user))
        routes.append(_episode_ids(la_id, lead_professional=user))
        routes.extend(_organisation_routes(user))
    return routes


def _union(routes: list[QuerySet[Any]]) -> QuerySet[Any] | None:
    """The ids in one of the routes' sets (one subquery: a UNION), None if no route."""
    if not routes:
        return None
    first, *others = routes
    return first.union(*others) if others else first


# The SQL of each user's rule, compiled once (see _in_routes). Bounded: when
# full it starts again (a council's busy users fill it back in a request each).
_COMPILED_RULES: dict[tuple[Any, ...], tuple[str, tuple[Any, ...]] | None] = {}
_COMPILED_RULES_MAX = 4096


def _in_routes(
    user: User,
    rule: str,
    routes: Callable[[User], list[QuerySet[Any]]],
    field: str = "pk",
    few: bool = False,
) -> Q:
    """Episodes (or rows whose `field` is an episode's id) in one of the
    routes' sets, the SQL of their union compiled once per process, not on
    every query.

    Building the union of up to seven sub-selects and compiling it again
    for each query that uses it (a list's count, its page, the overrides on
    it...) was a third of a busy practitioner's page. The SQL and its
    parameters depend only on what the key holds: who the user is, their
    council, roles and organisations (read afresh by every request, see
    accounts.backends), the council being served (the case tables' manager
    adds its filter) and the database. Whether a case is in the set is
    still decided by the database on every query, from the consents,
    overrides and agendas as they are then: nothing about the cases
    themselves is remembered.

    `few`: the query keeps only a few rows by other means (a case by its id,
    a search's candidates), so the set is asked about each of those rows
    rather than worked out whole (core.lookups.InPerRow); the same rows."""
    connection = connections[router.db_for_read(Episode)]
    key = (
        rule,
        user.pk,
        user.is_active,
        user.local_authority_id,
        user.role_set,
        tuple(user.organisation_ids),
        councils.filtering_council(),
        connection.vendor,
    )
    if key not in _COMPILED_RULES:
        union = _union(routes(user))
        compiled = None
        if union is not None:  # no route: the empty set, never a query
            sql, params = union.query.get_compiler(connection=connection).as_sql()
            compiled = (sql, tuple(params))
        if len(_COMPILED_RULES) >= _COMPILED_RULES_MAX:
            _COMPILED_RULES.clear()
        _COMPILED_RULES[key] = compiled
    compiled = _COMPILED_RULES[key]
    # The ORM's own SQL for the union, its values passed apart as parameters:
    # nothing typed by anyone is put into the text.
    if compiled is None:
        return Q(**{f"{field}__in": []})
    lookup = "in_per_row" if few else "in"
    return Q(**{f"{field}__{lookup}": RawSQL(*compiled)})  # noqa: S611


def _episodes_worked_on_by(user: User, *, few: bool = False) -> QuerySet[Episode]:
    return _council_cases_or_routes(user, "works on", _involvement_routes, few=few)


def _council_cases_or_routes(
    user: User, rule: str, routes: Callable[[User], list[QuerySet[Any]]], few: bool = False
) -> QuerySet[Episode]:
    """The council's cases for a whole-council role, else those on one of
    `user`'s `routes`; none for anyone who is not staff."""
    if not _is_staff_user(user):
        return Episode.objects.none()
    in_la = Episode.objects.filter(local_authority_id=user.local_authority_id)
    if sees_every_case_of_council(user):
        return in_la
    return in_la.filter(_in_routes(user, rule, routes, few=few))


def _on_open_panel_agenda(user: User) -> QuerySet[Any]:
    return (
        AgendaItem.objects.filter(panel__closed_at__isnull=True, panel__members=user)
        .order_by()
        .values("episode_id")
    )


def sees_every_case_of_council(user: User) -> bool:
    """Whether `user`'s visible cases are simply their council's (a manager,
    a panel coordinator), not a union of their routes to cases."""
    return _is_staff_user(user) and user.has_role(*LA_WIDE_CASE_ROLES)


def episodes_visible_to(user: User, *, few: bool = False) -> QuerySet[Episode]:
    """Every episode `user` may see: the start of every episode query.
    `few=True` for a query that keeps only a few cases by other means (one
    by its id, a search's candidates' cases): the same cases, asked about
    each (see _in_routes)."""
    return _council_cases_or_routes(user, "sees", _visibility_routes, few=few)


def _visibility_routes(user: User) -> list[QuerySet[Any]]:
    return [*_involvement_routes(user), _on_open_panel_agenda(user)]


def people_visible_to(user: User, *, few: bool = False) -> QuerySet[Person]:
    """People in the families of the episodes `user` may see (`few`: see
    episodes_visible_to)."""
    if not _is_staff_user(user):
        return Person.objects.none()
    families = episodes_visible_to(user, few=few).values("family_id")
    return Person.objects.filter(
        local_authority_id=user.local_authority_id,
        family_memberships__family_id__in=families,
        merged_into__isnull=True,
    ).distinct()


def _fetch_or_404(
    user: User, queryset: QuerySet[Any], model: type[Model], pk: int, request: HttpRequest | None
) -> Any:
    """Fetch one visible object; a hidden or missing one is a 404, and an attempt
    on a record that exists but is hidden is audited as a denial."""
    # No ORDER BY (first() would sort by the model's order): for one row by
    # its key it only gives PostgreSQL more plans to weigh, 2 ms of a case's
    # 3 to 5 ms of planning behind the visibility rule's subqueries.
    obj = next(iter(queryset.filter(pk=pk).order_by()[:1]), None)
    if obj is None:
        # It may be another council's: looked up on purpose, only to audit the attempt.
        with councils.across_councils():
            hidden = model._default_manager.filter(pk=pk).first()
        if hidden is not None:
            record(
                Action.PERMISSION_DENIED,
                actor=user,
                obj=hidden,
                request=request,
                local_authority=user.local_authority if _is_staff_user(user) else None,
            )
        raise Http404("No such record, or you do not have access to it.")
    return obj


# Set on an episode fetched through a user's visible set (get_episode_for):
# the id of that user, so that asking again on the same page whether they
# may see it (can_step_up) needs no second visibility query.
_SEEN_BY = "_policy_seen_by_user_id"


def get_episode_for(user: User, pk: int, request: HttpRequest | None = None) -> Episode:
    from episodes.progress import with_council

    episode: Episode = _fetch_or_404(
        user,
        episodes_visible_to(user, few=True).select_related(
            "family",
            "district__early_help_officer",
            "lead_professional",
            "requested_by",
            "requesting_organisation",
        ),
        Episode,
        pk,
        request,
    )
    # The case's council is the user's (the rule above lets no other through):
    # given the one read with the user, not joined again (two tables fewer for
    # PostgreSQL to plan around the visibility rule).
    with_council([episode], user)
    setattr(episode, _SEEN_BY, user.pk)
    return episode


def get_person_for(user: User, pk: int, request: HttpRequest | None = None) -> Person:
    return _fetch_or_404(user, people_visible_to(user, few=True), Person, pk, request)


def can_edit_person(user: User, person: Person) -> bool:
    """Anyone who works on a person's case may correct their details (panel
    members, who only read, may not)."""
    return (
        _is_staff_user(user)
        and person.local_authority_id == user.local_authority_id
        and _episodes_worked_on_by(user).filter(family__memberships__person=person).exists()
    )


def can_manage_users(user: User) -> bool:
    return _is_staff_user(user) and user.has_role(Role.LA_ADMIN)


def users_manageable_by(user: User) -> QuerySet[User]:
    from accounts.models import User

    if not can_manage_users(user):
        return User.objects.none()
    return User.objects.filter(local_authority_id=user.local_authority_id)


def can_see_case_lists(user: User) -> bool:
    return _is_staff_user(user) and user.has_role(
        Role.PRACTITIONER, Role.EARLY_HELP_OFFICER, *LA_WIDE_CASE_ROLES
    )


def may_hold_cases(user: User) -> bool:
    """Whether `user` may be given case work: invited to a meeting, made lead
    professional or named on a plan's action. An account whose roles are only
    administration manages users, not cases, so it is never offered."""
    return bool(user.is_active) and (user.has_role(*CASE_ROLES) or not user.has_role(*ADMIN_ROLES))


def case_holders(users: QuerySet[User]) -> QuerySet[User]:
    """`users` less those who may not hold cases (the query form of may_hold_cases)."""
    grants = RoleGrant.objects.filter(user_id=OuterRef("pk"))
    return users.filter(is_active=True).filter(
        Exists(grants.filter(role__in=CASE_ROLES)) | ~Exists(grants.filter(role__in=ADMIN_ROLES))
    )


def can_work_on_episode(user: User, episode: Episode) -> bool:
    """May record work on the case (consent, assessment, meetings, plan, reviews,
    notes). Managers and panel coordinators oversee but also act; panel members
    only read; anyone who may see the case may refer it to children's social
    care (see can_step_up)."""
    return _episodes_worked_on_by(user, few=True).filter(pk=episode.pk).exists()


def get_episode_for_work(user: User, pk: int, request: HttpRequest | None = None) -> Episode:
    """The case, for a page that records work on it: 404 if hidden, 403 if
    visible but not to be worked on."""
    episode = get_episode_for(user, pk, request)
    if not can_work_on_episode(user, episode):
        raise PermissionDenied
    return episode


def can_step_up(user: User, episode: Episode) -> bool:
    """Any professional who can see an open case may refer it at once: nothing
    may stand in the way of a referral to children's social care (seed 001 §3.5)."""
    if user.pk is not None and getattr(episode, _SEEN_BY, None) == user.pk:
        return True  # fetched through the user's visible set on this request
    return episodes_visible_to(user, few=True).filter(pk=episode.pk).exists()


def can_start_request(user: User) -> bool:
    return (
        _is_staff_user(user)
        and user.has_role(Role.PRACTITIONER, *LA_WIDE_CASE_ROLES)
        and bool(user.organisation_ids)
    )


def can_step_down(user: User, organisation: Organisation) -> bool:
    """Children's social care hands a family to early help (step-down)."""
    from accounts.models import OrganisationType

    return (
        can_start_request(user)
        and organisation.type == OrganisationType.CHILDRENS_SOCIAL_CARE
        and organisation.pk in user.organisation_ids
    )


def can_record_csc_decision(user: User, episode: Episode) -> bool:
    """Children's social care's answer to a referral is recorded by the early
    help front door: managers, or the district's Early Help Officer."""
    return (
        _is_staff_user(user)
        and (
            user.has_role(Role.EARLY_HELP_MANAGER)
            or (
                user.has_role(Role.EARLY_HELP_OFFICER)
                and episode.district.early_help_officer_id == user.pk
            )
        )
        and episode.local_authority_id == user.local_authority_id
    )


def can_change_lead(user: User, episode: Episode) -> bool:
    """The lead professional is changed by the district's Early Help Officer or
    a manager (a meeting of the team may also agree a change: see
    episodes.lead_professional)."""
    return can_record_csc_decision(user, episode)


def can_reallocate_cases(user: User) -> bool:
    """Early Help Officers and managers give a leaver's cases new leads."""
    return _is_staff_user(user) and user.has_role(Role.EARLY_HELP_OFFICER, Role.EARLY_HELP_MANAGER)


def cases_reallocatable_by(user: User) -> QuerySet[Episode]:
    """The cases whose lead professional `user` may change: their district's
    for an Early Help Officer, the council's for a manager."""
    if not can_reallocate_cases(user):
        return Episode.objects.none()
    in_la = Episode.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(Role.EARLY_HELP_MANAGER):
        return in_la
    return in_la.filter(district__early_help_officer=user)


def my_episodes(user: User, queryset: QuerySet[Episode] | None = None) -> QuerySet[Episode]:
    """Cases the user leads, asked for, or whose team includes their organisation."""
    queryset = queryset if queryset is not None else episodes_visible_to(user)
    return queryset.filter(_in_routes(user, "mine", _my_routes))


def _my_routes(user: User) -> list[QuerySet[Any]]:
    la_id = user.local_authority_id
    org_ids = user.organisation_ids
    routes: list[QuerySet[Any]] = [
        _episode_ids(la_id, lead_professional=user),
        _episode_ids(la_id, requested_by=user),
    ]
    if org_ids:
        routes.append(
            Episode.organisations.through.objects.filter(organisation_id__in=org_ids)
            .order_by()
            .values("episode_id")
        )
    return routes


# --- Sharing without consent (duty to share) ---------------------------------


def can_review_sharing_override(user: User, episode: Episode) -> bool:
    """Overrides are flagged to the district's Early Help Officer and the
    managers, who review them."""
    return _is_staff_user(user) and (
        (
            user.has_role(Role.EARLY_HELP_MANAGER)
            and episode.local_authority_id == user.local_authority_id
        )
        or (
            user.has_role(Role.EARLY_HELP_OFFICER)
            and episode.district.early_help_officer_id == user.pk
        )
    )


def sharing_overrides_to_review(user: User) -> QuerySet[SharingOverride]:
    if not _is_staff_user(user):
        return SharingOverride.objects.none()
    rule: Condition = Q(pk__in=[])
    if user.has_role(Role.EARLY_HELP_MANAGER):
        rule |= Q(episode__local_authority_id=user.local_authority_id)
    if user.has_role(Role.EARLY_HELP_OFFICER):
        rule |= Q(episode__district__early_help_officer=user)
    return SharingOverride.objects.filter(rule, reviewed_at__isnull=True).filter(
        episode__local_authority_id=user.local_authority_id
    )


# --- Restricted parts of a person's record ------------------------------------


def is_lead_professional_for(user: User, person: Person) -> bool:
    return (
        _is_staff_user(user)
        and Episode.objects.filter(
            local_authority_id=user.local_authority_id,
            lead_professional=user,
            family__memberships__person=person,
        ).exists()
    )


def can_see_restriction(user: User, restriction: Restriction) -> bool:
    """Only the lead professional of the person's case, and the roles the
    restriction names (if they may see the person at all)."""
    person = restriction.person
    if not _is_staff_user(user) or person.local_authority_id != user.local_authority_id:
        return False
    if is_lead_professional_for(user, person):
        return True
    return (
        bool(restriction.visible_to_roles)
        and user.has_role(*restriction.visible_to_roles)
        and people_visible_to(user, few=True).filter(pk=person.pk).exists()
    )


def can_restrict(user: User, person: Person) -> bool:
    """Whoever may correct a person's details may restrict part of them."""
    return can_edit_person(user, person)


# --- Transparency: access logs and subject access -----------------------------


def can_see_access_log(user: User, episode: Episode) -> bool:
    """Who has looked at a case: the district's EHO, managers, the lead professional."""
    if not _is_staff_user(user) or episode.local_authority_id != user.local_authority_id:
        return False
    return (
        user.has_role(Role.EARLY_HELP_MANAGER)
        or episode.lead_professional_id == user.pk
        or (
            user.has_role(Role.EARLY_HELP_OFFICER)
            and episode.district.early_help_officer_id == user.pk
        )
    )


def can_see_person_access_log(user: User, person: Person) -> bool:
    if not _is_staff_user(user) or person.local_authority_id != user.local_authority_id:
        return False
    if user.has_role(Role.EARLY_HELP_MANAGER) or is_lead_professional_for(user, person):
        return True
    return user.has_role(Role.EARLY_HELP_OFFICER) and (
        people_visible_to(user, few=True).filter(pk=person.pk).exists()
    )


def can_make_subject_access_copy(user: User, person: Person) -> bool:
    """A manager produces everything held about one person (UK GDPR Art. 15)."""
    return (
        _is_staff_user(user)
        and user.has_role(Role.EARLY_HELP_MANAGER)
        and person.local_authority_id == user.local_authority_id
    )


def people_in_la(user: User) -> QuerySet[Person]:
    """Everyone in the user's council: only for roles that act for the council
    as a whole (subject access, retention), never for browsing."""
    if not (_is_staff_user(user) and user.has_role(Role.EARLY_HELP_MANAGER)):
        return Person.objects.none()
    return Person.objects.filter(local_authority_id=user.local_authority_id)


# --- Panels ---------------------------------------------------------------------


def can_manage_panels(user: User) -> bool:
    return _is_staff_user(user) and user.has_role(Role.PANEL_COORDINATOR, Role.EARLY_HELP_MANAGER)


def panels_managed_by(user: User) -> QuerySet[Panel]:
    """The panels of the user's council, for those who arrange them."""
    from panels.models import Panel

    if not can_manage_panels(user):
        return Panel.objects.none()
    return Panel.objects.filter(local_authority_id=user.local_authority_id)


def get_panel_for(user: User, pk: int, request: HttpRequest | None = None) -> Panel:
    """A panel the user arranges: 404 otherwise (audited if it exists)."""
    from panels.models import Panel

    return _fetch_or_404(user, panels_managed_by(user), Panel, pk, request)


def can_manage_panel(user: User, panel: Panel) -> bool:
    return can_manage_panels(user) and panel.local_authority_id == user.local_authority_id


def panels_sat_on(user: User) -> QuerySet[Panel]:
    """The open panels `user` is a member of: their agendas' cases are visible
    to them (episodes_visible_to) until the panel closes."""
    from panels.models import Panel

    if not _is_staff_user(user):
        return Panel.objects.none()
    return Panel.objects.filter(
        local_authority_id=user.local_authority_id, members=user, closed_at__isnull=True
    )


# --- Privacy --------------------------------------------------------------------


def may_make_subject_access_copies(user: User) -> bool:
    """The role that makes subject access copies, whoever the person is."""
    return _is_staff_user(user) and user.has_role(Role.EARLY_HELP_MANAGER)


def get_person_for_subject_access(
    user: User, pk: int, request: HttpRequest | None = None
) -> Person:
    """The person whose subject access copy `user` makes: 404 outside the
    user's council or for a role that does not act for the council as a whole
    (audited if the person exists), 403 if not permitted."""
    person = _fetch_or_404(user, people_in_la(user), Person, pk, request)
    if not can_make_subject_access_copy(user, person):
        raise PermissionDenied
    return person


def can_change_retention_rule(user: User, local_authority: LocalAuthority) -> bool:
    """How long the council keeps family records: its administrator and its
    early help managers."""
    return (
        _is_staff_user(user)
        and user.local_authority_id == local_authority.pk
        and user.has_role(Role.LA_ADMIN, Role.EARLY_HELP_MANAGER)
    )


# --- Duplicates -------------------------------------------------------------------


def can_review_duplicates(user: User) -> bool:
    """Records that may be one person are compared, merged and unmerged by the
    council's Early Help Officers and managers; nothing merges by itself."""
    return _is_staff_user(user) and user.has_role(Role.EARLY_HELP_OFFICER, Role.EARLY_HELP_MANAGER)


def _reviewable(user: User, person: str) -> Condition:
    """The person whose id is in column `person` is one `user` may compare: a
    manager, anyone in the council; an Early Help Officer, someone in the family
    of a case they may see, or someone in no family that has a case (an imported
    list's, say: they belong to no district, so any of the council's EHOs may
    review them). Tested per row, so a filter costs what its rows cost: one
    value per person, "is any of their cases one the user may see?" (none:
    NULL, so reviewable), read by a subquery PostgreSQL runs for each row. An
    `EXISTS ... OR NOT EXISTS` pair instead was hashed over every family member
    of every case in the council, so the EHO's list grew with the council
    rather than with its pairs."""
    if user.has_role(Role.EARLY_HELP_MANAGER):
        return Q()
    visible = episodes_visible_to(user).filter(pk=OuterRef("pk"))
    any_seen = (
        Episode.objects.filter(family__memberships__person_id=OuterRef(person))
        .annotate(seen=Exists(visible))
        .order_by("-seen")
        .values("seen")[:1]
    )
    return Q(Coalesce(Subquery(any_seen, output_field=BooleanField()), Value(True)))


def people_reviewable_for_duplicates(user: User, *, merged_too: bool = False) -> QuerySet[Person]:
    """Whose records `user` may compare (see _reviewable). A merged record is
    shown nowhere until its merge is undone; `merged_too` is for refusing such
    a merge with a reason rather than a 403."""
    if not can_review_duplicates(user):
        return Person.objects.none()
    in_la = Person.objects.filter(local_authority_id=user.local_authority_id)
    in_la = in_la.filter(_reviewable(user, "pk"))
    return in_la if merged_too else in_la.filter(merged_into__isnull=True)


def duplicates_visible_to(user: User) -> QuerySet[PossibleDuplicate]:
    """Pairs of the user's council whose two records the user may both review.
    Starts from the pairs and tests their two people, rather than listing every
    reviewable person of the council first."""
    from matching.models import PossibleDuplicate

    if not can_review_duplicates(user):
        return PossibleDuplicate.objects.none()
    return PossibleDuplicate.objects.filter(
        _reviewable(user, "first_id"),
        _reviewable(user, "second_id"),
        local_authority_id=user.local_authority_id,
        first__local_authority_id=user.local_authority_id,
        second__local_authority_id=user.local_authority_id,
        first__merged_into__isnull=True,
        second__merged_into__isnull=True,
    )


def get_duplicate_for(user: User, pk: int, request: HttpRequest | None = None) -> PossibleDuplicate:
    """A pair to compare: 403 for a role that does not review duplicates, 404
    for another council's pair or one the user may not see (audited)."""
    from matching.models import PossibleDuplicate

    if not can_review_duplicates(user):
        raise PermissionDenied
    queryset = duplicates_visible_to(user).select_related("first", "second", "decided_by")
    return _fetch_or_404(user, queryset, PossibleDuplicate, pk, request)


def merges_visible_to(user: User) -> QuerySet[PersonMerge]:
    """Merges into a record the user may review (the kept record now holds
    everything the merged one had)."""
    from matching.models import PersonMerge

    if not can_review_duplicates(user):
        return PersonMerge.objects.none()
    return PersonMerge.objects.filter(
        _reviewable(user, "kept_id"),
        local_authority_id=user.local_authority_id,
        kept__local_authority_id=user.local_authority_id,
        kept__merged_into__isnull=True,
    )


def get_merge_for(user: User, pk: int, request: HttpRequest | None = None) -> PersonMerge:
    from matching.models import PersonMerge

    if not can_review_duplicates(user):
        raise PermissionDenied
    queryset = merges_visible_to(user).select_related("kept", "merged", "merged_by", "undone_by")
    return _fetch_or_404(user, queryset, PersonMerge, pk, request)


# The advice line --------------------------------------------------------------


def can_give_advice(user: User) -> bool:
    """Early Help Officers run their district's advice line; managers cover it."""
    return _is_staff_user(user) and user.has_role(Role.EARLY_HELP_OFFICER, Role.EARLY_HELP_MANAGER)


def advice_visible_to(user: User) -> QuerySet[AdviceContact]:
    """The advice records `user` may read: a manager, the council's; an Early
    Help Officer, their districts', those with no district and their own."""
    from advice.models import AdviceContact

    if not can_give_advice(user):
        return AdviceContact.objects.none()
    records = AdviceContact.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(Role.EARLY_HELP_MANAGER):
        return records
    return records.filter(
        Q(district__early_help_officer=user) | Q(district__isnull=True) | Q(recorded_by=user)
    )


# Police notifications ------------------------------------------------------------


def can_record_police_notification(user: User) -> bool:
    """The council's front door records what the police send: its Early Help
    Officers, managers and coordinators."""
    return _is_staff_user(user) and user.has_role(
        Role.EARLY_HELP_OFFICER, Role.EARLY_HELP_MANAGER, Role.PANEL_COORDINATOR
    )


def police_notifications_visible_to(user: User) -> QuerySet[PoliceNotification]:
    """A manager or coordinator, the council's; an Early Help Officer, their
    districts' and those with no district; the lead professional of the open
    case; the school's key adult, their school's."""
    from police.models import PoliceNotification

    if not _is_staff_user(user):
        return PoliceNotification.objects.none()
    records = PoliceNotification.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(*LA_WIDE_CASE_ROLES):
        return records
    rule = Q(school__key_adult=user) | Q(episode__lead_professional=user)
    if user.has_role(Role.EARLY_HELP_OFFICER):
        rule |= Q(district__early_help_officer=user) | Q(district__isnull=True)
    return records.filter(rule)


def can_manage_school_calendar(user: User) -> bool:
    """The council's non-school days: its administrators and managers."""
    return can_manage_users(user) or (
        _is_staff_user(user) and user.has_role(Role.EARLY_HELP_MANAGER)
    )


# Drift and delay -----------------------------------------------------------------


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    """Open alerts: a manager or coordinator, the council's; an Early Help
    Officer, their districts' (and those with no district); anyone, the alerts
    on the cases they lead."""
    from oversight.models import Alert

    if not _is_staff_user(user) or not user.has_role(*CASE_ROLES):
        return Alert.objects.none()
    alerts = Alert.objects.filter(
        local_authority_id=user.local_authority_id, resolved_on__isnull=True
    )
    if user.has_role(*LA_WIDE_CASE_ROLES):
        return alerts
    # Each part as the ids it allows, not a join: joined to the cases and
    # districts, the rule read every open alert of the council (12,000 at
    # 300,000 people, 10 ms a query, three queries a worklist) before
    # keeping an Early Help Officer's district's.
    led = Episode.objects.filter(local_authority_id=user.local_authority_id, lead_professional=user)
    rule = Q(episode_id__in=led.values("pk"))
    if user.has_role(Role.EARLY_HELP_OFFICER):
        theirs = District.objects.filter(early_help_officer=user).values("pk")
        rule |= Q(district_id__in=theirs) | Q(district__isnull=True)
    return alerts.filter(rule)


def can_chase(user: User, alert: Alert) -> bool:
    """Chasing the lead professional is oversight: the district's EHO or a manager."""
    return (
        _is_staff_user(user)
        and user.has_role(Role.EARLY_HELP_OFFICER, *LA_WIDE_CASE_ROLES)
        and alerts_visible_to(user).filter(pk=alert.pk).exists()
    )


# Quality assurance --------------------------------------------------------------


def can_audit(user: User) -> bool:
    """Early Help Officers quality-assure their district's cases (seed 000);
    managers the council's."""
    return _is_staff_user(user) and user.has_role(Role.EARLY_HELP_OFFICER, Role.EARLY_HELP_MANAGER)


def cases_auditable_by(user: User) -> QuerySet[Episode]:
    """The cases `user` may audit: their district's for an Early Help Officer,
    the council's for a manager."""
    if not can_audit(user):
        return Episode.objects.none()
    in_la = Episode.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(Role.EARLY_HELP_MANAGER):
        return in_la
    return in_la.filter(district__early_help_officer=user)


def can_audit_case(user: User, episode: Episode) -> bool:
    return cases_auditable_by(user).filter(pk=episode.pk).exists()


def _practitioner_routes(user: User) -> list[QuerySet[Any]]:
    """The cases `user` works on as a practitioner of the team: asked for it,
    leads it, or their organisation is in the team with the family's consent."""
    if not (_is_staff_user(user) and user.has_role(Role.PRACTITIONER)):
        return []
    la_id = user.local_authority_id
    return [
        _episode_ids(la_id, requested_by=user),
        _episode_ids(la_id, lead_professional=user),
        *_organisation_routes(user),
    ]


def audits_visible_to(user: User) -> QuerySet[CaseAudit]:
    """Quality audits `user` may read: those of the cases they may audit, and,
    for the lead professional and the team's practitioners, those of their
    cases. Nobody else (a panel member or coordinator reads the case, not its
    audits)."""
    from quality.models import CaseAudit

    if not _is_staff_user(user):
        return CaseAudit.objects.none()
    audits = CaseAudit.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(Role.EARLY_HELP_MANAGER):
        return audits
    if not user.has_role(Role.PRACTITIONER, Role.EARLY_HELP_OFFICER):
        return CaseAudit.objects.none()
    return audits.filter(_in_routes(user, "audits", _audit_routes, "episode_id"))


def _audit_routes(user: User) -> list[QuerySet[Any]]:
    routes = _practitioner_routes(user)
    if user.has_role(Role.EARLY_HELP_OFFICER):
        routes.append(_episode_ids(user.local_authority_id, district__early_help_officer=user))
    return routes


def can_respond_to_audit(user: User, audit: CaseAudit) -> bool:
    """The team whose work was audited acknowledges it and replies: the lead
    professional and the case's practitioners, not the auditor."""
    return (
        _is_staff_user(user)
        and user.has_role(Role.PRACTITIONER)
        and audit.audited_by_id != user.pk
        and audit.local_authority_id == user.local_authority_id
        and Episode.objects.filter(pk=audit.episode_id)
        .filter(_in_routes(user, "practitioner", _practitioner_routes))
        .exists()
    )


def can_edit_quality_criteria(user: User) -> bool:
    """The council's criteria: its administrator and its early help managers."""
    return _is_staff_user(user) and user.has_role(Role.LA_ADMIN, Role.EARLY_HELP_MANAGER)


def audit_samples_visible_to(user: User) -> QuerySet[AuditSample]:
    """Samples drawn for audit: a manager, the council's; an Early Help Officer,
    their own."""
    from quality.models import AuditSample

    if not can_audit(user):
        return AuditSample.objects.none()
    samples = AuditSample.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(Role.EARLY_HELP_MANAGER):
        return samples
    return samples.filter(drawn_by=user)


def audits_summarised_for(user: User) -> QuerySet[CaseAudit]:
    """The audits the quality summary counts for `user` (aggregate only): a
    manager's council, an Early Help Officer's districts."""
    from quality.models import CaseAudit

    if not can_audit(user):
        return CaseAudit.objects.none()
    return CaseAudit.objects.filter(
        local_authority_id=user.local_authority_id,
        episode_id__in=cases_auditable_by(user).order_by().values("pk"),
    )


def can_set_timescales(user: User) -> bool:
    """The council's drift and delay timescales: its administrators and managers."""
    return _is_staff_user(user) and user.has_role(Role.LA_ADMIN, Role.EARLY_HELP_MANAGER)


# Performance indicators (performance/) ------------------------------------------


def can_see_performance(user: User) -> bool:
    """The council's performance indicators: aggregate figures by month,
    district and organisation type, never a case; for its managers."""
    return _is_staff_user(user) and user.has_role(Role.EARLY_HELP_MANAGER)


def can_set_performance_targets(user: User) -> bool:
    """The indicators' targets, beside the timescales they use: whoever sets
    the timescales (its administrators and managers)."""
    return can_set_timescales(user)


# Supporting Families outcomes ---------------------------------------------------


def sustainment_checks_for(user: User) -> QuerySet[SustainmentCheck]:
    """The six-month checks `user` may answer: those they were asked, and for
    a manager every one of the council's."""
    from outcomes.models import SustainmentCheck

    if not _is_staff_user(user):
        return SustainmentCheck.objects.none()
    checks = SustainmentCheck.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(Role.EARLY_HELP_MANAGER):
        return checks
    return checks.filter(asked=user)


def sustainment_checks_owed_by(user: User) -> QuerySet[SustainmentCheck]:
    """The unanswered checks `user` was asked (their work owed; a manager
    answers others' only when asked to cover)."""
    return sustainment_checks_for(user).filter(asked=user, sustained__isnull=True)


def get_case_for_sustainment(user: User, pk: int, request: HttpRequest | None = None) -> Episode:
    """A closed case with checks `user` may answer: 404 otherwise."""
    cases = Episode.objects.filter(
        pk__in=sustainment_checks_for(user).order_by().values("episode_id")
    ).select_related("family", "lead_professional")
    return _fetch_or_404(user, cases, Episode, pk, request)


def can_see_supporting_families_claim(user: User) -> bool:
    """The claim lists families (case-level): the council's managers only."""
    return _is_staff_user(user) and user.has_role(Role.EARLY_HELP_MANAGER)


# Statutory returns ----------------------------------------------------------------


def can_export_statutory_returns(user: User) -> bool:
    """Statutory returns (Ofsted's Annex A early help list) list every child of
    the council's early help, case by case: its early help managers only."""
    return _is_staff_user(user) and user.has_role(Role.EARLY_HELP_MANAGER)


# Reports --------------------------------------------------------------------


def can_see_council_reports(user: User, local_authority: LocalAuthority | None = None) -> bool:
    """The partnership report and the council's other aggregate reports: its
    early help managers, for their own council only (figures, never a case)."""
    return (
        _is_staff_user(user)
        and user.has_role(Role.EARLY_HELP_MANAGER)
        and (local_authority is None or local_authority.pk == user.local_authority_id)
    )


def family_requests_visible_to(user: User) -> QuerySet[FamilyRequest]:
    """The requests families sent themselves (families/) that `user` may read:
    like the advice line, an Early Help Officer their districts' and the
    council's general queue (no district), a manager the council's."""
    from families.models import FamilyRequest

    if not can_give_advice(user):
        return FamilyRequest.objects.none()
    requests = FamilyRequest.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(Role.EARLY_HELP_MANAGER):
        return requests
    return requests.filter(Q(district__early_help_officer=user) | Q(district__isnull=True))


# Partner API clients (api/) ---------------------------------------------------------
# A client acts as its organisation, in its council, never as a person: each
# scope it holds is one thing it may do, for as long as its token is valid.


def client_may(client: ApiClient, scope: str) -> bool:
    """The client's token is neither revoked nor expired, and it holds `scope`."""
    return client.active and scope in client.scopes


def police_notifications_visible_to_client(client: ApiClient) -> QuerySet[PoliceNotification]:
    """Only the notifications it sent itself, and only to learn whether they
    were acknowledged: never another sender's."""
    from police.models import PoliceNotification

    if not client_may(client, "police_notifications:write"):
        return PoliceNotification.objects.none()
    return PoliceNotification.objects.filter(
        local_authority_id=client.local_authority_id, sent_by_api__client=client
    )


def episodes_visible_to_client(client: ApiClient) -> QuerySet[Episode]:
    """The cases the client's organisation is involved in, with consent
    respected exactly as for its staff: in the team or asking for the help,
    while a family member's consent to share with it (or a duty-to-share
    override) stands. Withdrawn consent ends it at once."""
    if not client_may(client, "cases:read"):
        return Episode.objects.none()
    return _cases_of_client_organisation(client)


def _cases_of_client_organisation(client: ApiClient) -> QuerySet[Episode]:
    """The cases the client's organisation is involved in, as the family lets it."""
    if not client.active:
        return Episode.objects.none()
    union = _union(_routes_of_organisations(client.local_authority_id, [client.organisation_id]))
    if union is None:
        return Episode.objects.none()
    return Episode.objects.filter(local_authority_id=client.local_authority_id, pk__in=union)


def plan_actions_visible_to_client(client: ApiClient) -> QuerySet[PlanAction]:
    """The plan actions given to the client's own organisation, on the cases
    it may read (episodes_visible_to_client): never another agency's."""
    from plans.models import Action as PlanAction

    if not client_may(client, "cases:read"):
        return PlanAction.objects.none()
    return PlanAction.objects.filter(
        organisation_id=client.organisation_id,
        goal__plan__episode__in=_cases_of_client_organisation(client),
    )


def plan_actions_updatable_by_client(client: ApiClient) -> QuerySet[PlanAction]:
    """The plan actions whose progress the client may record: its own
    organisation's, on the cases the organisation is involved in while the
    family lets it (withdrawn consent ends it at once)."""
    from plans.models import Action as PlanAction

    if not client_may(client, "plan_actions:write"):
        return PlanAction.objects.none()
    return PlanAction.objects.filter(
        organisation_id=client.organisation_id,
        goal__plan__episode__in=_cases_of_client_organisation(client),
    )


def client_may_update_plan_action(client: ApiClient, action: PlanAction) -> bool:
    return plan_actions_updatable_by_client(client).filter(pk=action.pk).exists()


def client_may_request_support(client: ApiClient) -> bool:
    """A partner system asks for early help as its organisation, in its council."""
    return client_may(client, "requests:write")


def people_visible_to_client(client: ApiClient) -> QuerySet[Person]:
    """The people a client asking for help may find and name again: those in
    the families of the cases its organisation is involved in (as its staff
    would find them), none of another council."""
    if not client_may_request_support(client):
        return Person.objects.none()
    families = _cases_of_client_organisation(client).values("family_id")
    return Person.objects.filter(
        local_authority_id=client.local_authority_id,
        family_memberships__family_id__in=families,
        merged_into__isnull=True,
    ).distinct()


def client_may_see_restriction(client: ApiClient, restriction: Restriction) -> bool:
    """Never: a restriction names the people who may see the part, and a
    partner system is no person (people.restrictions blanks it)."""
    return False


def client_may_match(client: ApiClient) -> bool:
    return client_may(client, "matching:read")


# The family's voice and the family's plan online (families/) ------------------


def can_ask_family(user: User, episode: Episode) -> bool:
    """Ask a family member for feedback (a link, or typing in their paper
    form), give or revoke their link to the plan online: whoever records work
    on the case."""
    return can_work_on_episode(user, episode)


def feedback_visible_to(user: User) -> QuerySet[Any]:
    """The families' feedback `user` may read with the family's name: the
    case's lead professional, the Early Help Officer of the case's district
    and the council's Early Help managers; nobody else (the partnership
    report counts it without names, reporting/definitions.py)."""
    from families.models import Feedback

    if not _is_staff_user(user) or not user.has_role(*CASE_ROLES):
        return Feedback.objects.none()
    feedback = Feedback.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(Role.EARLY_HELP_MANAGER):
        return feedback
    rule = Q(episode__lead_professional=user)
    if user.has_role(Role.EARLY_HELP_OFFICER):
        rule |= Q(episode__district__early_help_officer=user)
    return feedback.filter(rule)


def can_see_feedback(user: User, episode: Episode) -> bool:
    """feedback_visible_to's rule for one case (asked before any is recorded)."""
    if not _is_staff_user(user) or not user.has_role(*CASE_ROLES):
        return False
    if episode.local_authority_id != user.local_authority_id:
        return False
    if user.has_role(Role.EARLY_HELP_MANAGER) or episode.lead_professional_id == user.pk:
        return True
    return (
        user.has_role(Role.EARLY_HELP_OFFICER) and episode.district.early_help_officer_id == user.pk
    )


def client_told_about(client: ApiClient, episode: Episode) -> bool:
    """Whether a client's webhooks hear of events about `episode`: exactly the
    cases it may read (episodes_visible_to_client, which needs `cases:read`),
    so withdrawn consent stops the events at once, as it ends the reading."""
    return (
        client.local_authority_id == episode.local_authority_id
        and episodes_visible_to_client(client).filter(pk=episode.pk).exists()
    )


def can_manage_api_clients(user: User) -> bool:
    """The council's LA administrators register partner systems, rotate and
    revoke their tokens, and see and resend their webhook deliveries."""
    return can_manage_users(user)


def api_clients_manageable_by(user: User) -> QuerySet[ApiClient]:
    from api.models import ApiClient

    if not can_manage_api_clients(user):
        return ApiClient.objects.none()
    return ApiClient.objects.filter(local_authority_id=user.local_authority_id)


def can_manage_api_client(user: User, client: ApiClient) -> bool:
    return can_manage_api_clients(user) and client.local_authority_id == user.local_authority_id
