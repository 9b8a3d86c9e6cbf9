"""/api/v1/incidents/<ref>/sla/: the SLA timers of one incident."""

urlpatterns: list = []
