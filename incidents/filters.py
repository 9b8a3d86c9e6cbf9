"""The one incident FilterSet, shared by the API list and the agent queue page."""

from __future__ import annotations

import re
from datetime import UTC

import django_filters as filters
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Exists, OuterRef, Q

from incidents.choices import Channel, Level, OnHoldReason, Priority, State
from incidents.models import Category, ConfigurationItem, Incident, Organization, Service, Team, User

NUMBER = re.compile(r"^\s*(?:INC)?0*(\d{1,10})\s*$", re.IGNORECASE)
SLA_OPEN = ("running", "paused")


class UtcIsoDateTimeField(filters.fields.IsoDateTimeField):
    """ISO 8601 with any offset, stored as UTC; offsets Postgres cannot take (e.g. -17:38) or overflowing years are
    a field error, not a database error."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(UTC)
        except (OverflowError, ValueError):
            raise ValidationError("Give a date and time between years 1 and 9999.", code="invalid") from None


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class IncidentFilterSet(filters.FilterSet):
    """Filters on state, people, catalog, dates, SLA status and free text; `me` and `none` work for the assignee."""

    # Plain columns of the incident: no join, so no DISTINCT (a DISTINCT over a million rows is a full sort).
    state = filters.MultipleChoiceFilter(choices=State.choices, distinct=False)
    on_hold_reason = filters.MultipleChoiceFilter(choices=OnHoldReason.choices, distinct=False)
    priority = filters.MultipleChoiceFilter(choices=Priority.choices, distinct=False)
    impact = filters.MultipleChoiceFilter(choices=Level.choices, distinct=False)
    urgency = filters.MultipleChoiceFilter(choices=Level.choices, distinct=False)
    channel = filters.MultipleChoiceFilter(choices=Channel.choices, distinct=False)
    team = filters.ModelMultipleChoiceFilter(field_name="assigned_team", queryset=Team.objects.all(), distinct=False)
    assignee = filters.CharFilter(method="filter_assignee", help_text="A user id, `me` or `none`.")
    caller = filters.ModelChoiceFilter(queryset=User.objects.all())
    service = filters.ModelMultipleChoiceFilter(queryset=Service.objects.all(), distinct=False)
    ci = filters.ModelChoiceFilter(queryset=ConfigurationItem.objects.all())
    category = filters.ModelChoiceFilter(queryset=Category.objects.all(), method="filter_category")
    major = filters.BooleanFilter(field_name="is_major")
    parent = filters.CharFilter(method="filter_parent", help_text="An incident id or number, or `none`.")
    open = filters.BooleanFilter(method="filter_open", help_text="true: new, in progress or on hold.")
    sla = filters.ChoiceFilter(
        choices=[("breached", "Breached"), ("at_risk", "At risk")],
        method="filter_sla",
        help_text="breached: a timer passed its target; at_risk: a warning threshold passed, not breached yet.",
    )
    created_after = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    updated_after = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="lt")
    resolved_after = UtcIsoDateTimeFilter(field_name="resolved_at", lookup_expr="gte")
    resolved_before = UtcIsoDateTimeFilter(field_name="resolved_at", lookup_expr="lt")
    organization = filters.ModelChoiceFilter(queryset=Organization.objects.all())
    reopened = filters.BooleanFilter(method="filter_reopened", help_text="true: reopened at least once.")
    escalated = filters.BooleanFilter(method="filter_escalated", help_text="true: escalated at least once.")
    rating = filters.MultipleChoiceFilter(
        field_name="rating__score", choices=[(n, str(n)) for n in range(1, 6)], help_text="The caller's rating, 1-5."
    )
    q = filters.CharFilter(method="filter_text", help_text="Number, or words in the short description or description.")

    class Meta:
        model = Incident
        fields: list[str] = []

    def filter_assignee(self, queryset, name, value):
        value = (value or "").strip().lower()
        if value == "me":
            user = getattr(self.request, "user", None)
            return queryset.filter(assignee_id=user.pk if user and user.is_authenticated else -1)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        if value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset.filter(assignee__username=value)

    def filter_category(self, queryset, name, value):
        # A top-level category also matches its subcategories.
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    def filter_parent(self, queryset, name, value):
        value = (value or "").strip()
        if value.lower() == "none":
            return queryset.filter(parent__isnull=True)
        match = NUMBER.match(value)
        if value.upper().startswith("INC") and match:
            return queryset.filter(parent__number=f"INC{int(match.group(1)):07d}")
        return queryset.filter(parent_id=int(value)) if value.isdigit() else queryset.none()

    def filter_open(self, queryset, name, value):
        open_states = [State.NEW, State.IN_PROGRESS, State.ON_HOLD]
        return queryset.filter(state__in=open_states) if value else queryset.exclude(state__in=open_states)

    def filter_sla(self, queryset, name, value):
        # Timers live in the sla app; reaching their model through the reverse relation keeps incidents free of an
        # import of sla, and EXISTS avoids the join + DISTINCT that would sort the whole result.
        try:
            timer = queryset.model._meta.get_field("sla_timers").related_model
        except FieldDoesNotExist:
            return queryset.none()
        running = timer.objects.filter(incident=OuterRef("pk"), state__in=SLA_OPEN)
        if value == "breached":
            return queryset.filter(Exists(running.filter(breached=True)))
        if value == "at_risk":
            return queryset.filter(Exists(running.filter(breached=False, warning_threshold__gt=0)))
        return queryset

    def filter_reopened(self, queryset, name, value):
        return queryset.filter(reopen_count__gt=0) if value else queryset.filter(reopen_count=0)

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(escalation_level__gt=0) if value else queryset.filter(escalation_level=0)

    def filter_text(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        match = NUMBER.match(value)
        if match:
            return queryset.filter(number=f"INC{int(match.group(1)):07d}")
        return queryset.filter(search_vector=SearchQuery(value, config="english", search_type="websearch"))
