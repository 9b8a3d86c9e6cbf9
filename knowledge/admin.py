"""Django admin for knowledge: reading and light fixes; content and state change through the pages or the API."""

from django.contrib import admin

from knowledge.models import Article, ArticleFeedback, ArticleIncidentLink, ArticleReview, ArticleVersion


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    fields = ("number", "status", "title", "author", "published_at", "published_by")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "state", "audience", "owner", "review_by", "helpful_count", "solved_count", "updated_at")
    list_filter = ("state", "audience", "services")
    search_fields = ("title", "keywords", "slug")
    readonly_fields = (
        "slug", "title", "summary", "body", "keywords", "audience", "state", "published_version", "created_by",
        "created_at", "updated_at", "published_at", "view_count", "helpful_count", "not_helpful_count", "solved_count",
        "source_incident", "services", "categories",
    )  # fmt: skip
    fields = (*readonly_fields, "owner", "review_by")
    inlines = [VersionInline]
    list_select_related = ("owner",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Published articles are retired, never deleted (their versions are immutable).
        return obj is not None and obj.published_version_id is None and super().has_delete_permission(request, obj)


@admin.register(ArticleReview)
class ArticleReviewAdmin(admin.ModelAdmin):
    list_display = ("article", "decision", "reviewer", "created_at")
    list_filter = ("decision",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(admin.ModelAdmin):
    list_display = ("article", "user", "helpful", "updated_at")
    list_filter = ("helpful",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleIncidentLink)
class ArticleIncidentLinkAdmin(admin.ModelAdmin):
    list_display = ("article", "incident", "linked_by", "created_at")
    raw_id_fields = ("article", "incident")
