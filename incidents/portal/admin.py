"""Admin views of the portal's data: email preferences and report-form sessions (deflections)."""

from django.contrib import admin

from incidents.portal.models import Deflection, NotificationPreference, ReportSession, SuggestionOpen


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "confirmations", "replies", "status_changes", "solved", "updated_at")
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)


class SuggestionOpenInline(admin.TabularInline):
    model = SuggestionOpen
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "target", "opened_at")

    def has_add_permission(self, request, obj=None):
        return False


class _ReadOnly(admin.ModelAdmin):
    list_display = ("started_at", "user", "query", "outcome", "decided_at", "incident")
    list_filter = ("outcome",)
    search_fields = ("user__username", "query")
    date_hierarchy = "started_at"
    readonly_fields = ("token", "user", "started_at", "last_opened_at", "query", "incident", "outcome", "decided_at")
    inlines = [SuggestionOpenInline]
    list_select_related = ("user", "incident")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportSession)
class ReportSessionAdmin(_ReadOnly):
    pass


@admin.register(Deflection)
class DeflectionAdmin(_ReadOnly):
    list_display = ("decided_at", "user", "query", "started_at")
    list_filter = ()
    date_hierarchy = "decided_at"
