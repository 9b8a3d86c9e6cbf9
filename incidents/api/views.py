"""/api/v1/incidents/: list, register, read and edit incidents; the actions live in incidents.api.actions."""

from __future__ import annotations

from django.db import transaction
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from incidents import lifecycle
from incidents.api.actions import IncidentActionsMixin
from incidents.api.concurrency import etag, expected_version, not_modified
from incidents.api.idempotency import idempotent
from incidents.api.lookup import find_incident, incident_queryset, incident_response, sla_summaries
from incidents.api.pagination import KeysetPagination
from incidents.api.schema import IDEMPOTENCY_KEY, IF_MATCH, IF_NONE_MATCH, errors
from incidents.api.serializers import (
    IncidentCreateSerializer,
    IncidentDetailSerializer,
    IncidentSerializer,
    IncidentUpdateSerializer,
)
from incidents.choices import Channel
from incidents.filters import IncidentFilterSet
from incidents.models import Incident
from incidents.permissions import is_agent, visible_incidents


class IncidentPagination(KeysetPagination):
    ordering_fields = ("created_at", "updated_at", "priority", "number", "state", "impact", "urgency", "id")
    default_ordering = "-created_at"


@extend_schema_view(
    list=extend_schema(summary="List incidents", responses={200: IncidentSerializer(many=True), **errors(400)}),
    retrieve=extend_schema(
        summary="Read one incident (by id or number)",
        parameters=[IF_NONE_MATCH],
        responses={
            200: IncidentDetailSerializer,
            304: OpenApiResponse(description="Not modified since the ETag you sent."),
            **errors(404),
        },
    ),
)
class IncidentViewSet(IncidentActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Incidents you may see: agents all, requesters their own and watched ones (others are 404)."""

    serializer_class = IncidentSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = IncidentFilterSet
    pagination_class = IncidentPagination
    lookup_field = "ref"
    lookup_url_kwarg = "ref"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return visible_incidents(self.request.user, incident_queryset())

    def get_object(self) -> Incident:
        return find_incident(self.request.user, self.kwargs.get("ref", ""))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "sla": getattr(self, "_sla", {})}

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._sla = sla_summaries(self.request.user, [incident.pk for incident in page])
        return page

    def retrieve(self, request, *args, **kwargs):
        incident = self.get_object()
        if not_modified(request, incident):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag(incident)})
        return incident_response(request, incident)

    @extend_schema(
        summary="Register an incident",
        request=IncidentCreateSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: IncidentDetailSerializer, **errors(400, 422)},
    )
    def create(self, request, *args, **kwargs):
        return idempotent(request, lambda: self._create(request))

    def _create(self, request) -> Response:
        serializer = IncidentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        incident = lifecycle.incident_create(
            actor=request.user,
            caller=data.pop("caller", None) or request.user,
            channel=data.pop("channel", None) or Channel.API,
            watchers=data.pop("watchers", []),
            **data,
        )
        location = f"/api/v1/incidents/{incident.number}/"
        return incident_response(
            request, incident, status_code=201, headers={"Location": location}, fresh_from_create=True
        )

    @extend_schema(
        summary="Edit an incident's fields (agents)",
        request=IncidentUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: IncidentDetailSerializer, **errors(400, 404, 409, 412)},
    )
    def partial_update(self, request, *args, **kwargs):
        incident = self.get_object()
        if not is_agent(request.user):
            raise PermissionDenied("Only agents can edit an incident's fields.")
        serializer = IncidentUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        with transaction.atomic():
            incident = lifecycle.incident_update(
                incident=incident,
                actor=request.user,
                changes=changes,
                reason=reason,
                expected_version=expected_version(request, incident),
            )
        return incident_response(request, incident)
