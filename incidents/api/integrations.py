"""Inbound monitoring: Prometheus Alertmanager's webhook and a generic event form, both behind an API token."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.api.auth import uses_token
from incidents.api.idempotency import idempotent
from incidents.api.schema import IDEMPOTENCY_KEY, errors
from incidents.integrations import alerts
from incidents.permissions import is_agent

LABELS = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000), required=False)


class AlertmanagerAlertSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["firing", "resolved"], required=False)
    labels = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=2000))
    annotations = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=20000), required=False, default=dict
    )
    startsAt = serializers.CharField(required=False, allow_blank=True, max_length=64)  # noqa: N815 - Alertmanager's names
    endsAt = serializers.CharField(required=False, allow_blank=True, max_length=64)  # noqa: N815
    generatorURL = serializers.CharField(required=False, allow_blank=True, max_length=2000)  # noqa: N815
    fingerprint = serializers.CharField(required=False, allow_blank=True, max_length=255)


class AlertmanagerPayloadSerializer(serializers.Serializer):
    """Alertmanager's webhook body (version 4); unknown top-level keys are ignored."""

    version = serializers.CharField(required=False, max_length=10)
    status = serializers.ChoiceField(choices=["firing", "resolved"], required=False)
    receiver = serializers.CharField(required=False, allow_blank=True, max_length=200)
    groupKey = serializers.CharField(required=False, allow_blank=True, max_length=2000)  # noqa: N815
    commonAnnotations = serializers.DictField(  # noqa: N815
        child=serializers.CharField(allow_blank=True, max_length=20000), required=False, default=dict
    )
    externalURL = serializers.CharField(required=False, allow_blank=True, max_length=2000)  # noqa: N815
    alerts = AlertmanagerAlertSerializer(many=True, allow_empty=False, max_length=500)

    def validate_version(self, value):
        if value not in ("4",):
            raise serializers.ValidationError("Only version 4 of Alertmanager's webhook payload is supported.")
        return value


class EventSerializer(serializers.Serializer):
    """A generic monitoring event; events with the same source and dedup_key belong to one incident."""

    source = serializers.CharField(max_length=80, help_text="The sending system, e.g. 'zabbix' or 'uptime-kuma'.")
    dedup_key = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        help_text="Same key, same incident. Required to acknowledge or resolve.",
    )
    action = serializers.ChoiceField(choices=["trigger", "acknowledge", "resolve"])
    summary = serializers.CharField(max_length=180, required=False, allow_blank=True)
    severity = serializers.ChoiceField(
        choices=["critical", "error", "warning", "info"], required=False, allow_blank=True, default=""
    )
    details = serializers.DictField(required=False, default=dict)
    link = serializers.URLField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs):
        errors = {}
        if attrs["action"] != "trigger" and not attrs.get("dedup_key"):
            errors["dedup_key"] = ["Give the dedup_key of the event to acknowledge or resolve."]
        if attrs["action"] == "trigger" and not attrs.get("summary"):
            errors["summary"] = ["Say in a few words what is wrong."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


OUTCOMES = inline_serializer(
    "AlertOutcomes",
    {
        "processed": serializers.IntegerField(),
        "results": inline_serializer(
            "AlertOutcome",
            {
                "key": serializers.CharField(),
                "action": serializers.ChoiceField(
                    choices=["opened", "repeated", "reopened", "acknowledged", "resolved", "ignored"]
                ),
                "incident": serializers.CharField(allow_null=True),
            },
            many=True,
        ),
    },
)


def _check_integration(request) -> None:
    if not uses_token(request):
        raise PermissionDenied("Monitoring integrations authenticate with an API token (Authorization: Bearer ...).")
    if not is_agent(request.user):
        raise PermissionDenied("The token's user must be an agent (create a dedicated integration user).")


def _answer(outcomes: list[alerts.Outcome]) -> Response:
    results = [
        {"key": o.key, "action": o.action, "incident": o.incident.number if o.incident else None} for o in outcomes
    ]
    opened = any(o.action == "opened" for o in outcomes)
    return Response(
        {"processed": len(results), "results": results},
        status=status.HTTP_201_CREATED if opened else status.HTTP_200_OK,
    )


ALERTMANAGER_EXAMPLE = {
    "version": "4",
    "groupKey": '{}:{alertname="HighErrorRate"}',
    "status": "firing",
    "receiver": "itsm",
    "groupLabels": {"alertname": "HighErrorRate"},
    "commonLabels": {"alertname": "HighErrorRate", "severity": "critical"},
    "commonAnnotations": {},
    "externalURL": "http://alertmanager:9093",
    "alerts": [
        {
            "status": "firing",
            "labels": {"alertname": "HighErrorRate", "severity": "critical", "instance": "erp-app-01", "job": "erp"},
            "annotations": {"summary": "5xx above 5% for 10 minutes", "description": "Error rate is 7.2%."},
            "startsAt": "2025-01-10T09:12:00Z",
            "endsAt": "0001-01-01T00:00:00Z",
            "generatorURL": "http://prometheus:9090/graph?g0.expr=...",
            "fingerprint": "c4a1e5b2d0f3a9e7",
        }
    ],
}


class AlertmanagerView(APIView):
    """POST /api/v1/integrations/alertmanager/: point an Alertmanager webhook receiver here."""

    @extend_schema(
        summary="Receive Alertmanager alerts (API token of an agent, write scope)",
        request=AlertmanagerPayloadSerializer,
        parameters=[IDEMPOTENCY_KEY],
        examples=[OpenApiExample("Firing", value=ALERTMANAGER_EXAMPLE, request_only=True)],
        responses={200: OUTCOMES, 201: OUTCOMES, **errors(400, 422)},
    )
    def post(self, request):
        _check_integration(request)
        return idempotent(request, lambda: self._receive(request))

    def _receive(self, request) -> Response:
        serializer = AlertmanagerPayloadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payload = {**request.data, **serializer.validated_data}
        outcomes = [alerts.process(alert, integration_user=request.user) for alert in alerts.from_alertmanager(payload)]
        return _answer(outcomes)


class EventView(APIView):
    """POST /api/v1/integrations/events/: trigger, acknowledge or resolve by (source, dedup_key)."""

    @extend_schema(
        summary="Receive a generic monitoring event (API token of an agent, write scope)",
        request=EventSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: OUTCOMES, 201: OUTCOMES, **errors(400, 422)},
    )
    def post(self, request):
        _check_integration(request)
        return idempotent(request, lambda: self._receive(request))

    def _receive(self, request) -> Response:
        serializer = EventSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        alert = alerts.from_event(serializer.validated_data)
        return _answer([alerts.process(alert, integration_user=request.user)])
