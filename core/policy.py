"""The permission policy: who may see and do what. Every view, command and API
call asks here; nothing else decides access.

Need-to-know (seed 003): a practitioner sees a family's episode only while they
or their organisation are involved; Early Help Officers see their district's
episodes; managers and panel coordinators see their local authority's. Nobody
sees another local authority's records. Administrators manage accounts but see
no case records because of that role alone.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.models import Role
from audit.models import Action
from audit.services import record
from episodes.models import Episode
from people.models import Person

LA_WIDE_CASE_ROLES = (Role.EARLY_HELP_MANAGER, Role.PANEL_COORDINATOR)


def _is_staff_user(user):
    return bool(user and user.is_authenticated and user.is_active and user.local_authority_id)


def episodes_visible_to(user):
    """Every episode `user` may see: the start of every episode query."""
    if not _is_staff_user(user):
        return Episode.objects.none()
    in_la = Episode.objects.filter(local_authority_id=user.local_authority_id)
    if user.has_role(*LA_WIDE_CASE_ROLES):
        return in_la
    rule = Q(pk__in=[])
    if user.has_role(Role.EARLY_HELP_OFFICER):
        rule |= Q(district__early_help_officer=user)
    if user.has_role(Role.PRACTITIONER):
        org_ids = list(user.memberships.values_list("organisation_id", flat=True))
        rule |= (
            Q(requested_by=user)
            | Q(lead_professional=user)
            | Q(requesting_organisation_id__in=org_ids)
            | Q(organisations__in=org_ids)
        )
    return in_la.filter(pk__in=in_la.filter(rule).values("pk"))


def people_visible_to(user):
    """People in the families of the episodes `user` may see."""
    if not _is_staff_user(user):
        return Person.objects.none()
    families = episodes_visible_to(user).values("family_id")
    return Person.objects.filter(
        local_authority_id=user.local_authority_id, family_memberships__family_id__in=families
    ).distinct()


def _fetch_or_404(user, queryset, model, pk, request):
    """Fetch one visible object; a hidden or missing one is a 404, and an attempt
    on a record that exists but is hidden is audited as a denial."""
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        hidden = model.objects.filter(pk=pk).first()
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


def get_episode_for(user, pk, request=None):
    return _fetch_or_404(
        user,
        episodes_visible_to(user).select_related(
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


def get_person_for(user, pk, request=None):
    return _fetch_or_404(user, people_visible_to(user), Person, pk, request)


def can_edit_person(user, person):
    """Anyone who may see a person's episode may correct their details."""
    return people_visible_to(user).filter(pk=person.pk).exists()


def can_manage_users(user):
    return _is_staff_user(user) and user.has_role(Role.LA_ADMIN)


def users_manageable_by(user):
    from accounts.models import User

    if not can_manage_users(user):
        return User.objects.none()
    return User.objects.filter(local_authority_id=user.local_authority_id)


def can_see_case_lists(user):
    return _is_staff_user(user) and user.has_role(
        Role.PRACTITIONER, Role.EARLY_HELP_OFFICER, *LA_WIDE_CASE_ROLES
    )


def can_work_on_episode(user, episode):
    """May record work on the case (consent, assessment, meetings, plan, reviews,
    notes). Managers and panel coordinators oversee but also act; anyone who
    may see the case may refer it to children's social care (see can_step_up)."""
    return episodes_visible_to(user).filter(pk=episode.pk).exists()


def get_episode_for_work(user, pk, request=None):
    """The case, for a page that records work on it: 404 if hidden, 403 if
    visible but not to be worked on."""
    episode = get_episode_for(user, pk, request)
    if not can_work_on_episode(user, episode):
        raise PermissionDenied
    return episode


def can_step_up(user, episode):
    """Any professional who can see an open case may refer it at once: nothing
    may stand in the way of a referral to children's social care (seed 001 §3.5)."""
    return can_work_on_episode(user, episode)


def can_start_request(user):
    return (
        _is_staff_user(user)
        and user.has_role(Role.PRACTITIONER, *LA_WIDE_CASE_ROLES)
        and (user.memberships.exists())
    )


def can_step_down(user, organisation):
    """Children's social care hands a family to early help (step-down)."""
    from accounts.models import OrganisationType

    return (
        can_start_request(user)
        and organisation.type == OrganisationType.CHILDRENS_SOCIAL_CARE
        and user.memberships.filter(organisation=organisation).exists()
    )


def can_record_csc_decision(user, episode):
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


def my_episodes(user, queryset=None):
    """Cases the user leads, asked for, or whose team includes their organisation."""
    queryset = queryset if queryset is not None else episodes_visible_to(user)
    org_ids = list(user.memberships.values_list("organisation_id", flat=True))
    return queryset.filter(
        Q(lead_professional=user)
        | Q(requested_by=user)
        | Q(pk__in=Episode.objects.filter(organisations__in=org_ids).values("pk"))
    )
