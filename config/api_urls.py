"""Everything under /api/v1/, one include per app."""

from django.urls import include, path

urlpatterns = [
    # The SLA engine serves /incidents/<ref>/sla/ itself, since incidents never imports sla.
    path("incidents/", include("sla.api.incident_urls")),
    path("", include("incidents.api.urls")),
    path("sla/", include("sla.api.urls")),
    path("knowledge/", include("knowledge.api.urls")),
    path("reports/", include("reporting.api.urls")),
]
