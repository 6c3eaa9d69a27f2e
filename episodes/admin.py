from django.contrib import admin

from .models import HeadlineOutcome


@admin.register(HeadlineOutcome)
class HeadlineOutcomeAdmin(admin.ModelAdmin):
    """Outcome wording follows the programme's current publication; keys never change."""

    list_display = ["key", "label"]
    readonly_fields = ["key"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
