from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import councils, policy
from core.forms import posted, run_form_action, searched
from core.paging import counted_page
from notifications import outbox

from . import security, services
from .forms import (
    ChoosePasswordForm,
    CodeForm,
    DeactivateUserForm,
    DigestForm,
    InviteUserForm,
    LocalAuthoritySettingsForm,
    RecoveryCodeForm,
    ResetTwoFactorForm,
    RoleDecisionForm,
    SignInForm,
    UserDetailsForm,
)
from .middleware import does_not_extend_session
from .models import LocalAuthority, User

RECOVERY_CODES_KEY = "earlyhelp_new_recovery_codes"


def _safe_next(request, url):
    # Only a path of this site: redirect() takes a bare word for a view's name.
    if (
        url
        and url.startswith("/")
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


# Signing in: the password, then the second factor ---------------------------------


@login_not_required
@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.user.is_authenticated:
        return redirect(_safe_next(request, next_url))
    form = SignInForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = security.check_password(
                request, form.cleaned_data["username"], form.cleaned_data["password"]
            )
        except security.SignInRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            security.begin_second_step(request, user, next_url)
            return redirect("accounts:two_factor")
    timed_out = request.method == "GET" and "timeout" in request.GET
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": next_url,
            "timed_out": timed_out,
            "idle": security.duration(settings.SESSION_COOKIE_AGE),
        },
    )


sign_out = auth_views.LogoutView.as_view()


def _start_again(request):
    messages.info(
        request,
        _("Sign in again: the code must follow the password within %(time)s.")
        % {"time": security.duration(security.PENDING_SECONDS)},
    )
    return redirect("accounts:sign_in")


def _second_step(request, template, form, user, **context):
    return render(request, template, {"form": form, "pending": user, **context})


def _demo_code(device):
    """Demo mode only: the code the authenticator would show."""
    if settings.DEBUG and settings.DEMO_MODE:
        code = security.current_code(device)
        return f"{code[:3]} {code[3:]}"
    return None


@login_not_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    user = security.pending_user(request)
    if user is None:
        return _start_again(request)
    device = security.authenticator(user)
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            next_url = security.pending_next(request)
            security.sign_in_with_authenticator(request, user, device, form.cleaned_data["code"])
        except security.SignInRefused as refusal:
            form.add_error(None if refusal.locked else "code", refusal.message)
        else:
            return redirect(_safe_next(request, next_url))
    return _second_step(
        request, "accounts/two_factor.html", form, user, demo_code=_demo_code(device)
    )


@login_not_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    user = security.pending_user(request)
    if user is None:
        return _start_again(request)
    if security.authenticator(user) is not None:
        return redirect("accounts:two_factor")
    device = security.unconfirmed_authenticator(user)
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            next_url = security.pending_next(request)
            codes = security.set_up_authenticator(request, user, form.cleaned_data["code"])
        except security.SignInRefused as refusal:
            form.add_error(None if refusal.locked else "code", refusal.message)
        else:
            return _show_recovery_codes(request, codes, _safe_next(request, next_url))
    return _second_step(
        request,
        "accounts/two_factor_setup.html",
        form,
        user,
        qr_code=security.qr_code_svg(device),
        secret=security.secret_in_groups(device),
        demo_code=_demo_code(device),
    )


@login_not_required
@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def recovery_code(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    user = security.pending_user(request)
    if user is None:
        return _start_again(request)
    form = RecoveryCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            next_url = security.pending_next(request)
            security.sign_in_with_recovery_code(request, user, form.cleaned_data["code"])
        except security.SignInRefused as refusal:
            form.add_error(None if refusal.locked else "code", refusal.message)
        else:
            left = security.recovery_codes_left(user)
            messages.info(
                request,
                _(
                    "You have %(count)s recovery codes left. Get new ones from "
                    "“Your account” if you are running out."
                )
                % {"count": left},
            )
            return redirect(_safe_next(request, next_url))
    return _second_step(request, "accounts/recovery_code.html", form, user)


# Recovery codes, your account and the session -------------------------------------


def _show_recovery_codes(request, codes, continue_url):
    # Shown once, on the next page: a reload or the back button does not show them again.
    request.session[RECOVERY_CODES_KEY] = {"codes": codes, "continue": continue_url}
    return redirect("accounts:recovery_codes")


@never_cache
@require_GET
def recovery_codes(request):
    shown = request.session.pop(RECOVERY_CODES_KEY, None)
    if shown is None:
        return redirect("accounts:your_account")
    codes = [f"{code[:4]} {code[4:]}" for code in shown["codes"]]
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "continue_url": _safe_next(request, shown["continue"])},
    )


@require_http_methods(["GET", "POST"])
def your_account(request):
    user = request.user
    form = DigestForm(posted(request), initial={"digest": user.digest})
    done = run_form_action(
        request,
        form,
        lambda data: services.set_digest(user, data["digest"], request=request),
        success=_("Your summary email choice is saved"),
        then=reverse("accounts:your_account"),
    )
    if done:
        return done
    return render(
        request,
        "accounts/your_account.html",
        {
            "form": form,
            "may_get_digest": policy.can_see_case_lists(user),
            "authenticator": security.authenticator(user),
            "recovery_codes_left": security.recovery_codes_left(user),
        },
    )


@require_POST
def new_recovery_codes(request):
    codes = security.new_recovery_codes(request.user, request=request)
    return _show_recovery_codes(request, codes, resolve_url("accounts:your_account"))


@login_not_required
@does_not_extend_session
@require_GET
def session_status(request):
    """How long the session has left, for the inactivity warning. Asking is
    not activity (accounts.middleware)."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "expires_in": 0})
    return JsonResponse({"signed_in": True, "expires_in": security.session_expires_in(request)})


@require_POST
def keep_alive(request):
    """The warning's "Stay signed in" button."""
    security.note_activity(request, force=True)
    return JsonResponse({"signed_in": True, "expires_in": security.session_expires_in(request)})


# Managing the council's users ---------------------------------------------------------


def _managed_user_or_404(request, pk):
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    user = policy.users_manageable_by(request.user).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


USERS_PAGE_SIZE = 50


def user_list(request):
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    search = searched(request)
    users = policy.users_manageable_by(request.user)
    if search:
        users = users.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    # A council's staff, and every leaver kept since: a page at a time, the
    # active first.
    page = counted_page(
        users.annotate(sign_in_locked=security.locked_for_some_clients())
        .prefetch_related("roles", "memberships__organisation")
        .order_by("-is_active", "full_name", "pk"),
        request.GET.get("page"),
        USERS_PAGE_SIZE,
    )
    waiting = services.pending_role_requests(request.user).count()
    failed_emails = outbox.failed_for(request.user).count()
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "search": search, "waiting": waiting, "failed_emails": failed_emails},
    )


@require_http_methods(["GET", "POST"])
def user_invite(request):
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    form = InviteUserForm(posted(request), local_authority=request.user.local_authority)
    done = run_form_action(
        request,
        form,
        lambda data: services.invite_user(request.user, request=request, **data),
        success=lambda user: _("Invitation sent to %(email)s") % {"email": user.email},
        then=reverse("accounts:user_list"),
    )
    if done:
        return done
    return render(request, "accounts/user_invite.html", {"form": form})


@require_http_methods(["GET", "POST"])
def user_edit(request, pk):
    managed = _managed_user_or_404(request, pk)
    initial = {
        "full_name": managed.full_name,
        "job_title": managed.job_title,
        "organisations": list(managed.organisations.all()),
        "roles": list(managed.roles.values_list("role", flat=True)),
    }
    form = UserDetailsForm(
        posted(request), initial=initial, local_authority=request.user.local_authority
    )

    def then(asked):
        # After "Details saved": roles that wait for a second administrator.
        if asked:
            messages.info(request, _role_requests_sent(asked))
        return reverse("accounts:user_list")

    done = run_form_action(
        request,
        form,
        lambda data: services.update_user(request.user, managed, request=request, **data),
        success=lambda _asked: _("Details saved for %(name)s") % {"name": managed},
        then=then,
    )
    if done:
        return done
    return render(
        request,
        "accounts/user_edit.html",
        {
            "form": form,
            "managed": managed,
            "has_two_factor": security.authenticator(managed) is not None,
            "locked_until": (ends := security.lock_ends(managed)) and security.clock_time(ends),
            "role_requests": services.pending_role_requests(request.user).filter(user=managed),
        },
    )


def _role_requests_sent(asked):
    return _(
        "%(roles)s: another LA administrator of the council must approve this before it "
        "takes effect. They have been told."
    ) % {"roles": services.role_labels(r.role for r in asked)}


@require_http_methods(["GET", "POST"])
def role_requests(request):
    """Roles that see cases, waiting for a second LA administrator."""
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    pending = services.pending_role_requests(request.user)
    form = RoleDecisionForm(posted(request))

    def decide(data):
        role_request = pending.filter(pk=data["request"]).first()
        if role_request is None or not services.may_decide(request.user, role_request):
            raise Http404
        services.decide_role_request(
            request.user, role_request, approve=data["decision"] == "approve", request=request
        )
        return role_request

    def decided(role_request):
        done = (
            _("%(role)s given to %(name)s")
            if form.cleaned_data["decision"] == "approve"
            else _("%(role)s refused for %(name)s")
        )
        return done % {"role": role_request.get_role_display(), "name": role_request.user}

    done = run_form_action(
        request, form, decide, success=decided, then=reverse("accounts:role_requests")
    )
    if done:
        return done
    rows = [{"request": r, "may_decide": services.may_decide(request.user, r)} for r in pending]
    return render(request, "accounts/role_requests.html", {"rows": rows, "form": form})


@require_POST
def user_unlock(request, pk):
    managed = _managed_user_or_404(request, pk)
    services.unlock_user(request.user, managed, request=request)
    messages.success(request, _("%(name)s can sign in again") % {"name": managed})
    return redirect("accounts:user_edit", pk=managed.pk)


@require_http_methods(["GET", "POST"])
def user_reset_two_factor(request, pk):
    managed = _managed_user_or_404(request, pk)
    form = ResetTwoFactorForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.reset_two_factor(
            request.user, managed, reason=data["reason"], request=request
        ),
        success=_(
            "Two-factor sign-in reset for %(name)s. They will set it up again "
            "when they next sign in."
        )
        % {"name": managed},
        then=reverse("accounts:user_edit", kwargs={"pk": managed.pk}),
    )
    if done:
        return done
    return render(
        request, "accounts/user_reset_two_factor.html", {"form": form, "managed": managed}
    )


@require_http_methods(["GET", "POST"])
def user_deactivate(request, pk):
    managed = _managed_user_or_404(request, pk)
    form = DeactivateUserForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.deactivate_user(
            request.user, managed, reason=data["reason"], request=request
        ),
        success=_("%(name)s can no longer sign in") % {"name": managed},
        then=reverse("accounts:user_list"),
    )
    if done:
        return done
    # The count only: administrators see no case records.
    open_cases = services.open_cases_led_by(managed).count()
    return render(
        request,
        "accounts/user_deactivate.html",
        {
            "form": form,
            "managed": managed,
            "open_cases": open_cases,
            # An administrator who also looks after cases may reallocate them.
            "can_reallocate": policy.can_reallocate_cases(request.user),
        },
    )


@login_not_required
@require_http_methods(["GET", "POST"])
@councils.any_council
def accept_invitation(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/invitation_invalid.html", status=400)
    form = ChoosePasswordForm(user, posted(request))
    if request.method == "POST" and form.is_valid():
        services.accept_invitation(user, form.cleaned_data["new_password1"], request=request)
        messages.success(request, _("Your password is set. Sign in to continue."))
        return redirect("accounts:sign_in")
    return render(request, "accounts/accept_invitation.html", {"form": form, "invited": user})


@require_http_methods(["GET", "POST"])
def la_settings(request):
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    la = request.user.local_authority
    # The form validates its own copy: the service compares against the stored one.
    form = LocalAuthoritySettingsForm(
        posted(request), instance=LocalAuthority.objects.get(pk=la.pk)
    )
    done = run_form_action(
        request,
        form,
        lambda data: services.update_local_authority_settings(
            request.user, la, data, request=request
        ),
        success=lambda _result: _("Settings saved for %(la)s") % {"la": la.name},
        then=reverse("accounts:la_settings"),
    )
    if done:
        return done
    if request.method == "POST":
        # A refused change may have been half applied to `la`: show what is saved.
        la.refresh_from_db()
    return render(request, "accounts/la_settings.html", {"form": form, "la": la})
