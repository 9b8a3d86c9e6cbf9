"""Serializers check shape and turn calendar arithmetic errors into field messages; services do the work."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from rest_framework import serializers

from incidents.choices import Channel, OnHoldReason, Priority
from incidents.models import Category, Organization, Service, Team, User
from sla import calendars
from sla.models import BusinessCalendar, EscalationRule, Holiday, SlaPolicy


def _known(value: list[str], allowed: list[str], label: str) -> list[str]:
    """The distinct values, sorted, or a field error naming the unknown ones and what is allowed."""
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise serializers.ValidationError(f"Unknown {label}: {', '.join(unknown)}; use {', '.join(allowed)}.")
    return sorted(set(value))


class HolidaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Holiday
        fields = ["date", "name"]


class CalendarSerializer(serializers.ModelSerializer):
    holidays = HolidaySerializer(many=True, required=False)

    class Meta:
        model = BusinessCalendar
        fields = ["id", "name", "timezone", "weekly_hours", "holidays", "description", "updated_at"]
        read_only_fields = ["updated_at"]

    def validate(self, attrs):
        zone = attrs.get("timezone", getattr(self.instance, "timezone", "UTC"))
        hours = attrs.get("weekly_hours", getattr(self.instance, "weekly_hours", None))
        try:
            calendars.parse_weekly_hours(hours)
        except ValueError as exc:
            raise serializers.ValidationError({"weekly_hours": [str(exc)]}) from None
        try:
            calendars.build(zone, hours)
        except ValueError as exc:
            message = str(exc)
            field = "timezone" if "zone" in message else "weekly_hours"
            raise serializers.ValidationError({field: [message[0].upper() + message[1:]]}) from None
        days = [h["date"] for h in attrs.get("holidays", [])]
        if len(days) != len(set(days)):
            raise serializers.ValidationError({"holidays": ["Each date may appear only once."]})
        return attrs

    @transaction.atomic
    def create(self, validated_data):
        holidays = validated_data.pop("holidays", [])
        calendar = BusinessCalendar.objects.create(**validated_data)
        Holiday.objects.bulk_create([Holiday(calendar=calendar, **h) for h in holidays])
        return calendar

    @transaction.atomic
    def update(self, instance, validated_data):
        holidays = validated_data.pop("holidays", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save()
        if holidays is not None:
            instance.holidays.all().delete()
            Holiday.objects.bulk_create([Holiday(calendar=instance, **h) for h in holidays])
            instance.touch()
        return instance


class RuleSerializer(serializers.ModelSerializer):
    notify_users = serializers.PrimaryKeyRelatedField(many=True, queryset=User.objects.all(), required=False)
    notify_team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True)

    class Meta:
        model = EscalationRule
        fields = [
            "id",
            "at_percent",
            "reassign_to_escalation_team",
            "notify_team_manager",
            "notify_users",
            "notify_team",
            "raise_priority",
        ]

    def validate_at_percent(self, value):
        if not 1 <= value <= 1000:
            raise serializers.ValidationError("Give a percent of the target from 1 to 1000 (100 is the breach).")
        return value

    def validate(self, attrs):
        acts = (
            attrs.get("reassign_to_escalation_team")
            or attrs.get("notify_team_manager")
            or attrs.get("notify_users")
            or attrs.get("notify_team")
            or attrs.get("raise_priority")
        )
        if not acts:
            raise serializers.ValidationError("A rule needs at least one action.")
        return attrs


class PolicySerializer(serializers.ModelSerializer):
    rules = RuleSerializer(many=True, required=False)
    organizations = serializers.PrimaryKeyRelatedField(many=True, queryset=Organization.objects.all(), required=False)
    services = serializers.PrimaryKeyRelatedField(many=True, queryset=Service.objects.all(), required=False)
    categories = serializers.PrimaryKeyRelatedField(many=True, queryset=Category.objects.all(), required=False)
    teams = serializers.PrimaryKeyRelatedField(many=True, queryset=Team.objects.all(), required=False)
    priorities = serializers.ListField(child=serializers.IntegerField(), required=False)
    channels = serializers.ListField(child=serializers.CharField(), required=False)
    warning_thresholds = serializers.ListField(child=serializers.IntegerField(), required=False)
    pause_reasons = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = SlaPolicy
        fields = [
            "id",
            "name",
            "description",
            "is_active",
            "metric",
            "target",
            "calendar",
            "order",
            "warning_thresholds",
            "pause_reasons",
            "organizations",
            "priorities",
            "services",
            "categories",
            "teams",
            "channels",
            "rules",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate_target(self, value: timedelta):
        if value <= timedelta(0):
            raise serializers.ValidationError("The target must be longer than zero, e.g. 04:00:00.")
        if value > timedelta(days=366):
            raise serializers.ValidationError("The target may be at most a year.")
        return value

    def validate_warning_thresholds(self, value):
        if any(not 1 <= p <= 99 for p in value):
            raise serializers.ValidationError("Warning thresholds are percents of the target from 1 to 99.")
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Each warning threshold may appear only once.")
        return sorted(value)

    def validate_priorities(self, value):
        if any(p not in Priority.values for p in value):
            raise serializers.ValidationError("Priorities go from 1 to 5.")
        return sorted(set(value))

    def validate_channels(self, value):
        return _known(value, Channel.values, "channel(s)")

    def validate_pause_reasons(self, value):
        return _known(value, OnHoldReason.values, "on-hold reason(s)")

    _M2M = ("organizations", "services", "categories", "teams")

    @transaction.atomic
    def create(self, validated_data):
        rules = validated_data.pop("rules", [])
        m2m = {name: validated_data.pop(name) for name in self._M2M if name in validated_data}
        policy = SlaPolicy.objects.create(**validated_data)
        self._save_relations(policy, m2m, rules)
        return policy

    @transaction.atomic
    def update(self, instance, validated_data):
        rules = validated_data.pop("rules", None)
        m2m = {name: validated_data.pop(name) for name in self._M2M if name in validated_data}
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save()
        self._save_relations(instance, m2m, rules)
        return instance

    def _save_relations(self, policy, m2m, rules):
        for name, values in m2m.items():
            getattr(policy, name).set(values)
        if rules is not None:
            policy.rules.all().delete()
            for rule in rules:
                users = rule.pop("notify_users", [])
                created = EscalationRule.objects.create(policy=policy, **rule)
                created.notify_users.set(users)
        # Conditions and rules changed after the row was saved: bump it so every process reloads the policies.
        policy.save(update_fields=["updated_at"])


class TimerSerializer(serializers.Serializer):
    """One timer of /api/v1/incidents/<ref>/sla/ (durations as [DD] HH:MM:SS and in seconds)."""

    id = serializers.IntegerField()
    metric = serializers.CharField()
    label = serializers.CharField()
    policy = serializers.CharField()
    state = serializers.CharField()
    status = serializers.CharField()
    breached = serializers.BooleanField()
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    paused_at = serializers.DateTimeField(allow_null=True)
    stopped_at = serializers.DateTimeField(allow_null=True)
    target = serializers.DurationField()
    elapsed = serializers.DurationField()
    remaining = serializers.DurationField()
    target_seconds = serializers.SerializerMethodField()
    elapsed_seconds = serializers.SerializerMethodField()
    remaining_seconds = serializers.SerializerMethodField()
    percent = serializers.FloatField()
    warning_threshold = serializers.IntegerField()

    def get_target_seconds(self, obj) -> int:
        return int(obj["target"].total_seconds())

    def get_elapsed_seconds(self, obj) -> int:
        return int(obj["elapsed"].total_seconds())

    def get_remaining_seconds(self, obj) -> int:
        return int(obj["remaining"].total_seconds())
