"""Shapes of the knowledge API; serializers check input, knowledge.lifecycle applies the rules."""

from __future__ import annotations

from rest_framework import serializers

from incidents.models import Category, Service, User
from knowledge import rights
from knowledge.choices import ArticleState, Audience
from knowledge.models import Article, ArticleFeedback, ArticleVersion
from knowledge.rendering import render_markdown


class NamedRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ArticleSerializer(serializers.ModelSerializer):
    """An article in lists; requesters don't see owner, review date or internal counters."""

    keywords = serializers.SerializerMethodField()
    services = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    stale = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    AGENT_ONLY = ("owner", "review_by", "stale", "solved_count", "view_count", "state")

    class Meta:
        model = Article
        fields = [
            "id", "slug", "url", "title", "summary", "keywords", "audience", "state", "services", "categories",
            "owner", "created_at", "updated_at", "published_at", "review_by", "stale", "view_count",
            "helpful_count", "not_helpful_count", "solved_count",
        ]  # fmt: skip
        read_only_fields = fields

    def get_keywords(self, obj) -> list[str]:
        return obj.keyword_list

    def get_services(self, obj) -> list[dict]:
        return [{"id": s.pk, "name": s.name} for s in obj.services.all()]

    def get_categories(self, obj) -> list[dict]:
        return [{"id": c.pk, "name": str(c)} for c in obj.categories.all()]

    def get_owner(self, obj) -> dict | None:
        return {"id": obj.owner_id, "name": obj.owner.display_name} if obj.owner_id else None

    def get_stale(self, obj) -> bool:
        return obj.is_stale()

    def get_url(self, obj) -> str:
        return obj.get_absolute_url()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not rights.is_agent(request.user):
            for name in self.AGENT_ONLY:
                data.pop(name, None)
        return data


class WorkingVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField()


class ArticleDetailSerializer(ArticleSerializer):
    """One article with its Markdown body and the body rendered as sanitised HTML."""

    body_html = serializers.SerializerMethodField()
    version = serializers.SerializerMethodField()
    working_version = serializers.SerializerMethodField()

    AGENT_ONLY = (*ArticleSerializer.AGENT_ONLY, "working_version")

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "body_html", "version", "working_version"]
        read_only_fields = fields

    def get_body_html(self, obj) -> str:
        return str(render_markdown(obj.body))

    def get_version(self, obj) -> int | None:
        return obj.published_version.number if obj.published_version_id else None

    def get_working_version(self, obj) -> dict | None:
        working = obj.versions.working().only("number", "status").first()
        return {"number": working.number, "status": working.status} if working else None


class ArticleWriteSerializer(serializers.Serializer):
    """A new article or a new draft of one; `keywords` is a list or a comma-separated string."""

    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=200_000)
    keywords = serializers.JSONField(
        required=False, default="", help_text="A list of strings or a comma-separated string."
    )
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.INTERNAL)
    services = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.all(), many=True, required=False, default=list
    )
    categories = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), many=True, required=False, default=list
    )
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    change_note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def validate_keywords(self, value):
        if isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        raise serializers.ValidationError("Give a list of strings or a comma-separated string.")


class VersionSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    published_by = serializers.SerializerMethodField()
    keywords = serializers.CharField()

    class Meta:
        model = ArticleVersion
        fields = [
            "number", "status", "title", "summary", "body", "keywords", "audience", "service_ids", "category_ids",
            "change_note", "author", "created_at", "updated_at", "submitted_at", "published_at", "published_by",
            "review_comment",
        ]  # fmt: skip
        read_only_fields = fields

    def get_author(self, obj) -> str | None:
        return obj.author.display_name if obj.author_id else None

    def get_published_by(self, obj) -> str | None:
        return obj.published_by.display_name if obj.published_by_id else None


class VersionSummarySerializer(VersionSerializer):
    class Meta(VersionSerializer.Meta):
        fields = [f for f in VersionSerializer.Meta.fields if f not in {"body", "summary"}]
        read_only_fields = fields


class DiffSerializer(serializers.Serializer):
    a = serializers.IntegerField(help_text="Version number compared from.")
    b = serializers.IntegerField(help_text="Version number compared to.")
    changed_fields = serializers.ListField(child=serializers.CharField())
    unified = serializers.CharField(help_text="A unified diff of every field.")


class FeedbackSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()

    class Meta:
        model = ArticleFeedback
        fields = ["helpful", "comment", "user", "version_number", "created_at", "updated_at"]
        read_only_fields = ["user", "version_number", "created_at", "updated_at"]
        extra_kwargs = {"comment": {"required": False, "allow_blank": True, "max_length": 2000}}

    def get_user(self, obj) -> str:
        return obj.user.display_name


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class SolvedSerializer(serializers.Serializer):
    incident = serializers.CharField(max_length=16, help_text="The incident number, e.g. INC0001234.")


class SearchHitSerializer(serializers.Serializer):
    article = ArticleSerializer()
    score = serializers.FloatField(help_text="Relevance; above 1 when every word matched.")
    title_html = serializers.CharField(help_text="The title, escaped, with <mark> around matched words.")
    snippet_html = serializers.CharField(help_text="An escaped extract with <mark> around matched words.")
    fuzzy = serializers.BooleanField(help_text="Found through a similarly spelt word.")


class ArticleQuerySerializer(serializers.Serializer):
    """Query parameters of the list and suggest endpoints."""

    q = serializers.CharField(max_length=300, required=False, allow_blank=True)
    service = serializers.PrimaryKeyRelatedField(queryset=Service.objects.all(), required=False)
    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    state = serializers.ChoiceField(choices=[*ArticleState.choices, ("any", "Any")], required=False)
    incident = serializers.CharField(max_length=16, required=False)
    short_description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False)
    offset = serializers.IntegerField(min_value=0, max_value=1000, required=False)
