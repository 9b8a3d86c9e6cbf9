"""/api/v1/webhooks/: webhook subscriptions for managers and admins, their delivery log and a test event."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from incidents.api.pagination import KeysetPagination
from incidents.api.schema import errors
from incidents.integrations import subscriptions
from incidents.integrations.models import WebhookDelivery, WebhookEvent, WebhookSubscription
from incidents.permissions import is_manager


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), allow_empty=False, max_length=20
    )
    secret = serializers.CharField(read_only=True, help_text="Signs every delivery; see docs/api.md.")

    class Meta:
        model = WebhookSubscription
        fields = [
            "id",
            "name",
            "url",
            "events",
            "is_active",
            "secret",
            "consecutive_failures",
            "disabled_reason",
            "last_success_at",
            "last_failure_at",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "secret",
            "consecutive_failures",
            "disabled_reason",
            "last_success_at",
            "last_failure_at",
            "created_at",
        ]

    def validate_url(self, value: str) -> str:
        return subscriptions.clean_url(value)

    def validate_events(self, value: list[str]) -> list[str]:
        return sorted(set(value))


class AttemptSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    success = serializers.BooleanField()
    response_code = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()


class DeliverySerializer(serializers.ModelSerializer):
    status = serializers.CharField(source="notification.status")
    attempts = AttemptSerializer(source="notification.attempt_log", many=True)
    incident = serializers.CharField(source="notification.incident.number", default=None, allow_null=True)
    last_error = serializers.CharField(source="notification.last_error")

    class Meta:
        model = WebhookDelivery
        fields = ["id", "event_id", "event_type", "created_at", "status", "incident", "last_error", "attempts"]
        read_only_fields = fields


class DeliveryPagination(KeysetPagination):
    ordering_fields = ("created_at", "id")
    default_ordering = "-created_at"


class WebhookPagination(KeysetPagination):
    ordering_fields = ("name", "created_at", "id")
    default_ordering = "name"


@extend_schema_view(
    list=extend_schema(
        summary="Webhook subscriptions (managers)", responses={200: WebhookSerializer(many=True), **errors(400)}
    ),
    retrieve=extend_schema(summary="A subscription", responses={200: WebhookSerializer, **errors(404)}),
    create=extend_schema(summary="Subscribe a URL", responses={201: WebhookSerializer, **errors(400)}),
    partial_update=extend_schema(
        summary="Change a subscription", responses={200: WebhookSerializer, **errors(400, 404)}
    ),
    update=extend_schema(summary="Replace a subscription", responses={200: WebhookSerializer, **errors(400, 404)}),
    destroy=extend_schema(summary="Delete a subscription", responses={204: None, **errors(404)}),
)
class WebhookViewSet(viewsets.ModelViewSet):
    queryset = WebhookSubscription.objects.all()
    serializer_class = WebhookSerializer
    pagination_class = WebhookPagination
    filter_backends: list = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not is_manager(request.user):
            raise PermissionDenied("Only managers and admins manage webhooks.")

    def perform_create(self, serializer):
        serializer.save(created_by=self.request.user)

    def perform_update(self, serializer):
        with transaction.atomic():
            instance = subscriptions.save_changes(serializer)
        return instance

    def perform_destroy(self, instance):
        subscriptions.delete(instance)

    @extend_schema(
        summary="Delivery log of a subscription",
        responses={200: DeliverySerializer(many=True), **errors(400, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=DeliveryPagination)
    def deliveries(self, request, pk=None):
        sub = self.get_object()
        paginator = DeliveryPagination()
        qs = sub.deliveries.select_related("notification__incident").prefetch_related("notification__attempt_log")
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DeliverySerializer(page, many=True).data)

    @extend_schema(
        summary="Send a test event now",
        request=None,
        responses={200: DeliverySerializer, **errors(404)},
    )
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        sub = self.get_object()
        delivery = subscriptions.test(sub, actor=request.user)
        return Response(DeliverySerializer(delivery).data)

    @extend_schema(
        summary="Replace the signing secret", request=None, responses={200: WebhookSerializer, **errors(404)}
    )
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request, pk=None):
        sub = subscriptions.rotate_secret(self.get_object())
        return Response(WebhookSerializer(sub).data)
