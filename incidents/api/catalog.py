"""Catalog and people: services, CIs, categories, teams, users (for caller lookups) and the priority matrix."""

from __future__ import annotations

import django_filters as filters
from django.db import transaction
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from incidents.api.pagination import KeysetPagination
from incidents.api.schema import errors
from incidents.api.serializers import NamedRefSerializer
from incidents.choices import Level, Priority, Role
from incidents.models import Category, ConfigurationItem, PriorityRule, Service, Team, User
from incidents.permissions import AGENT_ROLES, is_agent, is_manager
from incidents.priority import DEFAULT_MATRIX, LEVELS


class NamePagination(KeysetPagination):
    ordering_fields = ("name", "id")
    default_ordering = "name"


class UserPagination(KeysetPagination):
    ordering_fields = ("username", "last_name", "id")
    default_ordering = "username"


def _text(queryset, fields: tuple[str, ...], value: str):
    value = (value or "").strip()
    if not value:
        return queryset
    rule = Q()
    for field in fields:
        rule |= Q(**{f"{field}__icontains": value})
    return queryset.filter(rule)


# --- serializers -------------------------------------------------------------------------------------------------


class ServiceSerializer(serializers.ModelSerializer):
    owner_team = NamedRefSerializer(read_only=True, allow_null=True)
    portal_name = serializers.CharField(source="friendly_name", read_only=True)

    class Meta:
        model = Service
        fields = ["id", "name", "portal_name", "description", "owner_team", "is_active"]
        read_only_fields = fields


class ConfigurationItemSerializer(serializers.ModelSerializer):
    service = NamedRefSerializer(read_only=True)
    owner_team = NamedRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ConfigurationItem
        fields = ["id", "name", "kind", "service", "owner_team", "is_active"]
        read_only_fields = fields


class CategorySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)
    parent = NamedRefSerializer(read_only=True, allow_null=True)
    default_team = NamedRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = ["id", "name", "full_name", "parent", "default_team", "is_active"]
        read_only_fields = fields


class TeamSerializer(serializers.ModelSerializer):
    manager = serializers.SerializerMethodField()
    escalation_team = NamedRefSerializer(read_only=True, allow_null=True)
    member_ids = serializers.SerializerMethodField()
    email = serializers.CharField(read_only=True, help_text="The team's shared mailbox; empty when it has none.")

    class Meta:
        model = Team
        fields = ["id", "name", "email", "manager", "escalation_team", "member_ids", "is_active"]
        read_only_fields = fields

    def get_manager(self, obj) -> int | None:
        return obj.manager_id

    def get_member_ids(self, obj) -> list[int]:
        return sorted(member.pk for member in obj.members.all())


class UserSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    organization = NamedRefSerializer(read_only=True, allow_null=True)
    role = serializers.SerializerMethodField()
    email = serializers.CharField(read_only=True, help_text="May be empty.")

    class Meta:
        model = User
        fields = ["id", "username", "name", "email", "phone", "organization", "role", "is_active"]
        read_only_fields = fields

    def get_role(self, obj) -> str:
        names = {group.name for group in obj.groups.all()}
        if obj.is_superuser or Role.ADMIN in names:
            return Role.ADMIN
        for role in (Role.MANAGER, Role.AGENT):
            if role in names:
                return role
        return Role.REQUESTER


class PriorityCellSerializer(serializers.Serializer):
    impact = serializers.ChoiceField(choices=Level.choices, read_only=True)
    urgency = serializers.ChoiceField(choices=Level.choices, read_only=True)
    priority = serializers.ChoiceField(choices=Priority.choices)
    is_default = serializers.BooleanField(read_only=True, help_text="True when the cell has ITIL's standard value.")


# --- filters -----------------------------------------------------------------------------------------------------


class ServiceFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", help_text="Words in the name or portal name.")
    active = filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = Service
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return _text(queryset, ("name", "portal_name"), value)


class ConfigurationItemFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q")
    service = filters.ModelChoiceFilter(queryset=Service.objects.all())
    active = filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = ConfigurationItem
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return _text(queryset, ("name", "kind"), value)


class CategoryFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q")
    parent = filters.CharFilter(method="filter_parent", help_text="A category id, or `none` for top-level ones.")
    active = filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = Category
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return _text(queryset, ("name", "parent__name"), value)

    def filter_parent(self, queryset, name, value):
        value = (value or "").strip().lower()
        if value == "none":
            return queryset.filter(parent__isnull=True)
        return queryset.filter(parent_id=int(value)) if value.isdigit() and len(value) <= 18 else queryset.none()


class TeamFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q")
    member = filters.CharFilter(method="filter_member", help_text="A user id or `me`.")
    active = filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = Team
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return _text(queryset, ("name",), value)

    def filter_member(self, queryset, name, value):
        value = (value or "").strip().lower()
        if value == "me":
            return queryset.filter(members=self.request.user)
        return queryset.filter(members=int(value)) if value.isdigit() and len(value) <= 18 else queryset.none()


class UserFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", help_text="Part of the name, username or email (for caller fields).")
    role = filters.ChoiceFilter(
        choices=[("agent", "Agents, managers and admins"), ("requester", "Requesters")], method="filter_role"
    )
    team = filters.ModelChoiceFilter(queryset=Team.objects.all(), field_name="teams")
    active = filters.BooleanFilter(field_name="is_active")

    class Meta:
        model = User
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if " " in value:
            first, _, last = value.partition(" ")
            return queryset.filter(
                Q(first_name__istartswith=first, last_name__istartswith=last.strip())
                | Q(email__icontains=value)
                | Q(username__icontains=value)
            )
        return _text(queryset, ("username", "email", "first_name", "last_name"), value)

    def filter_role(self, queryset, name, value):
        agents = Q(is_superuser=True) | Q(groups__name__in=list(AGENT_ROLES))
        matching = User.objects.filter(agents).values("pk")
        return queryset.filter(pk__in=matching) if value == "agent" else queryset.exclude(pk__in=matching)


# --- viewsets ----------------------------------------------------------------------------------------------------


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    filter_backends = [DjangoFilterBackend]
    pagination_class = NamePagination


@extend_schema_view(
    list=extend_schema(summary="Services", responses={200: ServiceSerializer(many=True), **errors(400)}),
    retrieve=extend_schema(summary="A service", responses={200: ServiceSerializer, **errors(404)}),
)
class ServiceViewSet(_ReadOnly):
    """Every signed-in user may read the service catalog (requesters pick a service when reporting)."""

    queryset = Service.objects.select_related("owner_team")
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter


@extend_schema_view(
    list=extend_schema(
        summary="Configuration items", responses={200: ConfigurationItemSerializer(many=True), **errors(400)}
    ),
    retrieve=extend_schema(summary="A configuration item", responses={200: ConfigurationItemSerializer, **errors(404)}),
)
class ConfigurationItemViewSet(_ReadOnly):
    queryset = ConfigurationItem.objects.select_related("service", "owner_team")
    serializer_class = ConfigurationItemSerializer
    filterset_class = ConfigurationItemFilter


@extend_schema_view(
    list=extend_schema(summary="Categories", responses={200: CategorySerializer(many=True), **errors(400)}),
    retrieve=extend_schema(summary="A category", responses={200: CategorySerializer, **errors(404)}),
)
class CategoryViewSet(_ReadOnly):
    queryset = Category.objects.select_related("parent", "default_team")
    serializer_class = CategorySerializer
    filterset_class = CategoryFilter


@extend_schema_view(
    list=extend_schema(summary="Teams (agents)", responses={200: TeamSerializer(many=True), **errors(400)}),
    retrieve=extend_schema(summary="A team (agents)", responses={200: TeamSerializer, **errors(404)}),
)
class TeamViewSet(_ReadOnly):
    queryset = Team.objects.select_related("escalation_team").prefetch_related("members")
    serializer_class = TeamSerializer
    filterset_class = TeamFilter

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not is_agent(request.user):
            raise PermissionDenied("Only agents can list teams.")


@extend_schema_view(
    list=extend_schema(
        summary="People (agents see everyone; requesters only themselves)",
        responses={200: UserSerializer(many=True), **errors(400)},
    ),
    retrieve=extend_schema(summary="A person", responses={200: UserSerializer, **errors(404)}),
)
class UserViewSet(_ReadOnly):
    serializer_class = UserSerializer
    filterset_class = UserFilter
    pagination_class = UserPagination

    def get_queryset(self):
        qs = User.objects.select_related("organization").prefetch_related("groups")
        if is_agent(self.request.user):
            return qs
        return qs.filter(pk=self.request.user.pk)


class PriorityMatrixViewSet(viewsets.ViewSet):
    """The impact x urgency matrix: everyone signed in reads it, managers change cells."""

    serializer_class = PriorityCellSerializer
    lookup_value_regex = r"[a-z]+/[a-z]+"

    @staticmethod
    def _cells() -> list[dict]:
        configured = {(r.impact, r.urgency): r.priority for r in PriorityRule.objects.all()}
        cells = []
        for impact in LEVELS:
            for urgency in LEVELS:
                priority = configured.get((impact, urgency), DEFAULT_MATRIX[(impact, urgency)])
                cells.append(
                    {
                        "impact": impact,
                        "urgency": urgency,
                        "priority": priority,
                        "is_default": priority == DEFAULT_MATRIX[(impact, urgency)],
                    }
                )
        return cells

    @extend_schema(summary="The priority matrix", responses={200: PriorityCellSerializer(many=True), **errors()})
    def list(self, request):
        return Response(PriorityCellSerializer(self._cells(), many=True).data)

    def _cell(self, pk: str) -> tuple[str, str]:
        impact, _, urgency = (pk or "").partition("/")
        if impact not in LEVELS or urgency not in LEVELS:
            raise NotFound("Cells are addressed as <impact>/<urgency>, each high, medium or low.")
        return impact, urgency

    @extend_schema(
        summary="One cell (impact/urgency)",
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description="e.g. high/medium")],
        responses={200: PriorityCellSerializer, **errors(404)},
    )
    def retrieve(self, request, pk=None):
        impact, urgency = self._cell(pk)
        cell = next(c for c in self._cells() if c["impact"] == impact and c["urgency"] == urgency)
        return Response(PriorityCellSerializer(cell).data)

    @extend_schema(
        summary="Change one cell (managers)",
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description="e.g. high/medium")],
        request=PriorityCellSerializer,
        responses={200: PriorityCellSerializer, **errors(400, 404)},
    )
    def update(self, request, pk=None):
        impact, urgency = self._cell(pk)
        if not is_manager(request.user):
            raise PermissionDenied("Only managers can change the priority matrix.")
        serializer = PriorityCellSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            PriorityRule.objects.update_or_create(
                impact=impact, urgency=urgency, defaults={"priority": serializer.validated_data["priority"]}
            )
        return self.retrieve(request, pk=pk)

    @extend_schema(
        summary="Change one cell (managers)",
        parameters=[OpenApiParameter("id", str, OpenApiParameter.PATH, description="e.g. high/medium")],
        request=PriorityCellSerializer,
        responses={200: PriorityCellSerializer, **errors(400, 404)},
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk)
