"""Django admin, for system administrators only (is_staff). Local authority
administrators manage their users in the service's own pages.

Every change made here is audited (accounts.admin_site). Django admin is no
way round the service's rules: nobody gives themselves a role that sees cases
here, and the council's LA administrators hear of any such role given to
someone else. Authenticator keys and recovery codes are never shown."""

from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .models import District, LocalAuthority, Organisation, RoleGrant, User


class RoleGrantFormSet(BaseInlineFormSet):
    # Set by RoleGrantInline.get_formset: who is saving.
    actor = None

    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return
        before = set(self.instance.roles.values_list("role", flat=True))
        after = {
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data.get("role") and not self._should_delete_form(form)
        }
        services.refuse_granting_oneself_case_roles(self.actor, self.instance, after - before)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    formset = RoleGrantFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.actor = request.user
        return formset


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "local_authority", "is_active"]
    list_filter = ["local_authority", "is_active"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "groups", "user_permissions"]
    inlines = [RoleGrantInline]

    def save_related(self, request, form, formsets, change):
        user = form.instance
        before = set(user.roles.values_list("role", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(user.roles.values_list("role", flat=True))
        services.roles_changed_in_django_admin(request.user, user, before, after, request=request)


class NoAddOrChange:
    """Devices are set up by their owner on the sign-in pages; here they can
    only be seen (without any secret) and deleted, which resets them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TOTPDeviceAdmin(NoAddOrChange, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__email"]


class StaticDeviceAdmin(NoAddOrChange, admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__email"]


# django-otp's own admin pages show the key and the codes: replaced.
for model, model_admin in [(TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    # The GOV.UK Notify key is set on the council's settings page and never shown.
    exclude = ["notify_api_key"]


admin.site.register(District)
admin.site.register(Organisation)
