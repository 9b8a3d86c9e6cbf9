"""The report metrics as JSON under /api/v1/reports/, with the same filters as the dashboards (managers only)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from incidents.permissions import can_view_reports
from reporting import filters, metrics, series, sla_metrics


class CanViewReports(permissions.BasePermission):
    message = "Reports are for managers."

    def has_permission(self, request, view) -> bool:
        return can_view_reports(request.user)


FILTER_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE, description="First local day (default: 30 days before end)."),
    OpenApiParameter("end", OpenApiTypes.DATE, description="Last local day, inclusive (default: today)."),
    OpenApiParameter("team", OpenApiTypes.INT, description="Team id (the incident's current team)."),
    OpenApiParameter("service", OpenApiTypes.INT, description="Service id."),
    OpenApiParameter("priority", OpenApiTypes.INT, enum=[1, 2, 3, 4, 5]),
    OpenApiParameter("category", OpenApiTypes.INT, description="Category id; a top-level one covers its children."),
    OpenApiParameter("organization", OpenApiTypes.INT, description="Organization id."),
    OpenApiParameter("granularity", OpenApiTypes.STR, enum=["day", "week", "month"]),
    OpenApiParameter("calendar", OpenApiTypes.INT, description="Business calendar id for business-time figures."),
]
ERRORS = {400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT}


class ReportView(APIView):
    """Parses the shared filters (400 with field errors when wrong) and returns one metric's data."""

    permission_classes = [permissions.IsAuthenticated, CanViewReports]
    extra_parameters: list[OpenApiParameter] = []

    def filters(self, request) -> filters.ReportFilters:
        form, parsed = filters.parse(request.query_params, request.user)
        if parsed is None:
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        return parsed

    def get(self, request):
        f = self.filters(request)
        with series.memoized():
            data = self.compute(f, request)
        return Response({"filters": {**f.query(), "zone": f.zone}, "data": data})

    def compute(self, f: filters.ReportFilters, request):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


def _int_param(request, name: str, default: int, *, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [f"Give a whole number from {low} to {high}."]}) from None
    if not low <= value <= high:
        raise ValidationError({name: [f"Give a whole number from {low} to {high}."]})
    return value


def _view(name: str, summary: str, compute, extra: list[OpenApiParameter] | None = None):
    """A documented GET endpoint returning {"filters": ..., "data": compute(filters, request)}."""

    @extend_schema(
        operation_id=f"reports_{name.replace('-', '_')}",
        summary=summary,
        description=(compute.__doc__ or summary),
        parameters=FILTER_PARAMETERS + (extra or []),
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        tags=["reports"],
    )
    def get(self, request):
        return ReportView.get(self, request)

    return type(
        f"{name.title().replace('-', '')}ReportView",
        (ReportView,),
        {"get": get, "compute": lambda self, f, request: compute(f, request), "__doc__": summary},
    )


def _problems(f, request):
    """Services, CIs and categories with at least `min_incidents` incidents in the `window_days` ending on `end`."""
    return metrics.problem_candidates(
        f,
        min_incidents=_int_param(
            request, "min_incidents", settings.REPORTING_PROBLEM_MIN_INCIDENTS, low=1, high=100_000
        ),
        window_days=_int_param(request, "window_days", settings.REPORTING_PROBLEM_WINDOW_DAYS, low=1, high=366),
    )


def _breaches(f, request):
    """SLA timers that breached in the range, newest first (limit 1-5000, default 200)."""
    return sla_metrics.breaches(f, limit=_int_param(request, "limit", 200, low=1, high=5000))


def _at_risk(f, request):
    """Running or paused timers past a warning threshold and not breached, by percent used now."""
    return sla_metrics.at_risk(f, limit=_int_param(request, "limit", 100, low=1, high=1000))


LIMIT = OpenApiParameter("limit", OpenApiTypes.INT)
ENDPOINTS = [
    ("volume", "Created, resolved, reopened, cancelled per period", lambda f, r: metrics.volume(f), None),
    ("backlog", "Open incidents now by age, state, team, priority", lambda f, r: metrics.backlog(f), None),
    ("backlog-trend", "Open incidents at the end of each period", lambda f, r: metrics.backlog_trend(f), None),
    (
        "response-times",
        "MTTA and MTTR: mean, median, 90th percentile",
        lambda f, r: metrics.response_times(f, business=r.query_params.get("business", "true") != "false"),
        [OpenApiParameter("business", OpenApiTypes.BOOL, description="false: wall-clock figures only (faster).")],
    ),
    ("mttr-trend", "Mean response and resolution time per period", lambda f, r: metrics.mttr_trend(f), None),
    ("resolution-histogram", "Distribution of resolution times", lambda f, r: metrics.resolution_histogram(f), None),
    (
        "quality",
        "First-contact resolution, reopen rate, satisfaction, escalations",
        lambda f, r: metrics.quality(f),
        None,
    ),
    ("escalations", "Escalations per period", lambda f, r: metrics.escalation_trend(f), None),
    ("major-incidents", "Major incidents with duration and impact", lambda f, r: metrics.major_incidents(f), None),
    ("workload", "Open assigned and resolved per team and agent", lambda f, r: metrics.workload(f), None),
    (
        "problem-candidates",
        "Services, CIs and categories with repeated incidents",
        _problems,
        [OpenApiParameter("min_incidents", OpenApiTypes.INT), OpenApiParameter("window_days", OpenApiTypes.INT)],
    ),
    (
        "sla-compliance",
        "SLA met vs breached by metric, month and dimension",
        lambda f, r: sla_metrics.compliance(f),
        None,
    ),
    ("sla-trend", "SLA compliance per period", lambda f, r: sla_metrics.compliance_trend(f), None),
    ("sla-breaches", "SLA breaches of the range", _breaches, [LIMIT]),
    ("sla-at-risk", "SLA timers at risk now", _at_risk, [LIMIT]),
    ("summary", "Key figures of the range", lambda f, r: metrics.summary(f), None),
]
VIEWS = {name: _view(name, summary, compute, extra) for name, summary, compute, extra in ENDPOINTS}
