"""Read queries the knowledge pages and API share; each returns what a page needs in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from incidents.models import Category, Incident, Service
from knowledge import rights, search
from knowledge.choices import ArticleState, Audience
from knowledge.models import Article, ArticleVersion

LIST_FIELDS_DEFERRED = ("body", "body_text", "search_vector")


def filtered_articles(
    user,
    *,
    service: int | None = None,
    category: int | None = None,
    audience: str | None = None,
    state: str | None = None,
) -> QuerySet:
    """What `user` may see, narrowed by the filters; published only unless an agent asks for another state."""
    qs = rights.visible_articles(user)
    if rights.is_agent(user) and state in ArticleState.values:
        qs = qs.filter(state=state)
    elif not (rights.is_agent(user) and state == "any"):
        qs = qs.filter(state=ArticleState.PUBLISHED)
    if audience in Audience.values:
        qs = qs.filter(audience=audience)
    if service:
        qs = qs.filter(services=service)
    if category:
        # A top-level category includes its subcategories.
        qs = qs.filter(Q(categories=category) | Q(categories__parent=category))
    if service or category:
        qs = qs.distinct()
    return qs


def listing(qs: QuerySet) -> QuerySet:
    return qs.select_related("owner").defer(*LIST_FIELDS_DEFERRED)


def recently_updated(user, limit: int = 8) -> list[Article]:
    return list(listing(filtered_articles(user)).order_by("-published_at", "-id")[:limit])


def most_helpful(user, limit: int = 8) -> list[Article]:
    qs = filtered_articles(user).filter(helpful_count__gt=0)
    return list(listing(qs).order_by("-helpful_count", "not_helpful_count", "-solved_count", "-id")[:limit])


def browse_counts(user) -> tuple[list[Service], list[Category]]:
    """Services and top-level categories with how many published articles each has."""
    visible = filtered_articles(user).values("pk")
    services = list(
        Service.objects.filter(is_active=True)
        .annotate(article_count=Count("articles", filter=Q(articles__in=visible), distinct=True))
        .filter(article_count__gt=0)
        .order_by("name")
    )
    categories = list(
        Category.objects.filter(is_active=True, parent__isnull=True)
        .annotate(
            article_count=Count("articles", filter=Q(articles__in=visible), distinct=True)
            + Count("children__articles", filter=Q(children__articles__in=visible), distinct=True)
        )
        .filter(article_count__gt=0)
        .order_by("name")
    )
    return services, categories


def review_queue() -> list[ArticleVersion]:
    return list(
        ArticleVersion.objects.filter(status="in_review")
        .select_related("article", "article__owner", "author", "submitted_by")
        .defer("body", "article__body", "article__body_text", "article__search_vector")
        .order_by("submitted_at", "id")
    )


def stale_articles(user, limit: int = 20) -> list[Article]:
    from django.utils import timezone

    qs = Article.objects.filter(state=ArticleState.PUBLISHED, review_by__lt=timezone.localdate())
    if not rights.is_reviewer(user):
        qs = qs.filter(owner=user)
    return list(listing(qs).order_by("review_by", "id")[:limit])


def owned_articles(user, limit: int = 20) -> list[Article]:
    return list(listing(Article.objects.filter(owner=user)).order_by("-updated_at", "-id")[:limit])


def suggestions_for_incident(user, incident: Incident, *, limit: int) -> search.Results:
    return search.suggest(incident.short_description, incident.description, filtered_articles(user), limit=limit)


def linked_article_ids(incident: Incident) -> set[int]:
    return set(incident.knowledge_links.values_list("article_id", flat=True))
