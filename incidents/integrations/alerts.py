"""Monitoring alerts into incidents: one open incident per alert key, repeats counted, recoveries noted.

Safe under retries and concurrent deliveries: the open AlertRecord row is claimed with INSERT ... ON CONFLICT on a
partial unique index (one open row per source and key). A second request delivering the same alert waits on that
index until the first commits, then finds the row and counts a repeat instead of opening a second incident.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from incidents import lifecycle
from incidents.choices import FINAL_STATES, OPEN_STATES, Channel, EntryKind, Level, ResolutionCode, State
from incidents.integrations.models import AlertLabelMapping, AlertRecord
from incidents.models import ConfigurationItem, Incident, Service, User

# Built-in impact and urgency by severity, used when no mapping rule sets them.
SEVERITY_LEVELS: dict[str, tuple[str, str]] = {
    "critical": (Level.HIGH, Level.HIGH),
    "page": (Level.HIGH, Level.HIGH),
    "error": (Level.MEDIUM, Level.HIGH),
    "major": (Level.MEDIUM, Level.HIGH),
    "warning": (Level.MEDIUM, Level.MEDIUM),
    "minor": (Level.LOW, Level.MEDIUM),
    "info": (Level.LOW, Level.LOW),
}
DEFAULT_LEVELS = (Level.MEDIUM, Level.MEDIUM)


@dataclass
class Alert:
    """One alert, whatever its source: Alertmanager's alerts[] items and generic events both become this."""

    source: str
    key: str
    action: str  # trigger, acknowledge, resolve
    summary: str
    labels: dict[str, str] = field(default_factory=dict)
    description: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    link: str = ""


@dataclass(frozen=True)
class Outcome:
    key: str
    action: str  # opened, repeated, reopened, acknowledged, resolved, ignored
    incident: Incident | None


@dataclass(frozen=True)
class Mapping:
    service: Service | None = None
    ci: ConfigurationItem | None = None
    category: object | None = None
    team: object | None = None
    impact: str = Level.MEDIUM
    urgency: str = Level.MEDIUM
    resolve_on_recovery: bool = False


def fingerprint(labels: dict[str, str]) -> str:
    """Alertmanager's fingerprint is missing in old versions: derive a stable one from the labels."""
    return hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16]


def parse_time(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    parsed = parse_datetime(value.replace("Z", "+00:00")) if len(value) <= 64 else None
    # Alertmanager sends 0001-01-01T00:00:00Z for "no end"; treat it as unknown.
    if parsed is None or parsed.year < 1971 or parsed.tzinfo is None:
        return None
    return parsed


def resolve_mapping(labels: dict[str, str]) -> Mapping:
    """The first active rule whose labels all match; impact and urgency fall back to the severity table."""
    severity = str(labels.get("severity", "")).lower()
    impact, urgency = SEVERITY_LEVELS.get(severity, DEFAULT_LEVELS)
    rule = next(
        (
            r
            for r in AlertLabelMapping.objects.filter(is_active=True).select_related("service", "ci")
            if r.matches(labels)
        ),
        None,
    )
    if rule is None:
        return Mapping(impact=impact, urgency=urgency)
    service, ci = rule.service, rule.ci
    if ci is None and rule.ci_label and labels.get(rule.ci_label):
        cis = ConfigurationItem.objects.filter(name__iexact=str(labels[rule.ci_label]), is_active=True)
        ci = (cis.filter(service=service) if service else cis).select_related("service").first()
    if service is None and rule.service_label and labels.get(rule.service_label):
        service = Service.objects.filter(name__iexact=str(labels[rule.service_label]), is_active=True).first()
    if ci is not None and service is not None and ci.service_id != service.pk:
        ci = None
    return Mapping(
        service=service,
        ci=ci,
        category=rule.category,
        team=rule.assigned_team,
        impact=rule.impact or impact,
        urgency=rule.urgency or urgency,
        resolve_on_recovery=rule.resolve_on_recovery,
    )


def _claim_open_row(alert: Alert, now: datetime) -> int | None:
    """Inserts the open row for this key; None when another (committed) open row already exists."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO integrations_alertrecord "
            "(source, dedup_key, incident_id, is_open, count, labels, first_seen_at, last_seen_at) "
            "VALUES (%s, %s, NULL, true, 1, %s, %s, %s) "
            "ON CONFLICT (source, dedup_key) WHERE is_open DO NOTHING RETURNING id",
            [alert.source, alert.key, json.dumps(alert.labels), now, now],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _describe(alert: Alert) -> str:
    lines = [alert.description.strip()] if alert.description.strip() else []
    if alert.started_at:
        lines.append(f"Firing since {alert.started_at.isoformat()}.")
    if alert.link:
        lines.append(f"Source: {alert.link}")
    if alert.labels:
        lines.append("Labels:\n" + "\n".join(f"  {k}={v}" for k, v in sorted(alert.labels.items())))
    lines.append(f"Alert key: {alert.source}/{alert.key}")
    return "\n\n".join(lines)


def _open_incident(alert: Alert, *, integration_user: User, previous: str = "") -> Incident:
    mapping = resolve_mapping(alert.labels)
    description = _describe(alert)
    if previous:
        description += f"\n\nThis alert opened {previous} before."
    return lifecycle.incident_create(
        actor=integration_user,
        caller=integration_user,
        short_description=alert.summary[:200] or f"Alert {alert.key}",
        description=description,
        channel=Channel.MONITORING,
        service=mapping.service,
        ci=mapping.ci,
        category=mapping.category,
        impact=mapping.impact,
        urgency=mapping.urgency,
        assigned_team=mapping.team,
    )


def _record(incident: Incident, body: str, data: dict, actor: User, now: datetime) -> None:
    lifecycle.incident_record_event(incident=incident, kind=EntryKind.ALERT, body=body, data=data, actor=actor, at=now)


def process(alert: Alert, *, integration_user: User) -> Outcome:
    """Applies one alert in its own transaction; returns what happened."""
    with transaction.atomic():
        now = timezone.now()
        if alert.action == "trigger":
            return _trigger(alert, integration_user=integration_user, now=now)
        record = (
            AlertRecord.objects.select_for_update(of=("self",))
            .filter(source=alert.source, dedup_key=alert.key, is_open=True)
            .select_related("incident")
            .first()
        )
        if record is None or record.incident is None:
            return Outcome(alert.key, "ignored", None)
        if alert.action == "acknowledge":
            return _acknowledge(record, alert, integration_user=integration_user, now=now)
        return _resolve(record, alert, integration_user=integration_user, now=now)


def _trigger(alert: Alert, *, integration_user: User, now: datetime) -> Outcome:
    claimed = _claim_open_row(alert, now)
    if claimed is not None:
        incident = _open_incident(alert, integration_user=integration_user)
        AlertRecord.objects.filter(pk=claimed).update(incident=incident)
        _record(incident, f"Alert {alert.key} fired.", {"alert": alert.key, "count": 1}, integration_user, now)
        return Outcome(alert.key, "opened", incident)
    record = (
        AlertRecord.objects.select_for_update(of=("self",))
        .select_related("incident")
        .get(source=alert.source, dedup_key=alert.key, is_open=True)
    )
    incident = record.incident
    if incident.state in FINAL_STATES:
        # Someone closed it while the alert kept firing: this is a new occurrence with its own incident.
        previous = incident.number
        AlertRecord.objects.filter(pk=record.pk).update(is_open=False, resolved_at=now)
        new = _open_incident(alert, integration_user=integration_user, previous=previous)
        AlertRecord.objects.create(
            source=alert.source,
            dedup_key=alert.key,
            incident=new,
            labels=alert.labels,
            first_seen_at=now,
            last_seen_at=now,
        )
        _record(
            new,
            f"Alert {alert.key} fired again after {previous} was closed.",
            {"alert": alert.key},
            integration_user,
            now,
        )
        return Outcome(alert.key, "opened", new)
    record.count += 1
    record.last_seen_at = now
    record.save(update_fields=["count", "last_seen_at"])
    data = {"alert": alert.key, "count": record.count}
    if incident.state == State.RESOLVED:
        incident = lifecycle.incident_transition(
            incident=incident, actor=integration_user, to_state=State.IN_PROGRESS, reason="The alert fired again."
        )
        _record(incident, f"Alert {alert.key} fired again ({record.count} times).", data, integration_user, now)
        return Outcome(alert.key, "reopened", incident)
    _record(incident, f"Alert {alert.key} is still firing ({record.count} times).", data, integration_user, now)
    return Outcome(alert.key, "repeated", incident)


def _acknowledge(record: AlertRecord, alert: Alert, *, integration_user: User, now: datetime) -> Outcome:
    incident = record.incident
    if record.acknowledged_at is None:
        record.acknowledged_at = now
        record.save(update_fields=["acknowledged_at"])
        _record(incident, f"Alert {alert.key} acknowledged at the source.", {"alert": alert.key}, integration_user, now)
        if incident.state == State.NEW:
            incident = lifecycle.incident_transition(
                incident=incident,
                actor=integration_user,
                to_state=State.IN_PROGRESS,
                reason="Acknowledged at the source.",
            )
    return Outcome(alert.key, "acknowledged", incident)


def _resolve(record: AlertRecord, alert: Alert, *, integration_user: User, now: datetime) -> Outcome:
    incident = record.incident
    record.is_open = False
    record.resolved_at = alert.ended_at or now
    record.save(update_fields=["is_open", "resolved_at"])
    when = (alert.ended_at or now).isoformat()
    _record(
        incident,
        f"Alert {alert.key} resolved at {when}.",
        {"alert": alert.key, "resolved": True},
        integration_user,
        now,
    )
    mapping = resolve_mapping(record.labels or alert.labels)
    if mapping.resolve_on_recovery and incident.state in OPEN_STATES:
        incident = lifecycle.incident_transition(
            incident=incident,
            actor=integration_user,
            to_state=State.RESOLVED,
            resolution_code=ResolutionCode.FIXED,
            resolution_notes=f"Resolved automatically: the monitoring alert {alert.key} recovered at {when}.",
        )
    return Outcome(alert.key, "resolved", incident)


# --- payloads ----------------------------------------------------------------------------------------------------


def _labels(value) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k)[:100]: str(v)[:500] for k, v in value.items() if not isinstance(v, dict | list)}


def from_alertmanager(payload: dict) -> list[Alert]:
    """Alertmanager webhook (version 4): one Alert per alerts[] item, with the item's own status."""
    common_annotations = _labels(payload.get("commonAnnotations"))
    out: list[Alert] = []
    for item in payload.get("alerts") or []:
        labels = _labels(item.get("labels"))
        annotations = {**common_annotations, **_labels(item.get("annotations"))}
        name = labels.get("alertname", "Alert")
        where = labels.get("instance") or labels.get("job") or ""
        summary = annotations.get("summary") or annotations.get("message") or name
        severity = labels.get("severity", "")
        title = f"[{severity}] " if severity else ""
        title += f"{name}: {summary}" if summary != name else name
        if where and where not in title:
            title += f" ({where})"
        status = str(item.get("status") or payload.get("status") or "firing").lower()
        out.append(
            Alert(
                source="alertmanager",
                key=str(item.get("fingerprint") or fingerprint(labels))[:255],
                action="resolve" if status == "resolved" else "trigger",
                summary=title[:200],
                labels=labels,
                description=annotations.get("description", ""),
                started_at=parse_time(item.get("startsAt")),
                ended_at=parse_time(item.get("endsAt")) if status == "resolved" else None,
                link=str(item.get("generatorURL") or "")[:500],
            )
        )
    # A stable order keeps two grouped deliveries from locking the same rows in opposite orders.
    return sorted(out, key=lambda a: a.key)


def from_event(data: dict) -> Alert:
    """The generic event form: source, dedup_key, action, summary, severity, details."""
    details = data.get("details") or {}
    labels = {"source": data["source"], "severity": data.get("severity", "")} | _labels(details)
    key = (
        data.get("dedup_key")
        or hashlib.sha256(f"{data['source']}\n{data.get('summary', '')}".encode()).hexdigest()[:32]
    )
    severity = data.get("severity", "")
    summary = data.get("summary") or f"Event from {data['source']}"
    description = json.dumps(details, indent=2, sort_keys=True, default=str) if details else ""
    return Alert(
        source=f"event:{data['source']}"[:100],
        key=key[:255],
        action=data["action"],
        summary=(f"[{severity}] " if severity else "") + summary,
        labels=labels,
        description=description,
        link=str(data.get("link") or "")[:500],
    )
