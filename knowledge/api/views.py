"""/api/v1/knowledge/articles/: read, search and suggest for everyone (by rights); write and review for agents."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from incidents.api.errors import body
from incidents.api.schema import errors
from incidents.models import Category
from incidents.permissions import visible_incidents
from knowledge import lifecycle, rights, search, selectors
from knowledge.api.serializers import (
    ArticleDetailSerializer,
    ArticleQuerySerializer,
    ArticleSerializer,
    ArticleWriteSerializer,
    CommentSerializer,
    DiffSerializer,
    FeedbackSerializer,
    SearchHitSerializer,
    SolvedSerializer,
    VersionSerializer,
    VersionSummarySerializer,
)
from knowledge.choices import ArticleState, Audience
from knowledge.diff import diff_versions, unified_text
from knowledge.errors import KnowledgeError
from knowledge.models import Article

ERROR_STATUS = {"forbidden": 403, "not_found": 404}
CATEGORIES = Prefetch("categories", queryset=Category.objects.select_related("parent"))
FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Full-text search (ranked, typo-tolerant, synonyms)."),
    OpenApiParameter("service", OpenApiTypes.INT, description="incidents Service id."),
    OpenApiParameter("category", OpenApiTypes.INT, description="Category id (a top-level one includes its children)."),
    OpenApiParameter("audience", OpenApiTypes.STR, enum=Audience.values, description="Agents only."),
    OpenApiParameter(
        "state", OpenApiTypes.STR, enum=[*ArticleState.values, "any"], description="Agents only; default published."
    ),
    OpenApiParameter("limit", OpenApiTypes.INT),
    OpenApiParameter("offset", OpenApiTypes.INT),
]
SUGGEST_PARAMETERS = [
    OpenApiParameter("incident", OpenApiTypes.STR, description="Agents: suggestions for this incident number."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Words typed so far (or short_description + description)."),
    OpenApiParameter("short_description", OpenApiTypes.STR),
    OpenApiParameter("description", OpenApiTypes.STR),
    OpenApiParameter("limit", OpenApiTypes.INT),
]
WRITE_ERRORS = errors(400, 404)


def _hits(results: search.Results, context: dict) -> list[dict]:
    prefetch_related_objects(results.articles, "services", CATEGORIES)
    # One list serializer: DRF builds the fields once, not once per hit.
    articles = ArticleSerializer(results.articles, many=True, context=context).data
    return [
        {
            "article": article,
            "score": hit.score,
            "title_html": str(hit.title_html),
            "snippet_html": str(hit.snippet),
            "fuzzy": hit.fuzzy,
        }
        for hit, article in zip(results.hits, articles, strict=True)
    ]


@extend_schema_view(
    list=extend_schema(
        summary="List or search articles",
        description="Without `q`: newest first. With `q`: ranked search hits (`results` of SearchHit).",
        parameters=FILTER_PARAMETERS,
        responses={200: ArticleSerializer(many=True), **errors(400)},
    ),
    retrieve=extend_schema(
        summary="Read one article (by id or slug)", responses={200: ArticleDetailSerializer, **errors(404)}
    ),
    create=extend_schema(
        summary="Write a new article (a draft)",
        request=ArticleWriteSerializer,
        responses={201: ArticleDetailSerializer, **errors(400)},
    ),
    update=extend_schema(
        summary="Save a new draft version",
        description="On a published article this starts (or updates) a draft version; the live one stays until published.",
        request=ArticleWriteSerializer,
        responses={200: ArticleDetailSerializer, **WRITE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Save a draft version with only some fields changed",
        request=ArticleWriteSerializer(partial=True),
        responses={200: ArticleDetailSerializer, **WRITE_ERRORS},
    ),
    destroy=extend_schema(summary="Delete a never-published article", responses={204: None, **WRITE_ERRORS}),
)
class ArticleViewSet(viewsets.GenericViewSet):
    """Knowledge articles. Requesters see published public articles only; anything else is 404 to them."""

    serializer_class = ArticleSerializer
    lookup_value_regex = r"[\w-]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    filter_backends: list = []

    def get_queryset(self):
        return rights.visible_articles(self.request.user).select_related("owner", "published_version")

    def get_object(self) -> Article:
        ref = self.kwargs["pk"]
        lookup = {"pk": int(ref)} if ref.isdigit() else {"slug": ref}
        article = self.get_queryset().filter(**lookup).first()
        if article is None:
            raise Http404
        return article

    def handle_exception(self, exc):
        if isinstance(exc, KnowledgeError):
            code = ERROR_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST)
            return Response(body(exc.code, exc.message, exc.as_dict() if exc.field else {}), status=code)
        return super().handle_exception(exc)

    def _require_agent(self) -> None:
        if not rights.is_agent(self.request.user):
            # Requesters can't write: for them the resource doesn't exist as a writable thing.
            raise Http404

    def _query(self) -> dict:
        serializer = ArticleQuerySerializer(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _detail(self, article: Article, code: int = status.HTTP_200_OK) -> Response:
        article = self.get_queryset().get(pk=article.pk)
        return Response(ArticleDetailSerializer(article, context=self.get_serializer_context()).data, status=code)

    # --- reading ---

    def list(self, request):
        params = self._query()
        filters = {
            "service": params["service"].pk if params.get("service") else None,
            "category": params["category"].pk if params.get("category") else None,
            "audience": params.get("audience"),
            "state": params.get("state"),
        }
        queryset = selectors.filtered_articles(request.user, **filters)
        limit = params.get("limit") or settings.KNOWLEDGE_SEARCH_PAGE_SIZE
        offset = params.get("offset") or 0
        if params.get("q"):
            results = search.search(params["q"], queryset, limit=limit, offset=offset)
            return Response(
                {"count": None, "has_more": results.has_more, "results": _hits(results, self.get_serializer_context())}
            )
        rows = list(
            selectors.listing(queryset)
            .prefetch_related("services", CATEGORIES)
            .order_by("-updated_at", "-id")[offset : offset + limit + 1]
        )
        data = ArticleSerializer(rows[:limit], many=True, context=self.get_serializer_context()).data
        return Response({"count": None, "has_more": len(rows) > limit, "results": data})

    def retrieve(self, request, pk=None):
        article = self.get_object()
        if article.state == ArticleState.PUBLISHED:
            lifecycle.article_record_view(article.pk)
        return self._detail(article)

    @extend_schema(
        summary="Suggest articles for an incident or for typed text",
        parameters=SUGGEST_PARAMETERS,
        responses={200: SearchHitSerializer(many=True), **errors(400, 404)},
    )
    @action(detail=False, methods=["get"])
    def suggest(self, request):
        params = self._query()
        limit = params.get("limit") or settings.KNOWLEDGE_SUGGESTIONS
        queryset = selectors.filtered_articles(request.user)
        if params.get("incident"):
            self._require_agent()
            incident = visible_incidents(request.user).filter(number=params["incident"].strip().upper()).first()
            if incident is None:
                raise Http404
            results = selectors.suggestions_for_incident(request.user, incident, limit=limit)
        else:
            short = params.get("q") or params.get("short_description") or ""
            results = search.suggest(short, params.get("description", ""), queryset, limit=limit)
        return Response(_hits(results, self.get_serializer_context()))

    # --- writing ---

    def _content(self, data: dict) -> dict:
        return {
            "title": data["title"],
            "summary": data.get("summary", ""),
            "body": data["body"],
            "keywords": data.get("keywords", ""),
            "audience": data.get("audience", Audience.INTERNAL),
            "services": data.get("services", []),
            "categories": data.get("categories", []),
            "change_note": data.get("change_note", ""),
            "owner": data.get("owner"),
        }

    def create(self, request):
        self._require_agent()
        serializer = ArticleWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = lifecycle.article_create(actor=request.user, **self._content(serializer.validated_data))
        return self._detail(article, status.HTTP_201_CREATED)

    def _save(self, request, partial: bool) -> Response:
        self._require_agent()
        article = self.get_object()
        working = article.versions.working().first()
        source = working or article
        current = {
            "title": source.title,
            "summary": source.summary,
            "body": source.body,
            "keywords": source.keywords,
            "audience": source.audience,
            "services": working.service_ids if working else list(article.services.values_list("pk", flat=True)),
            "categories": working.category_ids if working else list(article.categories.values_list("pk", flat=True)),
        }
        serializer = ArticleWriteSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        content = self._content({**current, **serializer.validated_data})
        lifecycle.article_edit(actor=request.user, article=article, **content)
        return self._detail(article)

    def update(self, request, pk=None):
        return self._save(request, partial=False)

    def partial_update(self, request, pk=None):
        return self._save(request, partial=True)

    def destroy(self, request, pk=None):
        self._require_agent()
        lifecycle.article_delete(actor=request.user, article=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- lifecycle actions ---

    def _lifecycle(self, request, fn, *, extra) -> Response:
        """Runs one lifecycle action; `extra` maps the request's comment to the function's keyword arguments."""
        self._require_agent()
        article = self.get_object()
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fn(actor=request.user, article=article, **extra(serializer.validated_data["comment"]))
        return self._detail(article)

    @extend_schema(
        summary="Submit the draft for review",
        request=CommentSerializer,
        responses={200: ArticleDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._lifecycle(request, lifecycle.article_submit, extra=lambda c: {"note": c})

    @extend_schema(
        summary="Publish the draft (reviewers)",
        request=CommentSerializer,
        responses={200: ArticleDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._lifecycle(request, lifecycle.article_publish, extra=lambda c: {"comment": c})

    @extend_schema(
        summary="Send the version in review back to its author (reviewers)",
        request=CommentSerializer,
        responses={200: ArticleDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._lifecycle(request, lifecycle.article_reject, extra=lambda c: {"comment": c})

    @extend_schema(
        summary="Retire a published article (reviewers)",
        request=CommentSerializer,
        responses={200: ArticleDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def retire(self, request, pk=None):
        return self._lifecycle(request, lifecycle.article_retire, extra=lambda c: {"comment": c})

    @extend_schema(
        summary="Confirm the live article is still accurate (owner or reviewers)",
        request=CommentSerializer,
        responses={200: ArticleDetailSerializer, **WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="confirm-review")
    def confirm_review(self, request, pk=None):
        return self._lifecycle(request, lifecycle.article_confirm_review, extra=lambda c: {"comment": c})

    # --- history ---

    @extend_schema(
        summary="Every version of the article (agents)",
        responses={200: VersionSummarySerializer(many=True), **errors(404)},
    )
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        self._require_agent()
        article = self.get_object()
        versions = article.versions.select_related("author", "published_by").defer("body").order_by("-number")
        return Response(VersionSummarySerializer(versions, many=True).data)

    @extend_schema(summary="One version, with its body (agents)", responses={200: VersionSerializer, **errors(404)})
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)")
    def version(self, request, pk=None, number=None):
        self._require_agent()
        version = self.get_object().versions.select_related("author", "published_by").filter(number=number).first()
        if version is None:
            raise Http404
        return Response(VersionSerializer(version).data)

    @extend_schema(
        summary="Differences between two versions (agents)",
        parameters=[
            OpenApiParameter("a", OpenApiTypes.INT, required=True, description="From version number."),
            OpenApiParameter("b", OpenApiTypes.INT, required=True, description="To version number."),
        ],
        responses={200: DiffSerializer, **errors(400, 404)},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        self._require_agent()
        article = self.get_object()
        try:
            a_number, b_number = int(request.query_params["a"]), int(request.query_params["b"])
        except (KeyError, ValueError):
            return Response(
                body("validation_error", "Give two version numbers, a and b.", {"a": ["A version number."]}), status=400
            )
        versions = {v.number: v for v in article.versions.filter(number__in=[a_number, b_number])}
        if a_number not in versions or b_number not in versions:
            raise Http404
        a, b = versions[a_number], versions[b_number]
        fields = diff_versions(a, b)
        unified = "".join(
            unified_text(
                str(getattr(a, name)),
                str(getattr(b, name)),
                old_name=f"v{a_number}/{name}",
                new_name=f"v{b_number}/{name}",
            )
            for name in ("title", "summary", "keywords", "audience", "service_ids", "category_ids", "body")
        )
        return Response(
            {
                "a": a_number,
                "b": b_number,
                "changed_fields": [f.label.lower() for f in fields if f.changed],
                "unified": unified,
            }
        )

    # --- readers' feedback and incident links ---

    @extend_schema(
        methods=["post"],
        summary="Say whether the article helped (voting again replaces your vote)",
        request=FeedbackSerializer,
        responses={201: FeedbackSerializer, **errors(400, 404)},
    )
    @extend_schema(
        methods=["get"],
        summary="Readers' votes and comments (owner and reviewers)",
        responses={200: FeedbackSerializer(many=True), **errors(404)},
    )
    @action(detail=True, methods=["get", "post"])
    def feedback(self, request, pk=None):
        article = self.get_object()
        if request.method == "GET":
            if not rights.can_see_feedback(request.user, article):
                raise PermissionDenied("Only the owner and reviewers see feedback.")
            rows = article.feedback.select_related("user")[:200]
            return Response(FeedbackSerializer(rows, many=True).data)
        serializer = FeedbackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = lifecycle.article_feedback(
            actor=request.user,
            article=article,
            helpful=serializer.validated_data["helpful"],
            comment=serializer.validated_data.get("comment", ""),
        )
        return Response(FeedbackSerializer(feedback).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="This article solved an incident (agents): links them and notes it on the timeline",
        request=SolvedSerializer,
        responses={200: ArticleDetailSerializer, **errors(400, 404)},
    )
    @action(detail=True, methods=["post"])
    def solved(self, request, pk=None):
        self._require_agent()
        article = self.get_object()
        serializer = SolvedSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident = visible_incidents(request.user).filter(number=serializer.validated_data["incident"].upper()).first()
        if incident is None:
            raise KnowledgeError("No such incident.", field="incident")
        lifecycle.article_link_incident(actor=request.user, article=article, incident=incident)
        return self._detail(article)
