"""Everything under /api/v1/, one include per app."""

from django.urls import include, path

urlpatterns = [
    path("", include("incidents.api.urls")),
    path("sla/", include("sla.api.urls")),
    path("knowledge/", include("knowledge.api.urls")),
    path("reports/", include("reporting.api.urls")),
]
