"""Django admin: calendars (holidays inline, load holidays action), policies (rules inline), timers and events."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

from sla import calendars
from sla.models import BusinessCalendar, EscalationFiring, EscalationRule, Holiday, SlaEvent, SlaPolicy, SlaTimer


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0


class CalendarForm(forms.ModelForm):
    class Meta:
        model = BusinessCalendar
        fields = ["name", "timezone", "weekly_hours", "description"]

    def clean(self):
        data = super().clean()
        try:
            calendars.build(data.get("timezone") or "", data.get("weekly_hours"))
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        return data


class LoadHolidaysForm(forms.Form):
    country = forms.CharField(max_length=8, help_text="ISO code, e.g. PL, DE, US.")
    subdivision = forms.CharField(max_length=10, required=False)
    years = forms.CharField(help_text="Comma separated, e.g. 2026,2027.")


@admin.register(BusinessCalendar)
class CalendarAdmin(admin.ModelAdmin):
    form = CalendarForm
    list_display = ["name", "timezone", "updated_at"]
    inlines = [HolidayInline]
    actions = ["load_holidays"]

    @admin.action(description="Load public holidays from the holidays package")
    def load_holidays(self, request, queryset):
        if "apply" in request.POST:
            form = LoadHolidaysForm(request.POST)
            if form.is_valid():
                try:
                    years = [int(y) for y in form.cleaned_data["years"].split(",") if y.strip()]
                    total = sum(
                        calendars.load_holidays(
                            cal,
                            country=form.cleaned_data["country"],
                            years=years,
                            subdiv=form.cleaned_data["subdivision"] or None,
                        )
                        for cal in queryset
                    )
                except ValueError as exc:
                    self.message_user(request, str(exc), messages.ERROR)
                    return None
                self.message_user(request, f"{total} holidays added.", messages.SUCCESS)
                return None
        else:
            form = LoadHolidaysForm(initial={"years": f"{timezone.now().year},{timezone.now().year + 1}"})
        return render(
            request,
            "sla/admin/load_holidays.html",
            {**self.admin_site.each_context(request), "form": form, "calendars": queryset, "title": "Load holidays"},
        )


class RuleInline(admin.TabularInline):
    model = EscalationRule
    extra = 0
    filter_horizontal = ["notify_users"]


@admin.register(SlaPolicy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "metric", "target", "calendar", "priorities", "order", "is_active"]
    list_filter = ["metric", "is_active", "calendar"]
    filter_horizontal = ["organizations", "services", "categories", "teams"]
    inlines = [RuleInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Conditions and rules are saved after the row: bump it so every process reloads the policies.
        form.instance.save(update_fields=["updated_at"])


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SlaTimer)
class TimerAdmin(ReadOnlyAdmin):
    list_display = ["incident", "metric", "policy", "state", "breached", "warning_threshold", "due_at", "next_check_at"]
    list_filter = ["state", "breached", "metric"]
    list_select_related = ["incident", "policy"]
    raw_id_fields = ["incident"]
    search_fields = ["incident__number"]


@admin.register(SlaEvent)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["incident", "timer", "kind", "threshold", "due_at", "recorded_at"]
    list_filter = ["kind", "threshold"]
    list_select_related = ["incident"]
    search_fields = ["incident__number"]


@admin.register(EscalationFiring)
class FiringAdmin(ReadOnlyAdmin):
    list_display = ["timer", "rule", "fired_at"]
