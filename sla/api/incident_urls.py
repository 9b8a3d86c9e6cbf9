"""/api/v1/incidents/<ref>/sla/: the SLA timers of one incident (mounted before the incidents API)."""

from django.urls import path

from sla.api.views import IncidentSlaView

urlpatterns = [path("<str:ref>/sla/", IncidentSlaView.as_view(), name="incident-sla")]
