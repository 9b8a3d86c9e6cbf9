"""Post-incident reviews: drafts by agents, publishing by managers, the assembled timeline, actions, exports."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from incidents.models import TimelineEntry
from reporting import reviews
from reporting.models import PostIncidentReview
from tests import factories
from tests.reporting.helpers import at, create, resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def major(agent, team):
    a, b = factories.RequesterFactory(username="ann"), factories.RequesterFactory(username="bob")
    parent = create(
        when=at("2025-03-04T08:00:00+00:00"),
        caller=a,
        is_major=True,
        assigned_team=team,
        short_description="Email down for everyone",
    )
    create(when=at("2025-03-04T08:20:00+00:00"), caller=b, parent=parent, short_description="No mail")
    resolve(parent, agent, at("2025-03-04T10:30:00+00:00"))
    parent.refresh_from_db()
    return parent


def write_up(review, agent):
    return reviews.review_update(
        review=review,
        actor=agent,
        changes={
            "summary": "Mail stopped for 2.5 h.",
            "root_cause": "Expired TLS certificate on the MX gateway.",
            "contributing_factors": "No expiry monitoring.",
            "went_well": "Fast diagnosis.",
            "lessons": "Monitor certs.",
        },
    )


def test_an_agent_starts_a_review_of_a_major_incident_only(agent, major, team):
    review = reviews.review_create(incident=major, actor=agent)
    assert review.state == "draft"
    assert review.title.startswith(major.number)
    minor = create(when=at("2025-03-04T08:00:00+00:00"), assigned_team=team)
    with pytest.raises(reviews.ReviewError, match="not a major incident"):
        reviews.review_create(incident=minor, actor=agent)
    with pytest.raises(reviews.ReviewError, match="already has a review"):
        reviews.review_create(incident=major, actor=agent)


def test_impact_covers_duration_children_users_and_services(agent, major):
    impact = reviews.impact(major)
    assert impact["duration"] == 2.5 * 3600
    assert impact["children"] == 1
    assert impact["affected_users"] == 2
    assert impact["ongoing"] is False


def test_agents_submit_managers_publish_and_publishing_freezes_the_text_and_impact(agent, manager, major):
    review = reviews.review_create(incident=major, actor=agent)
    with pytest.raises(reviews.ReviewError, match="cannot become published"):
        reviews.review_transition(review=review, actor=manager, to_state="published")
    write_up(review, agent)
    review = reviews.review_transition(review=review, actor=agent, to_state="in_review")

    with pytest.raises(reviews.ReviewError) as refused:
        reviews.review_transition(review=review, actor=agent, to_state="published")
    assert refused.value.forbidden

    review = reviews.review_transition(review=review, actor=manager, to_state="published")
    assert review.published_by == manager
    assert review.impact_snapshot["children"] == 1
    with pytest.raises(reviews.ReviewError, match="published"):
        reviews.review_update(review=review, actor=agent, changes={"summary": "Changed"})
    review = reviews.review_transition(review=review, actor=manager, to_state="draft")
    assert review.published_at is None


def test_the_timeline_merges_the_children_highlights_and_manual_entries_in_time_order(agent, major):
    review = reviews.review_create(incident=major, actor=agent)
    child_entry = TimelineEntry.objects.filter(incident__parent=major).first()
    assert reviews.review_toggle_highlight(review=review, actor=agent, entry_id=child_entry.pk, note="First report")
    reviews.review_add_note(review=review, actor=agent, at=at("2025-03-04T08:10:00+00:00"), body="Vendor called")

    items = reviews.timeline(review)

    assert [item.at for item in items] == sorted(item.at for item in items)
    assert {item.incident for item in items} >= {major.number, child_entry.incident.number, ""}
    marked = [item for item in items if item.highlight]
    assert [item.text for item in marked][0] == "Vendor called"
    assert [item.entry_id for item in marked] == [None, child_entry.pk]
    assert marked[1].highlight_note == "First report"
    # toggling again removes the mark; entries of unrelated incidents are refused
    assert not reviews.review_toggle_highlight(review=review, actor=agent, entry_id=child_entry.pk)
    other = factories.make_incident()
    with pytest.raises(reviews.ReviewError):
        reviews.review_toggle_highlight(review=review, actor=agent, entry_id=other.timeline.first().pk)


def test_overdue_actions_are_flagged_and_markdown_holds_the_whole_review(agent, major):
    review = reviews.review_create(incident=major, actor=agent)
    write_up(review, agent)
    late = reviews.review_add_action(
        review=review,
        actor=agent,
        description="Add certificate monitoring",
        owner=agent,
        due_date=date.today() - timedelta(days=1),
    )
    reviews.review_add_action(
        review=review, actor=agent, description="Runbook for MX", owner=agent, due_date=date.today() + timedelta(days=7)
    )
    with pytest.raises(reviews.ReviewError, match="active agent"):
        reviews.review_add_action(
            review=review,
            actor=agent,
            description="x",
            owner=factories.RequesterFactory(username="zed"),
            due_date=date.today(),
        )
    assert late.is_overdue(timezone.localdate())

    from reporting.review_export import to_markdown

    text = to_markdown(PostIncidentReview.objects.get(pk=review.pk))
    assert text.startswith(f"# {major.number}")
    assert "## Root cause\n\nExpired TLS certificate on the MX gateway." in text
    assert "| Add certificate monitoring | " in text and "**overdue**" in text
    assert "- Child incidents: 1" in text


def test_review_pages_list_search_and_publish(client, agent, manager, major, requester):
    client.force_login(requester)
    assert client.get("/reports/reviews/").status_code == 403
    client.force_login(agent)
    response = client.post("/reports/reviews/new/", {"incident": major.number})
    review = PostIncidentReview.objects.get(incident=major)
    assert response["Location"] == f"/reports/reviews/{review.pk}/"
    client.post(
        f"/reports/reviews/{review.pk}/edit/",
        {
            "title": "Mail outage",
            "summary": "Mail stopped.",
            "root_cause": "Expired certificate",
            "impact_notes": "",
            "contributing_factors": "",
            "went_well": "",
            "lessons": "",
        },
    )
    client.post(f"/reports/reviews/{review.pk}/state/", {"to_state": "in_review"})
    assert client.post(f"/reports/reviews/{review.pk}/state/", {"to_state": "published"}).status_code == 403
    assert b"Mail outage" in client.get("/reports/reviews/", {"q": "certificate"}).content
    assert b"Mail outage" not in client.get("/reports/reviews/", {"q": "printer"}).content
    detail = client.get(f"/reports/reviews/{review.pk}/")
    assert detail.status_code == 200 and b"window.print()" in detail.content
    markdown = client.get(f"/reports/reviews/{review.pk}/review.md")
    assert markdown["Content-Type"].startswith("text/markdown")

    client.force_login(manager)
    client.post(f"/reports/reviews/{review.pk}/state/", {"to_state": "published"})
    review.refresh_from_db()
    assert review.state == "published"
    assert client.get("/api/v1/reports/reviews/", {"q": "certificate"}).json()["count"] == 1
