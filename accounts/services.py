"""Domain functions for local authorities and staff accounts. Each runs in one
transaction, checks permission through core.policy and writes its audit event."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import Action
from audit.services import record
from core import policy
from notifications import outbox
from notifications.services import email_staff, notify_about_cases

from . import security
from .models import (
    ADMIN_ROLES,
    CASE_ROLES,
    LocalAuthority,
    Membership,
    Role,
    RoleGrant,
    RoleRequest,
    RoleRequestStatus,
    User,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from episodes.models import Episode

    from .models import Organisation

GRANTABLE_ROLES = [role for role in Role if role != Role.SYSTEM_ADMIN]


@transaction.atomic
def create_local_authority(
    slug: str, name: str, *, actor: User | None = None
) -> tuple[LocalAuthority, bool]:
    """Create an empty LA with default settings. Returns (la, created); a second
    call with the same slug changes nothing."""
    existing = LocalAuthority.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    la = LocalAuthority(slug=slug, name=name)
    la.full_clean()
    la.save()
    record(
        Action.CREATE,
        actor=actor,
        obj=la,
        local_authority=la,
        actor_label="" if actor else "command line",
    )
    return la, True


def invitation_link(user: User, base_url: str = "") -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse("accounts:accept_invitation", args=[uid, token])


def _require_manager(actor: User, user: User | None = None) -> None:
    if not policy.can_manage_users(actor):
        raise PermissionDenied
    if user is not None and user.local_authority_id != actor.local_authority_id:
        raise PermissionDenied


# Roles that see cases ----------------------------------------------------------------


def role_labels(roles: Iterable[str]) -> str:
    return ", ".join(str(Role(role).label) for role in sorted(roles))


def is_administrator(user: User) -> bool:
    return bool(user.is_staff or user.is_superuser or user.role_set & ADMIN_ROLES)


def refuse_granting_oneself_case_roles(actor: User, user: User, roles_added: Iterable[str]) -> None:
    """Nobody gives themselves a role that sees cases: another administrator
    must, so that reading cases always takes two people."""
    if actor.pk == user.pk and CASE_ROLES.intersection(roles_added):
        raise ValidationError(
            _("You cannot give yourself a role that sees cases: ask another administrator")
        )


def local_authority_administrators(la: LocalAuthority | None) -> QuerySet[User]:
    if la is None:
        return User.objects.none()
    return User.objects.filter(local_authority=la, is_active=True, roles__role=Role.LA_ADMIN)


def _tell_administrators(
    la: LocalAuthority | None, subject: str, message: str, *, leave_out: Iterable[User] = ()
) -> None:
    recipients = local_authority_administrators(la).exclude(pk__in=[u.pk for u in leave_out])
    email_staff(recipients, subject, message)


@transaction.atomic
def roles_changed_in_django_admin(
    actor: User,
    user: User,
    before: Collection[str],
    after: Collection[str],
    request: HttpRequest | None = None,
) -> None:
    """Django admin saved a user's roles: the audit event names the roles given
    and taken away, and the council's LA administrators hear of any role that
    sees cases (Django admin is no way round them)."""
    added, removed = sorted(set(after) - set(before)), sorted(set(before) - set(after))
    if not (added or removed):
        return
    refuse_granting_oneself_case_roles(actor, user, added)
    record(
        Action.UPDATE,
        actor=actor,
        obj=user,
        request=request,
        changes={"fields": ["roles"], "roles_added": added, "roles_removed": removed},
        reason="changed in Django admin",
    )
    case_roles = CASE_ROLES.intersection(added)
    if case_roles:
        _tell_administrators(
            user.local_authority,
            _("a role that sees cases was given in system administration"),
            _(
                "%(actor)s gave %(user)s (%(email)s) these roles in system administration: "
                "%(roles)s. With them, %(user)s can see cases. If this was not agreed, "
                "remove the roles in Users and tell your information governance lead."
            )
            % {
                "actor": actor.email,
                "user": user.full_name,
                "email": user.email,
                "roles": role_labels(case_roles),
            },
        )


# A second administrator ----------------------------------------------------------------


def _held_back(actor: User, user: User, current: Iterable[str], wanted: Iterable[str]) -> set[str]:
    """The roles `actor` may not give `user` alone, which wait for a second
    administrator: a role that sees cases given to oneself, or any role that
    would make `user` an administrator who sees cases (the case roles if some
    are being given, else the administrator role)."""
    current, wanted = set(current), set(wanted)
    added = wanted - current
    if actor.pk == user.pk:
        return added & CASE_ROLES
    after = wanted | (current - set(GRANTABLE_ROLES))
    administrator = user.is_staff or user.is_superuser or bool(after & ADMIN_ROLES)
    if not (administrator and after & CASE_ROLES):
        return set()
    return (added & CASE_ROLES) or (added & ADMIN_ROLES)


def _ask_second_administrator(
    actor: User, user: User, roles: Iterable[str], request: HttpRequest | None = None
) -> list[RoleRequest]:
    """Record a request per role, and tell the council's other LA administrators."""
    requests: list[RoleRequest] = []
    for role in sorted(roles):
        if RoleRequest.objects.filter(
            user=user, role=role, status=RoleRequestStatus.PENDING
        ).exists():
            continue
        role_request = RoleRequest.objects.create(user=user, role=role, requested_by=actor)
        record(
            Action.CREATE,
            actor=actor,
            obj=role_request,
            request=request,
            changes={"fields": ["user", "role"], "role": role},
            reason="waiting for a second administrator",
        )
        requests.append(role_request)
    if requests:
        _tell_administrators(
            actor.local_authority,
            _("a role that sees cases waits for your approval"),
            _(
                "%(actor)s asks for %(user)s (%(email)s) to have these roles: %(roles)s. "
                "With them, %(user)s would be an administrator who sees cases, so another "
                "LA administrator must approve or reject this in Early Help, under Users, "
                "Role changes to approve."
            )
            % {
                "actor": actor.full_name,
                "user": user.full_name,
                "email": user.email,
                "roles": role_labels(r.role for r in requests),
            },
            leave_out=[actor],
        )
    return requests


def pending_role_requests(actor: User) -> QuerySet[RoleRequest]:
    """The council's requests waiting for a second administrator."""
    if not policy.can_manage_users(actor):
        return RoleRequest.objects.none()
    return RoleRequest.objects.filter(
        user__local_authority_id=actor.local_authority_id, status=RoleRequestStatus.PENDING
    ).select_related("user", "requested_by")


def may_decide(actor: User, role_request: RoleRequest) -> bool:
    """Another LA administrator of the council: not the one who asked, and not
    the one who would get the role."""
    return (
        policy.can_manage_users(actor)
        and role_request.user.local_authority_id == actor.local_authority_id
        and actor.pk not in (role_request.requested_by_id, role_request.user_id)
    )


@transaction.atomic
def decide_role_request(
    actor: User, role_request: RoleRequest, *, approve: bool, request: HttpRequest | None = None
) -> RoleRequest:
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if role_request.status != RoleRequestStatus.PENDING or not may_decide(actor, role_request):
        raise PermissionDenied
    user = role_request.user
    if approve and not user.is_active:
        raise ValidationError(_("This account has been deactivated: the role cannot be given"))
    role_request.status = RoleRequestStatus.APPROVED if approve else RoleRequestStatus.REJECTED
    role_request.decided_by = actor
    role_request.decided_at = timezone.now()
    role_request.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=role_request,
        request=request,
        changes={"fields": ["status"], "status": role_request.status},
        reason="approved by a second administrator" if approve else "rejected",
    )
    if approve:
        user.grant(role_request.role)
        record(
            Action.UPDATE,
            actor=actor,
            obj=user,
            request=request,
            changes={"fields": ["roles"], "roles_added": [role_request.role], "roles_removed": []},
            reason="approved by a second administrator",
        )
    return role_request


def _set_organisations_and_roles(
    user: User, organisations: Collection[Organisation], roles: Iterable[str]
) -> None:
    Membership.objects.filter(user=user).exclude(organisation__in=organisations).delete()
    for organisation in organisations:
        Membership.objects.get_or_create(user=user, organisation=organisation)
    keep = [role for role in roles if role in GRANTABLE_ROLES]
    RoleGrant.objects.filter(user=user, role__in=GRANTABLE_ROLES).exclude(role__in=keep).delete()
    for role in keep:
        RoleGrant.objects.get_or_create(user=user, role=role)
    user.forget_access()


def _check_organisations(actor: User, organisations: Collection[Organisation]) -> None:
    if not organisations:
        raise ValidationError({"organisations": _("Choose at least one organisation")})
    if any(org.local_authority_id != actor.local_authority_id for org in organisations):
        raise PermissionDenied


@transaction.atomic
def invite_user(
    actor: User,
    *,
    email: str,
    full_name: str,
    job_title: str,
    organisations: Collection[Organisation],
    roles: Collection[str],
    request: HttpRequest | None = None,
) -> User:
    """Create an account and email its owner a link to choose a password."""
    _require_manager(actor)
    council = actor.local_authority
    if council is None:  # only a council's administrators manage users
        raise PermissionDenied
    _check_organisations(actor, organisations)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "An account with this email address already exists: find it in the "
                    "list of users instead"
                )
            }
        )
    user = User(
        email=email,
        full_name=full_name,
        job_title=job_title,
        local_authority=council,
        invited_at=timezone.now(),
    )
    user.set_unusable_password()
    user.save()
    held_back = _held_back(actor, user, set(), roles)
    _set_organisations_and_roles(user, organisations, set(roles) - held_back)
    _ask_second_administrator(actor, user, held_back, request)
    record(
        Action.CREATE,
        actor=actor,
        obj=user,
        request=request,
        changes={"fields": ["email", "full_name", "job_title", "organisations", "roles"]},
    )
    base_url = request.build_absolute_uri("/")[:-1] if request else ""
    link = invitation_link(user, base_url)
    outbox.send_later(
        EmailMessage(
            _("You have been invited to Early Help"),
            _(
                "%(inviter)s has invited you to use Early Help for %(la)s.\n\n"
                "Choose your password here (the link works once, for 7 days):\n%(link)s\n"
            )
            % {"inviter": actor.full_name, "la": council.name, "link": link},
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        ),
        council=council,
    )
    return user


@transaction.atomic
def update_user(
    actor: User,
    user: User,
    *,
    full_name: str,
    job_title: str,
    organisations: Collection[Organisation],
    roles: Collection[str],
    request: HttpRequest | None = None,
) -> list[RoleRequest]:
    """Returns the role requests made (roles that wait for a second administrator)."""
    _require_manager(actor, user)
    _check_organisations(actor, organisations)
    roles_before = sorted(user.roles.values_list("role", flat=True))
    before = {
        "full_name": user.full_name,
        "job_title": user.job_title,
        "organisations": sorted(user.memberships.values_list("organisation_id", flat=True)),
        "roles": roles_before,
    }
    held_back = _held_back(actor, user, roles_before, roles)
    user.full_name = full_name
    user.job_title = job_title
    user.save(update_fields=["full_name", "job_title"])
    _set_organisations_and_roles(user, organisations, set(roles) - held_back)
    after = {
        "full_name": full_name,
        "job_title": job_title,
        "organisations": sorted(org.pk for org in organisations),
        "roles": sorted(user.roles.values_list("role", flat=True)),
    }
    changed = sorted(name for name in after if before[name] != after[name])
    if changed:
        record(Action.UPDATE, actor=actor, obj=user, request=request, changes={"fields": changed})
    # The user's roles change now, except these, which wait for a second administrator.
    return _ask_second_administrator(actor, user, held_back, request)


def open_cases_led_by(user: User) -> QuerySet[Episode]:
    """The cases `user` leads that are not closed (a stepped-up case too: it
    may come back to early help)."""
    from episodes import states
    from episodes.models import Episode

    return (
        Episode.objects.filter(
            lead_professional=user, status__in=states.statuses_allowing("change_lead")
        )
        .select_related("district__early_help_officer", "family")
        .order_by("requested_at")
    )


def cases_to_reallocate(actor: User, leader: User) -> QuerySet[Episode]:
    """The open cases `leader` leads whose lead `actor` may change."""
    return open_cases_led_by(leader).filter(
        pk__in=policy.cases_reallocatable_by(actor).values("pk")
    )


def leavers_with_cases(actor: User) -> QuerySet[User]:
    """Deactivated staff of the actor's council who still lead open cases the
    actor may reallocate."""
    from episodes import states

    cases = policy.cases_reallocatable_by(actor).filter(
        status__in=states.statuses_allowing("change_lead")
    )
    # By the cases' leads, not a join from users to cases: every query on case
    # data names its council, and this one's is the cases'.
    return User.objects.filter(
        local_authority_id=actor.local_authority_id,
        is_active=False,
        pk__in=cases.values("lead_professional_id"),
    ).order_by("full_name", "pk")


def reallocation_candidates(actor: User, leader: User) -> QuerySet[User]:
    """Who may be offered as the new lead: active practitioners of the council
    (each case then checks its own team); never an administrator."""
    return (
        User.objects.filter(
            local_authority_id=actor.local_authority_id,
            is_active=True,
            roles__role=Role.PRACTITIONER,
        )
        .exclude(pk=leader.pk)
        .prefetch_related("memberships__organisation")
        .distinct()
        .order_by("full_name", "pk")
    )


@transaction.atomic
def reallocate_cases(
    actor: User,
    leader: User,
    episodes: Iterable[Episode],
    new_lead: User | None,
    *,
    reason: str,
    family_view: str,
    handover_note: str = "",
    request: HttpRequest | None = None,
) -> list[Episode]:
    """Give several of `leader`'s cases one new lead professional, each through
    change_lead_professional. All or none: a case that cannot go to `new_lead`
    (not in its team, say) is named and nothing changes."""
    from episodes.lead_professional import change_lead_professional
    from episodes.states import TransitionRefused

    if not policy.can_reallocate_cases(actor):
        raise PermissionDenied
    episodes = list(episodes)
    allowed = set(cases_to_reallocate(actor, leader).values_list("pk", flat=True))
    if any(episode.pk not in allowed for episode in episodes):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not episodes:
        errors["cases"] = [_("Choose at least one case")]
    if new_lead is None:
        errors["new_lead"] = [_("Choose the new lead professional")]
    if errors:
        raise ValidationError(errors)
    for episode in episodes:
        try:
            change_lead_professional(
                actor,
                episode,
                new_lead,
                reason=reason,
                family_view=family_view,
                handover_note=handover_note,
                request=request,
            )
        except TransitionRefused as refused:
            errors.setdefault("cases", []).append(f"{episode.reference}: {refused.message}")
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    if field == "new_lead":
                        message = f"{episode.reference}: {message}"
                    if message not in errors.setdefault(field, []):
                        errors[field].append(message)
    if errors:
        # Raising rolls back the cases already changed: all or none.
        raise ValidationError(errors)
    return episodes


@transaction.atomic
def deactivate_user(
    actor: User, user: User, *, reason: str, request: HttpRequest | None = None
) -> User:
    """A leaver can no longer sign in; their records and history stay."""
    _require_manager(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account"))
    if not reason.strip():
        raise ValidationError({"reason": _("Enter why the account is being deactivated")})
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=user,
        request=request,
        changes={"fields": ["is_active"]},
        reason=reason,
    )
    _ask_for_reallocation(user)
    return user


def _ask_for_reallocation(leaver: User) -> None:
    """The leaver's open cases go to those who may reallocate them: each case
    to its district's Early Help Officer and to the council's managers. The
    administrator who deactivated the account never sees the cases."""
    managers = list(
        User.objects.filter(
            local_authority_id=leaver.local_authority_id,
            is_active=True,
            roles__role=Role.EARLY_HELP_MANAGER,
        )
    )
    recipients = {
        episode: [*managers, episode.district.early_help_officer if episode.district else None]
        for episode in open_cases_led_by(leaver)
    }
    if recipients:
        notify_about_cases(
            recipients,
            _("%(name)s has left: choose a new lead professional") % {"name": leaver.full_name},
        )


@transaction.atomic
def unlock_user(actor: User, user: User, request: HttpRequest | None = None) -> User:
    """Lift every sign-in lock on the account before it ends by itself."""
    _require_manager(actor, user)
    # Whoever caused it, from wherever: the account's owner can sign in again.
    security.lift_locks(user)
    record(
        Action.UPDATE,
        actor=actor,
        obj=user,
        request=request,
        changes={"fields": ["locked_until"]},
        reason="unlocked by an administrator",
    )
    return user


@transaction.atomic
def reset_two_factor(
    actor: User, user: User, *, reason: str, request: HttpRequest | None = None
) -> User:
    """For someone who lost their phone: their authenticator and recovery codes
    stop working at once (any session of theirs is signed out, see
    accounts.middleware), and they set up an app again after their password."""
    _require_manager(actor, user)
    if user.pk == actor.pk:
        raise ValidationError(
            _("You cannot reset your own two-factor sign-in: ask another administrator")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Enter why you are resetting their two-factor sign-in")})
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(
        Action.UPDATE,
        actor=actor,
        obj=user,
        request=request,
        changes={"fields": ["two_factor", "recovery_codes"]},
        reason=reason,
    )
    return user


@transaction.atomic
def accept_invitation(user: User, password: str, request: HttpRequest | None = None) -> None:
    # The form has checked already; a command or API must meet the same rules.
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        Action.UPDATE,
        actor=user,
        obj=user,
        request=request,
        changes={"fields": ["password"]},
        reason="accepted invitation",
    )


SETTINGS_FIELDS = [
    "upper_age",
    "upper_age_send",
    "review_interval_weeks",
    "meeting_name",
    "step_down_lead_days",
    "front_door_phone",
    "advice_email",
    "mash_phone",
    "out_of_hours_phone",
    "family_languages",
    "notify_template_id",
    "notify_sms_template_id",
]


@transaction.atomic
def update_local_authority_settings(
    actor: User, la: LocalAuthority, data: Mapping[str, object], request: HttpRequest | None = None
) -> list[str]:
    """A council's own settings, changed by its LA administrator; validated by
    the model so the same rules hold in Django admin."""
    if not policy.can_manage_users(actor) or actor.local_authority_id != la.pk:
        raise PermissionDenied
    fields = [*SETTINGS_FIELDS, "notify_api_key"]
    before = {name: getattr(la, name) for name in fields}
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(la, name, data[name])
    # The Notify key is never shown: an empty box keeps it, and it is only
    # forgotten on purpose (the audit names the field, never the key).
    if data.get("notify_api_key"):
        la.notify_api_key = str(data["notify_api_key"])
    if data.get("stop_using_notify"):
        la.notify_api_key = ""
    la.full_clean()
    changed = sorted(name for name in fields if getattr(la, name) != before[name])
    if changed:
        la.save(update_fields=changed)
        record(Action.UPDATE, actor=actor, obj=la, request=request, changes={"fields": changed})
    return changed


@transaction.atomic
def set_digest(actor: User, frequency: str, request: HttpRequest | None = None) -> None:
    """How often the person wants the summary email of new and overdue work."""
    from .models import DigestFrequency

    if frequency not in DigestFrequency.values:
        raise ValidationError({"digest": _("Choose how often to get the summary email")})
    if actor.digest != frequency:
        actor.digest = frequency
        actor.save(update_fields=["digest"])
        record(
            Action.UPDATE, actor=actor, obj=actor, request=request, changes={"fields": ["digest"]}
        )
