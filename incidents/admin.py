"""Django admin for configuration; incidents and their timelines are read-only here (they change via the lifecycle)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from incidents.models import (
    Category,
    ConfigurationItem,
    Incident,
    Notification,
    NotificationAttempt,
    Organization,
    PriorityRule,
    Service,
    Team,
    TimelineEntry,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "organization", "is_active")
    list_filter = ("groups", "organization", "is_active", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Service desk", {"fields": ("organization", "is_org_contact", "phone", "time_zone")}),
    )
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Service desk", {"fields": ("email", "organization")}))


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "email_domain", "is_active")
    search_fields = ("name", "email_domain")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "manager", "escalation_team", "is_active")
    search_fields = ("name",)
    filter_horizontal = ("members",)
    autocomplete_fields = ("manager", "escalation_team")


class ConfigurationItemInline(admin.TabularInline):
    model = ConfigurationItem
    extra = 0


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "portal_name", "owner_team", "is_active")
    search_fields = ("name", "portal_name")
    list_filter = ("is_active", "owner_team")
    inlines = [ConfigurationItemInline]


@admin.register(ConfigurationItem)
class ConfigurationItemAdmin(admin.ModelAdmin):
    list_display = ("name", "service", "kind", "owner_team", "is_active")
    list_filter = ("service", "kind", "is_active")
    search_fields = ("name",)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "default_team", "is_active")
    list_filter = ("parent", "is_active")
    search_fields = ("name",)


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    list_display = ("impact", "urgency", "priority")
    list_editable = ("priority",)
    list_display_links = None

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("number", "short_description", "state", "priority", "assigned_team", "assignee", "created_at")
    list_filter = ("state", "priority", "channel", "is_major")
    search_fields = ("number", "short_description")
    list_select_related = ("assigned_team", "assignee")
    show_full_result_count = False


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyAdmin):
    list_display = ("incident", "kind", "actor", "created_at", "field", "is_public")
    list_filter = ("kind",)
    list_select_related = ("incident", "actor")
    show_full_result_count = False


class AttemptInline(admin.TabularInline):
    model = NotificationAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "success", "response_code", "error")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("kind", "recipient", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "channel", "kind")
    search_fields = ("recipient", "key")
    inlines = [AttemptInline]
    show_full_result_count = False
