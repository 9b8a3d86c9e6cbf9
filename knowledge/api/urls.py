"""Routes of /api/v1/knowledge/."""

from rest_framework.routers import SimpleRouter

from knowledge.api.views import ArticleViewSet

router = SimpleRouter()
router.register("articles", ArticleViewSet, basename="knowledge-article")

urlpatterns = router.urls
