from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import policy
from core.forms import apply_validation_error, posted

from . import services
from .forms import (
    ChoosePasswordForm,
    DeactivateUserForm,
    InviteUserForm,
    LocalAuthoritySettingsForm,
    SignInForm,
    UserDetailsForm,
)
from .models import LocalAuthority, User


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


sign_in = login_not_required(SignInView.as_view())
sign_out = auth_views.LogoutView.as_view()


def _managed_user_or_404(request, pk):
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    user = policy.users_manageable_by(request.user).filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def user_list(request):
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    users = (
        policy.users_manageable_by(request.user)
        .prefetch_related("roles", "memberships__organisation")
        .order_by("-is_active", "full_name")
    )
    return render(request, "accounts/user_list.html", {"users": users})


@require_http_methods(["GET", "POST"])
def user_invite(request):
    if not policy.can_manage_users(request.user):
        raise PermissionDenied
    form = InviteUserForm(posted(request), local_authority=request.user.local_authority)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invite_user(request.user, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Invitation sent to %(email)s") % {"email": user.email})
            return redirect("accounts:user_list")
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
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(request.user, managed, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Details saved for %(name)s") % {"name": managed})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_edit.html", {"form": form, "managed": managed})


@require_http_methods(["GET", "POST"])
def user_deactivate(request, pk):
    managed = _managed_user_or_404(request, pk)
    form = DeactivateUserForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.deactivate_user(
                request.user, managed, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s can no longer sign in") % {"name": managed})
            return redirect("accounts:user_list")
    open_cases = services.open_cases_led_by(managed)
    return render(
        request,
        "accounts/user_deactivate.html",
        {"form": form, "managed": managed, "open_cases": open_cases},
    )


@login_not_required
@require_http_methods(["GET", "POST"])
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
    if request.method == "POST" and form.is_valid():
        try:
            services.update_local_authority_settings(
                request.user, la, form.cleaned_data, request=request
            )
        except ValidationError as error:
            la.refresh_from_db()
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Settings saved for %(la)s") % {"la": la.name})
            return redirect("accounts:la_settings")
    return render(request, "accounts/la_settings.html", {"form": form, "la": la})
