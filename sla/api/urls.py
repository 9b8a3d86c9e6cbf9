"""Routes under /api/v1/sla/."""

from rest_framework.routers import DefaultRouter

from sla.api.views import CalendarViewSet, PolicyViewSet

router = DefaultRouter()
router.register("calendars", CalendarViewSet, basename="sla-calendar")
router.register("policies", PolicyViewSet, basename="sla-policy")

urlpatterns = router.urls
