"""Post-incident reviews, read-only, for agents: /api/v1/reports/reviews/ (search with q, filter by state)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers

from incidents.permissions import can_write_review
from reporting import reviews
from reporting.models import PostIncidentReview
from reporting.models.reviews import ReviewState


class CanReadReviews(permissions.BasePermission):
    message = "Post-incident reviews are for agents."

    def has_permission(self, request, view) -> bool:
        return can_write_review(request.user)


class ActionSerializer(serializers.Serializer):
    description = serializers.CharField()
    owner = serializers.CharField(source="owner.display_name")
    due_date = serializers.DateField()
    done_at = serializers.DateTimeField(allow_null=True)
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, action) -> bool:
        return action.is_overdue(timezone.localdate())


class ReviewSerializer(serializers.ModelSerializer):
    incident = serializers.CharField(source="incident.number")

    class Meta:
        model = PostIncidentReview
        fields = ["id", "title", "state", "incident", "created_at", "updated_at", "published_at"]


class ReviewDetailSerializer(ReviewSerializer):
    impact = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    actions = ActionSerializer(many=True)

    class Meta(ReviewSerializer.Meta):
        fields = [
            *ReviewSerializer.Meta.fields,
            "summary",
            "impact_notes",
            "root_cause",
            "contributing_factors",
            "went_well",
            "lessons",
            "impact",
            "timeline",
            "actions",
        ]

    def get_impact(self, review) -> dict:
        data = reviews.current_impact(review)
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}

    def get_timeline(self, review) -> list[dict]:
        return [
            {
                "at": item.at.isoformat(),
                "incident": item.incident,
                "kind": item.kind,
                "who": item.who,
                "text": item.text,
                "highlight": item.highlight,
            }
            for item in reviews.timeline(review)
        ]


@extend_schema(
    tags=["reports"],
    parameters=[
        OpenApiParameter("q", OpenApiTypes.STR, description="Words or an incident number."),
        OpenApiParameter("state", OpenApiTypes.STR, enum=ReviewState.values),
    ],
)
class ReviewList(generics.ListAPIView):
    """Post-incident reviews, newest first."""

    serializer_class = ReviewSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadReviews]
    filter_backends: list = []

    def get_queryset(self):
        qs = PostIncidentReview.objects.select_related("incident").order_by("-created_at", "-id")
        qs = reviews.search(qs, self.request.query_params.get("q", ""))
        state = self.request.query_params.get("state")
        if state:
            if state not in ReviewState.values:
                raise serializers.ValidationError({"state": [f"Choose one of {', '.join(ReviewState.values)}."]})
            qs = qs.filter(state=state)
        return qs


@extend_schema(tags=["reports"])
class ReviewDetail(generics.RetrieveAPIView):
    """One review with its measured impact, timeline and action items."""

    serializer_class = ReviewDetailSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadReviews]

    def get_object(self):
        return get_object_or_404(
            PostIncidentReview.objects.select_related("incident").prefetch_related("actions__owner"),
            pk=self.kwargs["pk"],
        )
