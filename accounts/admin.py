"""Django admin, for system administrators only (is_staff). Local authority
administrators manage their users in the service's own pages."""

from django.contrib import admin

from .models import District, LocalAuthority, Organisation, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "local_authority", "is_active"]
    list_filter = ["local_authority", "is_active"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "groups", "user_permissions"]
    inlines = [RoleGrantInline]


admin.site.register(LocalAuthority)
admin.site.register(District)
admin.site.register(Organisation)
