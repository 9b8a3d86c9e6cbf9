"""Incident serializers: they check the shape of input; incidents.lifecycle does the work."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from incidents.choices import Channel, EntryKind, Level, OnHoldReason, Priority, ResolutionCode, State
from incidents.filters import NUMBER
from incidents.models import Attachment, Category, ConfigurationItem, Incident, Service, Team, TimelineEntry, User
from incidents.permissions import is_agent

# --- references ----------------------------------------------------------------------------------------------------


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="display_name")
    email = serializers.CharField(help_text="May be empty.")


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class IncidentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    short_description = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)


class ErrorSerializer(serializers.Serializer):
    """The one error shape of the API."""

    type = serializers.CharField(help_text="A stable code: validation_error, not_found, stale_version, ...")
    detail = serializers.CharField(help_text="A sentence for people.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field (empty when the error is not about a field).",
    )


class RefField(serializers.Field):
    """An id (integer) of an active row; users also by username or email, incidents also by number."""

    default_error_messages = {
        "does_not_exist": "Nothing matches {value!r}.",
        "invalid": "Give an id.",
    }

    def __init__(self, queryset, *, lookups=("pk",), **kwargs):
        self.queryset = queryset
        self.lookups = lookups
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        text = str(data).strip()
        if not text or len(text) > 254 or "\x00" in text:
            self.fail("does_not_exist", value=str(data)[:60])
        qs = self.queryset.all()
        for lookup in self.lookups:
            if lookup == "pk":
                if text.isdigit() and len(text) <= 18:
                    found = qs.filter(pk=int(text)).first()
                    if found is not None:
                        return found
            elif lookup == "number":
                match = NUMBER.match(text)
                if match and text.upper().startswith("INC"):
                    found = qs.filter(number=f"INC{int(match.group(1)):07d}").first()
                    if found is not None:
                        return found
            else:
                found = qs.filter(**{f"{lookup}__iexact": text}).first()
                if found is not None:
                    return found
        self.fail("does_not_exist", value=text[:60])

    def to_representation(self, value):
        return value.pk


@extend_schema_field({"type": "integer", "description": "Id."})
class IdRefField(RefField):
    pass


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "Id, username or email."})
class UserRefField(RefField):
    def __init__(self, **kwargs):
        super().__init__(User.objects.filter(is_active=True), lookups=("pk", "username", "email"), **kwargs)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "Id or number (INC...)."})
class IncidentRefField(RefField):
    def __init__(self, **kwargs):
        super().__init__(Incident.objects.all(), lookups=("pk", "number"), **kwargs)


def user_ref_field(**kwargs) -> RefField:
    return UserRefField(**kwargs)


def ref_field(queryset, **kwargs) -> RefField:
    return IdRefField(queryset, **kwargs)


# --- the incident ----------------------------------------------------------------------------------------------------


class IncidentSerializer(serializers.ModelSerializer):
    """An incident as the API returns it; `sla` (agents only) comes from the SLA engine when installed."""

    caller = UserRefSerializer(read_only=True)
    assignee = UserRefSerializer(read_only=True, allow_null=True)
    assigned_team = NamedRefSerializer(read_only=True, allow_null=True)
    service = NamedRefSerializer(read_only=True, allow_null=True)
    ci = NamedRefSerializer(read_only=True, allow_null=True)
    category = CategoryRefSerializer(read_only=True, allow_null=True)
    parent = serializers.SerializerMethodField()
    web_url = serializers.CharField(source="get_absolute_url", read_only=True)
    sla = serializers.SerializerMethodField()
    on_hold_reason = serializers.ChoiceField(choices=OnHoldReason.choices, allow_blank=True, read_only=True)
    resolution_code = serializers.ChoiceField(choices=ResolutionCode.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "number",
            "web_url",
            "short_description",
            "description",
            "state",
            "on_hold_reason",
            "priority",
            "impact",
            "urgency",
            "channel",
            "caller",
            "service",
            "ci",
            "category",
            "assigned_team",
            "assignee",
            "is_major",
            "parent",
            "resolution_code",
            "resolution_notes",
            "escalation_level",
            "reopen_count",
            "version",
            "created_at",
            "updated_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "cancelled_at",
            "sla",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "IncidentParentRef", {"id": serializers.IntegerField(), "number": serializers.CharField()}, allow_null=True
        )
    )
    def get_parent(self, obj):
        return {"id": obj.parent_id, "number": obj.parent.number} if obj.parent_id else None

    @extend_schema_field(
        inline_serializer(
            "SlaTimerSummary",
            {
                "metric": serializers.CharField(),
                "label": serializers.CharField(),
                "state": serializers.CharField(),
                "status": serializers.CharField(),
                "breached": serializers.BooleanField(),
                "due_at": serializers.DateTimeField(allow_null=True),
                "percent": serializers.FloatField(),
                "remaining_seconds": serializers.IntegerField(),
            },
            many=True,
        )
    )
    def get_sla(self, obj):
        summaries = self.context.get("sla") or {}
        return [
            {
                "metric": t.get("metric", ""),
                "label": t.get("label", ""),
                "state": t.get("state", ""),
                "status": t.get("status", ""),
                "breached": bool(t.get("breached")),
                "due_at": serializers.DateTimeField().to_representation(t["due_at"]) if t.get("due_at") else None,
                "percent": round(float(t.get("percent") or 0), 1),
                "remaining_seconds": int(t["remaining"].total_seconds()) if t.get("remaining") is not None else 0,
            }
            for t in summaries.get(obj.pk, [])
        ]


class IncidentDetailSerializer(IncidentSerializer):
    watchers = UserRefSerializer(many=True, read_only=True)

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "watchers"]
        read_only_fields = fields


def _active(model):
    return model.objects.filter(is_active=True)


AGENT_ONLY_CREATE_FIELDS = (
    "caller",
    "impact",
    "assigned_team",
    "assignee",
    "is_major",
    "parent",
    "watchers",
    "channel",
)


class IncidentCreateSerializer(serializers.Serializer):
    """Registering an incident; requesters register for themselves and may not route or rate it."""

    short_description = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000, default="")
    caller = user_ref_field(required=False, help_text="Agents only; defaults to you.")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, help_text="Agents only; default api.")
    service = ref_field(_active(Service), required=False, allow_null=True)
    ci = ref_field(_active(ConfigurationItem), required=False, allow_null=True)
    category = ref_field(_active(Category), required=False, allow_null=True)
    impact = serializers.ChoiceField(choices=Level.choices, required=False, help_text="Agents only.")
    urgency = serializers.ChoiceField(choices=Level.choices, required=False)
    assigned_team = ref_field(_active(Team), required=False, allow_null=True, help_text="Agents only.")
    assignee = user_ref_field(required=False, allow_null=True, help_text="Agents only.")
    is_major = serializers.BooleanField(required=False, help_text="Agents only.")
    parent = IncidentRefField(required=False, allow_null=True, help_text="Agents only.")
    watchers = serializers.ListField(child=user_ref_field(), required=False, max_length=50, help_text="Agents only.")

    def validate(self, attrs):
        user = self.context["request"].user
        if not is_agent(user):
            errors = {name: ["Only agents can set this."] for name in AGENT_ONLY_CREATE_FIELDS if name in attrs}
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class IncidentUpdateSerializer(serializers.Serializer):
    """The fields an agent may edit; state, assignment and links have their own endpoints."""

    short_description = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    caller = user_ref_field(required=False)
    service = ref_field(_active(Service), required=False, allow_null=True)
    ci = ref_field(_active(ConfigurationItem), required=False, allow_null=True)
    category = ref_field(_active(Category), required=False, allow_null=True)
    impact = serializers.ChoiceField(choices=Level.choices, required=False)
    urgency = serializers.ChoiceField(choices=Level.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    is_major = serializers.BooleanField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, write_only=True)

    ELSEWHERE = {
        "state": "Use POST .../transition/.",
        "assigned_team": "Use POST .../assign/.",
        "assignee": "Use POST .../assign/.",
        "parent": "Use POST .../children/ on the parent.",
        "watchers": "Use .../watchers/.",
    }

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields) if isinstance(self.initial_data, dict) else set()
        if unknown:
            raise serializers.ValidationError(
                {name: [self.ELSEWHERE.get(name, "This field cannot be changed.")] for name in sorted(unknown)}
            )
        if not {k for k in attrs if k != "reason"}:
            raise serializers.ValidationError("Send at least one field to change.")
        return attrs


# --- actions ---------------------------------------------------------------------------------------------------------


class TransitionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices)
    on_hold_reason = serializers.ChoiceField(
        choices=OnHoldReason.choices, required=False, allow_blank=True, default="", help_text="Needed for on_hold."
    )
    resolution_code = serializers.ChoiceField(
        choices=ResolutionCode.choices, required=False, allow_blank=True, default="", help_text="Needed for resolved."
    )
    resolution_notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=20000, help_text="Needed for resolved."
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000, help_text="Needed to reopen as the caller."
    )


class AssignSerializer(serializers.Serializer):
    """Omit a field to keep it, send null to clear it; assignee may be `me`."""

    team = ref_field(_active(Team), required=False, allow_null=True)
    assignee = UserRefField(required=False, allow_null=True, help_text="Id, username, email or `me`.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

    def to_internal_value(self, data):
        if (
            isinstance(data, dict)
            and isinstance(data.get("assignee"), str)
            and data["assignee"].strip().lower() == "me"
        ):
            data = {**data, "assignee": self.context["request"].user.pk}
        return super().to_internal_value(data)

    def validate(self, attrs):
        if "team" not in attrs and "assignee" not in attrs:
            raise serializers.ValidationError({"team": ["Give a team, an assignee, or both."]})
        return attrs


class EscalateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class NoteCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=50000)


class TimelineEntrySerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=EntryKind.choices)

    class Meta:
        model = TimelineEntry
        fields = ["id", "kind", "actor", "created_at", "field", "old_value", "new_value", "body", "is_public", "data"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    uploaded_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Attachment
        fields = ["id", "filename", "content_type", "size", "is_public", "uploaded_by", "created_at", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj) -> str:
        request = self.context.get("request")
        path = f"/api/v1/incidents/{obj.incident.number}/attachments/{obj.pk}/"
        return request.build_absolute_uri(path) if request else path


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    is_public = serializers.BooleanField(required=False, default=True, help_text="false: agents only.")


class WatcherSerializer(serializers.Serializer):
    user = user_ref_field(help_text="User id, username or email; requesters may only add themselves.")


class ChildLinkSerializer(serializers.Serializer):
    child = IncidentRefField()
