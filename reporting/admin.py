"""Admin for reviews and subscriptions; rollups are rebuilt with `manage.py rebuild_rollups`, never edited."""

from django.contrib import admin

from reporting.models import ActionItem, PostIncidentReview, ReportSubscription, ReviewNote, RollupState


class ActionInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    autocomplete_fields = ["owner"]


class NoteInline(admin.TabularInline):
    model = ReviewNote
    extra = 0
    exclude = ["author"]


@admin.register(PostIncidentReview)
class PostIncidentReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "incident", "state", "created_at", "published_at"]
    list_filter = ["state"]
    search_fields = ["title", "incident__number", "summary", "root_cause"]
    raw_id_fields = ["incident"]
    readonly_fields = ["impact_snapshot", "published_at", "published_by", "created_by", "created_at", "updated_at"]
    inlines = [ActionInline, NoteInline]


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "team", "service", "priority", "is_active", "last_period_start"]
    list_filter = ["frequency", "is_active"]
    raw_id_fields = ["user"]


@admin.register(RollupState)
class RollupStateAdmin(admin.ModelAdmin):
    list_display = ["zone", "built_at", "refreshed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
