"""The filters every report shares (date range, team, service, priority, ...), parsed once for pages and the API."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.utils import timezone

from incidents.choices import Priority
from incidents.models import Category, Organization, Service, Team
from reporting import periods

MAX_RANGE_DAYS = 3 * 366


@dataclass(frozen=True)
class ReportFilters:
    """An inclusive local date range in `zone` and optional dimensions (the incident's current values)."""

    start: date
    end: date
    zone: str
    team: int | None = None
    service: int | None = None
    priority: int | None = None
    category: int | None = None
    organization: int | None = None
    granularity: str = "day"
    calendar: int | None = None

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return periods.day_bounds(self.start, self.end, self.zone)

    @property
    def dimensions(self) -> dict[str, int]:
        """The dimension filters that are set, by name."""
        names = ("team", "service", "priority", "category", "organization")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}

    def with_range(self, start: date, end: date) -> ReportFilters:
        return replace(self, start=start, end=end)

    def query(self) -> dict[str, str]:
        """These filters as report query parameters (for links between report pages and exports)."""
        params = {"start": self.start.isoformat(), "end": self.end.isoformat(), "granularity": self.granularity}
        params.update({name: str(value) for name, value in self.dimensions.items()})
        if self.calendar:
            params["calendar"] = str(self.calendar)
        return params


def today_in(zone: str) -> date:
    """Today's date in the zone."""
    return timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(zone))


class ReportFilterForm(forms.Form):
    """start/end are local dates (inclusive); the others narrow the incidents by their current values."""

    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, empty_label="All teams")
    service = forms.ModelChoiceField(queryset=Service.objects.all(), required=False, empty_label="All services")
    priority = forms.TypedChoiceField(
        choices=[("", "All priorities"), *Priority.choices], coerce=int, required=False, empty_value=None
    )
    category = forms.ModelChoiceField(
        queryset=Category.objects.select_related("parent"), required=False, empty_label="All categories"
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.all(), required=False, empty_label="All organizations"
    )
    granularity = forms.ChoiceField(
        choices=[("day", "Day"), ("week", "Week"), ("month", "Month")], required=False, initial="day"
    )
    calendar = forms.IntegerField(required=False, min_value=1, help_text="Business calendar for business-time figures.")

    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone

    def clean_calendar(self):
        value = self.cleaned_data.get("calendar")
        if value is None:
            return None
        from sla.models import BusinessCalendar

        if not BusinessCalendar.objects.filter(pk=value).exists():
            raise forms.ValidationError("No business calendar has this id.")
        return value

    def clean(self):
        data = super().clean()
        end = data.get("end") or today_in(self.zone)
        start = data.get("start") or end - timedelta(days=settings.REPORTING_DEFAULT_DAYS - 1)
        if start > end:
            self.add_error("end", "The end date must not be before the start date.")
        elif (end - start).days >= MAX_RANGE_DAYS:
            self.add_error("start", f"Choose a range of at most {MAX_RANGE_DAYS} days.")
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> ReportFilters:
        """The parsed filters; call after is_valid()."""
        data = self.cleaned_data
        return ReportFilters(
            start=data["start"],
            end=data["end"],
            zone=self.zone,
            team=data["team"].pk if data.get("team") else None,
            service=data["service"].pk if data.get("service") else None,
            priority=data.get("priority"),
            category=data["category"].pk if data.get("category") else None,
            organization=data["organization"].pk if data.get("organization") else None,
            granularity=data.get("granularity") or "day",
            calendar=data.get("calendar"),
        )


def parse(params, user) -> tuple[ReportFilterForm, ReportFilters | None]:
    """Binds the query parameters for `user`'s zone; filters are None when the form has errors."""
    zone = periods.viewer_zone(user, settings.REPORTING_TIME_ZONE)
    form = ReportFilterForm(params, zone=zone)
    return form, (form.filters() if form.is_valid() else None)
