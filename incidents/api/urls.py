"""Routes under /api/v1/ owned by incidents: incidents and their actions, catalog, people, integrations."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from incidents.api import catalog, integrations, views, webhooks

router = SimpleRouter()
router.register("incidents", views.IncidentViewSet, basename="api-incident")
router.register("services", catalog.ServiceViewSet, basename="api-service")
router.register("cis", catalog.ConfigurationItemViewSet, basename="api-ci")
router.register("categories", catalog.CategoryViewSet, basename="api-category")
router.register("teams", catalog.TeamViewSet, basename="api-team")
router.register("users", catalog.UserViewSet, basename="api-user")
router.register("priority-matrix", catalog.PriorityMatrixViewSet, basename="api-priority-matrix")
router.register("webhooks", webhooks.WebhookViewSet, basename="api-webhook")

urlpatterns = [
    path("integrations/alertmanager/", integrations.AlertmanagerView.as_view(), name="api-alertmanager"),
    path("integrations/events/", integrations.EventView.as_view(), name="api-events"),
    *router.urls,
]
