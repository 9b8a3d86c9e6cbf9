"""Admin for integrations: alert label mappings are configured here; tokens and alerts are read and revoked."""

from django.contrib import admin
from django.utils import timezone

from incidents.integrations.models import AlertLabelMapping, AlertRecord, ApiToken, WebhookSubscription


@admin.register(AlertLabelMapping)
class AlertLabelMappingAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "match_labels", "service", "ci", "category", "impact", "urgency", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active", "resolve_on_recovery")
    autocomplete_fields = ()
    fieldsets = (
        (None, {"fields": ("name", "position", "is_active", "match_labels")}),
        ("Incident fields", {"fields": ("service", "service_label", "ci", "ci_label", "category", "assigned_team")}),
        ("Priority", {"fields": ("impact", "urgency")}),
        ("Recovery", {"fields": ("resolve_on_recovery",)}),
    )


@admin.register(AlertRecord)
class AlertRecordAdmin(admin.ModelAdmin):
    list_display = ("source", "dedup_key", "incident", "is_open", "count", "first_seen_at", "last_seen_at")
    list_filter = ("is_open", "source")
    search_fields = ("dedup_key", "incident__number")
    readonly_fields = [f.name for f in AlertRecord._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "scope", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "token_hash", "scope", "created_at", "expires_at", "last_used_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        # Tokens are created by their owner on /account/tokens/ (or manage.py create_api_token): the secret is shown once.
        return False

    @admin.action(description="Revoke selected tokens")
    def revoke(self, request, queryset):
        queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "is_active", "consecutive_failures", "last_success_at", "last_failure_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    readonly_fields = ("secret", "consecutive_failures", "last_success_at", "last_failure_at", "created_by")
