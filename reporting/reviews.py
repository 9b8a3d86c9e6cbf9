"""Post-incident reviews: create, edit, move through draft -> in review -> published, and assemble the timeline.

Agents write drafts; managers publish. A published review's text is frozen (its measured impact too); action items
can still be closed, since that work happens after the review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from incidents.models import Incident, TimelineEntry, User
from incidents.permissions import can_publish_review, can_write_review, is_agent
from reporting import metrics
from reporting.models import ActionItem, PostIncidentReview, ReviewHighlight, ReviewNote
from reporting.models.reviews import ReviewState

TEXT_FIELDS = ("title", "summary", "impact_notes", "root_cause", "contributing_factors", "went_well", "lessons")
# from -> to: who may move it ("agent" or "manager")
TRANSITIONS = {
    (ReviewState.DRAFT, ReviewState.IN_REVIEW): "agent",
    (ReviewState.IN_REVIEW, ReviewState.DRAFT): "agent",
    (ReviewState.IN_REVIEW, ReviewState.PUBLISHED): "manager",
    (ReviewState.PUBLISHED, ReviewState.DRAFT): "manager",
}


class ReviewError(Exception):
    """A review change that is not allowed, with a message for the user and the field it concerns."""

    def __init__(self, message: str, *, field: str | None = None, forbidden: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.forbidden = forbidden


def _require_writer(actor: User) -> None:
    if not can_write_review(actor):
        raise ReviewError("Only agents can write post-incident reviews.", forbidden=True)


def _require_editable(review: PostIncidentReview) -> None:
    if review.state == ReviewState.PUBLISHED:
        raise ReviewError("This review is published; a manager can take it back to draft to change it.")


def _lock(review: PostIncidentReview) -> PostIncidentReview:
    return PostIncidentReview.objects.select_for_update().get(pk=review.pk)


@transaction.atomic
def review_create(*, incident: Incident, actor: User) -> PostIncidentReview:
    """Starts the review of a major incident (one per incident), as a draft."""
    _require_writer(actor)
    if not incident.is_major:
        raise ReviewError(f"{incident.number} is not a major incident.", field="incident")
    existing = PostIncidentReview.objects.filter(incident=incident).first()
    if existing is not None:
        raise ReviewError(f"{incident.number} already has a review.", field="incident")
    now = timezone.now()
    return PostIncidentReview.objects.create(
        incident=incident,
        title=f"{incident.number}: {incident.short_description}"[:200],
        summary=incident.resolution_notes,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )


@transaction.atomic
def review_update(*, review: PostIncidentReview, actor: User, changes: dict[str, str]) -> PostIncidentReview:
    """Edits the text of a draft or a review in review."""
    _require_writer(actor)
    review = _lock(review)
    _require_editable(review)
    unknown = set(changes) - set(TEXT_FIELDS)
    if unknown:
        raise ReviewError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    if "title" in changes and not (changes["title"] or "").strip():
        raise ReviewError("Give the review a title.", field="title")
    for name, value in changes.items():
        setattr(review, name, (value or "").strip())
    review.updated_at = timezone.now()
    review.save(update_fields=[*changes, "updated_at"])
    return review


@transaction.atomic
def review_transition(*, review: PostIncidentReview, actor: User, to_state: str) -> PostIncidentReview:
    """Moves a review along draft -> in review -> published (and back); publishing freezes the measured impact."""
    review = _lock(review)
    who = TRANSITIONS.get((review.state, to_state))
    if who is None:
        raise ReviewError(
            f"A review that is {review.get_state_display().lower()} cannot become "
            f"{ReviewState(to_state).label.lower() if to_state in ReviewState.values else to_state}.",
            field="state",
        )
    allowed = can_publish_review(actor) if who == "manager" else can_write_review(actor)
    if not allowed:
        raise ReviewError("Only a manager can do this.", forbidden=True)
    fields = ["state", "updated_at"]
    if to_state == ReviewState.PUBLISHED:
        if not review.summary.strip() or not review.root_cause.strip():
            raise ReviewError("Write the summary and the root cause before publishing.", field="root_cause")
        review.impact_snapshot = _jsonable(impact(review.incident))
        review.published_at = timezone.now()
        review.published_by = actor
        fields += ["impact_snapshot", "published_at", "published_by"]
    elif review.state == ReviewState.PUBLISHED:
        review.impact_snapshot = {}
        review.published_at = None
        review.published_by = None
        fields += ["impact_snapshot", "published_at", "published_by"]
    review.state = to_state
    review.updated_at = timezone.now()
    review.save(update_fields=fields)
    return review


def _jsonable(data: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in data.items()}


def incident_tree_ids(incident: Incident) -> list[int]:
    """The major incident and all its descendants."""
    ids = [incident.pk]
    frontier = [incident.pk]
    while frontier:
        frontier = list(Incident.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]
        ids += frontier
    return ids


def impact(incident: Incident, *, now: datetime | None = None) -> dict:
    """Measured impact: start, end and duration, child incidents, affected services and users, SLA breaches."""
    from incidents.models import Service

    now = now or timezone.now()
    figures = metrics.major_impact([incident.pk]).get(incident.pk, {})
    ended = incident.resolved_at or incident.cancelled_at
    services = list(Service.objects.filter(pk__in=figures.get("service_ids", [])).values_list("name", flat=True))
    return {
        "started_at": incident.created_at,
        "ended_at": ended,
        "duration": round(((ended or now) - incident.created_at).total_seconds(), 1),
        "ongoing": ended is None,
        "children": figures.get("children", 0),
        "affected_users": figures.get("affected_users", 0),
        "services": sorted(services),
        "sla_breaches": figures.get("sla_breaches", 0),
    }


def current_impact(review: PostIncidentReview) -> dict:
    """The frozen impact of a published review, else measured now."""
    if review.state == ReviewState.PUBLISHED and review.impact_snapshot:
        snapshot = dict(review.impact_snapshot)
        for key in ("started_at", "ended_at"):
            if snapshot.get(key):
                snapshot[key] = datetime.fromisoformat(snapshot[key])
        return snapshot
    return impact(review.incident)


@dataclass
class TimelineItem:
    at: datetime
    incident: str
    kind: str
    who: str
    text: str
    entry_id: int | None = None
    note_id: int | None = None
    highlight: bool = False
    highlight_note: str = ""


def _entry_text(entry: TimelineEntry) -> str:
    if entry.field and (entry.old_value or entry.new_value):
        change = f"{entry.field}: {entry.old_value or '—'} → {entry.new_value or '—'}"
        return f"{change}. {entry.body}".strip() if entry.body else change
    return entry.body or entry.new_value or entry.get_kind_display()


def timeline(review: PostIncidentReview, *, highlights_only: bool = False) -> list[TimelineItem]:
    """The incident's and its children's timeline entries with the review's manual entries, in time order."""
    ids = incident_tree_ids(review.incident)
    marks = {h.entry_id: h.note for h in review.highlights.all()}
    entries = TimelineEntry.objects.filter(incident_id__in=ids).select_related("incident", "actor")
    if highlights_only:
        entries = entries.filter(pk__in=marks)
    items = [
        TimelineItem(
            at=entry.created_at,
            incident=entry.incident.number,
            kind=entry.get_kind_display(),
            who=entry.actor_name,
            text=_entry_text(entry),
            entry_id=entry.pk,
            highlight=entry.pk in marks,
            highlight_note=marks.get(entry.pk, ""),
        )
        for entry in entries.order_by("created_at", "id")
    ]
    for note in review.notes.select_related("author"):
        items.append(
            TimelineItem(
                at=note.at,
                incident="",
                kind="Note",
                who=note.author.display_name if note.author_id else "",
                text=note.body,
                note_id=note.pk,
                highlight=True,
            )
        )
    items.sort(key=lambda item: item.at)
    return items


@transaction.atomic
def review_toggle_highlight(*, review: PostIncidentReview, actor: User, entry_id: int, note: str = "") -> bool:
    """Marks (or unmarks) a timeline entry of the incident or its children as a key moment; returns the new mark."""
    _require_writer(actor)
    review = _lock(review)
    _require_editable(review)
    if not TimelineEntry.objects.filter(pk=entry_id, incident_id__in=incident_tree_ids(review.incident)).exists():
        raise ReviewError("That entry is not part of this incident's timeline.", field="entry")
    deleted, _ = ReviewHighlight.objects.filter(review=review, entry_id=entry_id).delete()
    if deleted:
        return False
    ReviewHighlight.objects.create(review=review, entry_id=entry_id, note=(note or "").strip()[:300])
    return True


@transaction.atomic
def review_add_note(*, review: PostIncidentReview, actor: User, at: datetime, body: str) -> ReviewNote:
    """Adds a manual timeline entry (something that happened outside the ticket)."""
    _require_writer(actor)
    review = _lock(review)
    _require_editable(review)
    if not (body or "").strip():
        raise ReviewError("Say what happened.", field="body")
    if at is None or timezone.is_naive(at):
        raise ReviewError("Give the time it happened.", field="at")
    return ReviewNote.objects.create(review=review, at=at, body=body.strip(), author=actor)


@transaction.atomic
def review_add_action(
    *, review: PostIncidentReview, actor: User, description: str, owner: User, due_date: date
) -> ActionItem:
    """Adds an action item with an owner (an active agent) and a due date."""
    _require_writer(actor)
    review = _lock(review)
    _require_editable(review)
    if not (description or "").strip():
        raise ReviewError("Describe the action.", field="description")
    if owner is None or not owner.is_active or not is_agent(owner):
        raise ReviewError("The owner must be an active agent.", field="owner")
    if due_date is None:
        raise ReviewError("Give a due date.", field="due_date")
    return ActionItem.objects.create(
        review=review, description=description.strip()[:300], owner=owner, due_date=due_date
    )


@transaction.atomic
def action_set_done(*, action: ActionItem, actor: User, done: bool = True) -> ActionItem:
    """Marks an action item done (or not done again); allowed on published reviews too."""
    _require_writer(actor)
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    action.done_at = timezone.now() if done else None
    action.save(update_fields=["done_at"])
    return action


def search(queryset, q: str):
    """Reviews matching words (title, summary, root cause, factors, lessons) or an incident number."""
    from django.contrib.postgres.search import SearchQuery

    q = (q or "").strip()
    if not q:
        return queryset
    return queryset.filter(
        Q(search_vector=SearchQuery(q, config="english", search_type="websearch"))
        | Q(incident__number__iexact=q)
        | Q(title__icontains=q)
    )
