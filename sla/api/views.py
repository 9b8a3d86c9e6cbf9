"""SLA configuration (managers write, agents read) and an incident's timers (whoever may see the incident)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.api.lookup import find_incident
from incidents.permissions import can_configure, is_agent
from sla.api.serializers import CalendarSerializer, PolicySerializer, TimerSerializer
from sla.models import BusinessCalendar, SlaPolicy
from sla.summary import timers_for


class ConfigurePermission(permissions.BasePermission):
    """Agents read SLA configuration; managers change it; requesters get nothing."""

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return is_agent(request.user)
        return can_configure(request.user)


class CalendarViewSet(viewsets.ModelViewSet):
    queryset = BusinessCalendar.objects.prefetch_related("holidays").order_by("name")
    serializer_class = CalendarSerializer
    permission_classes = [permissions.IsAuthenticated, ConfigurePermission]
    ordering_fields = ["name", "updated_at"]


class PolicyViewSet(viewsets.ModelViewSet):
    queryset = SlaPolicy.objects.prefetch_related(
        "organizations", "services", "categories", "teams", "rules__notify_users"
    ).order_by("metric", "order", "name")
    serializer_class = PolicySerializer
    permission_classes = [permissions.IsAuthenticated, ConfigurePermission]
    filterset_fields = ["metric", "is_active", "calendar"]
    ordering_fields = ["name", "metric", "order", "updated_at"]


class IncidentSlaView(APIView):
    """GET /api/v1/incidents/<ref>/sla/: the incident's timers, cancelled ones included, with live figures."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=TimerSerializer(many=True), summary="SLA timers of one incident (by id or number)")
    def get(self, request, ref: str):
        incident = find_incident(request.user, ref)
        now = timezone.now()
        timers = timers_for([incident.pk], now, include_cancelled=is_agent(request.user))[incident.pk]
        return Response({"incident": incident.number, "now": now, "timers": TimerSerializer(timers, many=True).data})
