"""Django admin (/system-admin/) signs in through the service's own sign-in
pages, so system administrators use two-factor sign-in too, and every change
made in it goes into the audit trail."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse

from audit.models import Action
from audit.services import record

REASON = "changed in Django admin"


def _changed_names(message):
    """The names of the fields and related records a change touched, from
    Django admin's change message; never their values."""
    names = set()
    for entry in message if isinstance(message, list) else []:
        for kind, detail in entry.items():
            if kind == "changed" and "name" not in detail:
                names.update(field.lower() for field in detail.get("fields", []))
            elif detail.get("name"):
                names.add(str(detail["name"]).lower())
    return sorted(names)


def _record_change(action, request, obj, message):
    record(
        action,
        actor=request.user,
        obj=obj,
        request=request,
        changes={"fields": _changed_names(message)},
        reason=REASON,
    )


class AuditedModelAdmin:
    """Mixed into every ModelAdmin the site registers, ours and other
    packages' alike: each add, change and delete is also an audit event,
    written in the same transaction as the change."""

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        _record_change(Action.CREATE, request, obj, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        _record_change(Action.UPDATE, request, obj, message)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            record(Action.DELETE, actor=request.user, obj=obj, request=request, reason=REASON)
        return entries

    def response_action(self, request, queryset):
        # "Delete selected" logs, then deletes: both or neither.
        with transaction.atomic():
            return super().response_action(request, queryset)


def audited(admin_class):
    if issubclass(admin_class, AuditedModelAdmin):
        return admin_class
    return type(
        admin_class.__name__,
        (AuditedModelAdmin, admin_class),
        {"__module__": admin_class.__module__},
    )


class EarlyHelpAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, audited(admin_class or admin.ModelAdmin), **options)

    @login_not_required
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            # Signed in, but not a system administrator.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
