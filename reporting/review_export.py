"""A post-incident review as Markdown (for wikis and tickets); the printable HTML is the review page itself."""

from __future__ import annotations

from django.utils import timezone

from reporting import reviews
from reporting.templatetags.reporting import duration


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z") if value else "—"


def _section(title: str, text: str) -> list[str]:
    return [f"## {title}", "", (text or "").strip() or "_Not written yet._", ""]


def to_markdown(review) -> str:
    """The whole review: facts, impact, narrative sections, highlighted timeline and action items."""
    impact = reviews.current_impact(review)
    incident = review.incident
    today = timezone.localdate()
    lines = [
        f"# {review.title}",
        "",
        f"- Incident: {incident.number} ({incident.get_state_display()})",
        f"- Review state: {review.get_state_display()}"
        + (f", published {_local(review.published_at)}" if review.published_at else ""),
        f"- Started: {_local(impact['started_at'])}",
        f"- Ended: {_local(impact['ended_at']) if impact['ended_at'] else 'ongoing'}",
        f"- Duration: {duration(impact['duration'])}",
        f"- Child incidents: {impact['children']}",
        f"- Affected users: {impact['affected_users']}",
        f"- Affected services: {', '.join(impact['services']) or '—'}",
        f"- SLA breaches: {impact['sla_breaches']}",
        "",
    ]
    lines += _section("Summary", review.summary)
    lines += _section("Impact", review.impact_notes)
    lines += _section("Root cause", review.root_cause)
    lines += _section("Contributing factors", review.contributing_factors)
    lines += _section("What went well", review.went_well)
    lines += _section("Lessons learned", review.lessons)
    lines += ["## Timeline (highlights)", ""]
    items = [item for item in reviews.timeline(review) if item.highlight]
    if not items:
        lines.append("_No highlights marked._")
    for item in items:
        source = f" {item.incident}" if item.incident else ""
        note = f" — {item.highlight_note}" if item.highlight_note else ""
        text = " ".join(item.text.split())
        lines.append(f"- **{_local(item.at)}**{source} ({item.kind}, {item.who or 'System'}): {text}{note}")
    lines += ["", "## Action items", ""]
    actions = list(review.actions.select_related("owner"))
    if not actions:
        lines.append("_No action items._")
    else:
        lines += ["| Action | Owner | Due | Status |", "| --- | --- | --- | --- |"]
        for action in actions:
            status = "done" if action.done_at else ("**overdue**" if action.is_overdue(today) else "open")
            description = action.description.replace("|", "\\|")
            lines.append(f"| {description} | {action.owner.display_name} | {action.due_date:%Y-%m-%d} | {status} |")
    return "\n".join(lines) + "\n"
