"""The manager dashboards: operations and SLA, the live "at risk now" board, and CSV exports of every table."""

from __future__ import annotations

import csv
from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from reporting import metrics, sla_metrics
from reporting.models import RollupState
from reporting.tables import TABLES
from reporting.views.common import manager_required, report_filters

CHART_ROWS = 12


def _freshness(f) -> dict:
    state = RollupState.objects.filter(zone=f.zone).first()
    return {"zone": f.zone, "rollup_refreshed_at": state.refreshed_at if state else None}


def _chart(kind: str, labels: list, datasets: list[dict], **options) -> dict:
    return {"type": kind, "labels": labels, "datasets": datasets, **options}


def _bars(rows: list[dict], label: str, value: str = "count", key: str = "label") -> dict:
    return _chart(
        "bar",
        [row[key] for row in rows],
        [{"label": label, "data": [row[value] for row in rows], "urls": [row.get("url") for row in rows]}],
    )


@manager_required
def index(request):
    return render(request, "reporting/index.html", {"tables": TABLES})


@manager_required
def operations(request):
    form, f, query = report_filters(request)
    context = {"form": form, "query_string": query, "page": "operations"}
    if f is None:
        return render(request, "reporting/operations.html", context, status=400)
    volume = metrics.volume(f)
    backlog = metrics.backlog(f)
    trend = metrics.backlog_trend(f)
    # Business-time figures are computed per incident: they load in their own request (business_times below).
    times = metrics.response_times(f, business=False)
    histogram = metrics.resolution_histogram(f)
    quality = metrics.quality(f)
    mttr_trend = metrics.mttr_trend(f)
    charts = {
        "volume": _chart(
            "line",
            [row["period"] for row in volume["rows"]],
            [
                {
                    "label": "Created",
                    "data": [r["created"] for r in volume["rows"]],
                    "urls": [r["created_url"] for r in volume["rows"]],
                },
                {
                    "label": "Resolved",
                    "data": [r["resolved"] for r in volume["rows"]],
                    "urls": [r["resolved_url"] for r in volume["rows"]],
                },
                {"label": "Reopened", "data": [r["reopened"] for r in volume["rows"]]},
            ],
        ),
        "backlog_trend": _chart(
            "line", [r["period"] for r in trend], [{"label": "Open", "data": [r["open"] for r in trend]}]
        ),
        "backlog_age": _bars(backlog["by_age"], "Open incidents"),
        "backlog_priority": _bars(backlog["by_priority"], "Open incidents"),
        "backlog_team": _bars(backlog["by_team"], "Open incidents"),
        "histogram": _chart(
            "bar",
            [row["label"] for row in histogram],
            [
                {
                    "label": "Incidents resolved",
                    "data": [row["count"] for row in histogram],
                    "urls": [quality["resolved_url"]] * len(histogram),
                }
            ],
        ),
        "mttr_trend": _chart(
            "line",
            [r["period"] for r in mttr_trend],
            [
                {
                    "label": "Mean time to resolve (h)",
                    "data": [round(r["mttr"] / 3600, 2) if r["mttr"] is not None else None for r in mttr_trend],
                },
                {
                    "label": "Mean time to respond (h)",
                    "data": [round(r["mtta"] / 3600, 2) if r["mtta"] is not None else None for r in mttr_trend],
                },
            ],
        ),
        "satisfaction": _bars(quality["satisfaction_distribution"], "Ratings", key="score"),
    }
    context.update(
        filters=f,
        volume=volume,
        backlog=backlog,
        times=times,
        quality=quality,
        histogram=histogram,
        escalations=metrics.escalation_trend(f),
        majors=metrics.major_incidents(f),
        workload=metrics.workload(f),
        problems=metrics.problem_candidates(
            f,
            min_incidents=settings.REPORTING_PROBLEM_MIN_INCIDENTS,
            window_days=settings.REPORTING_PROBLEM_WINDOW_DAYS,
        ),
        charts=charts,
        calendars=_calendars(),
        **_freshness(f),
    )
    return render(request, "reporting/operations.html", context)


def _calendars():
    from sla.models import BusinessCalendar

    return list(BusinessCalendar.objects.values_list("pk", "name"))


@manager_required
def business_times(request):
    """The business-time rows of the operations dashboard, loaded after the page (htmx) or as a page of its own."""
    form, f, query = report_filters(request)
    if f is None:
        return render(request, "reporting/_form_errors.html", {"form": form}, status=400)
    context = {"times": metrics.response_times(f), "query_string": query, "filters": f, "calendars": _calendars()}
    template = (
        "reporting/_business_times.html" if request.headers.get("HX-Request") else "reporting/business_times.html"
    )
    return render(request, template, context)


@manager_required
def sla(request):
    form, f, query = report_filters(request)
    context = {"form": form, "query_string": query, "page": "sla"}
    if f is None:
        return render(request, "reporting/sla.html", context, status=400)
    compliance = sla_metrics.compliance(f)
    trend = sla_metrics.compliance_trend(f)
    charts = {
        "compliance_trend": _chart(
            "line",
            [r["period"] for r in trend],
            [{"label": "Met (%)", "data": [r["percent"] for r in trend]}],
            max=100,
        ),
        "met_breached": _chart(
            "bar",
            [r["period"] for r in trend],
            [
                {"label": "Met", "data": [r["met"] for r in trend], "color": "--ok"},
                {"label": "Breached", "data": [r["breached"] for r in trend], "color": "--breach"},
            ],
            stacked=True,
        ),
    }
    for name in ("priority", "team", "service", "category", "organization"):
        # The chart shows the worst CHART_ROWS (lowest compliance first); the table and CSV show every row.
        rows = compliance[f"by_{name}"][:CHART_ROWS]
        charts[f"by_{name}"] = _chart(
            "bar",
            [r["label"] for r in rows],
            [{"label": "Met (%)", "data": [r["percent"] for r in rows], "urls": [r["url"] for r in rows]}],
            max=100,
            horizontal=True,
        )
    context.update(
        filters=f,
        compliance=compliance,
        trend=trend,
        breaches=sla_metrics.breaches(f, limit=50),
        at_risk=sla_metrics.at_risk(f, limit=25),
        charts=charts,
        refresh_seconds=settings.REPORTING_AT_RISK_REFRESH_SECONDS,
        **_freshness(f),
    )
    return render(request, "reporting/sla.html", context)


@manager_required
def at_risk(request):
    """The live board's fragment, polled by htmx (and a full page without JavaScript)."""
    form, f, query = report_filters(request)
    if f is None:
        return render(request, "reporting/_form_errors.html", {"form": form}, status=400)
    context = {
        "at_risk": sla_metrics.at_risk(f, limit=50),
        "query_string": query,
        "refresh_seconds": settings.REPORTING_AT_RISK_REFRESH_SECONDS,
        "now": timezone.now(),
    }
    template = "reporting/_at_risk.html" if request.headers.get("HX-Request") else "reporting/at_risk.html"
    return render(request, template, context)


def _safe(value) -> str:
    """Keeps spreadsheet programs from running a cell as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def write_csv(out, columns, rows) -> None:
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_safe(row.get(column)) for column in columns])


@manager_required
def export(request, table: str):
    spec = TABLES.get(table)
    if spec is None:
        raise Http404("No such table.")
    form, f, _ = report_filters(request)
    if f is None:
        return HttpResponse(
            "\n".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = datetime.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{table}-{f.start}-{f.end}-{stamp}.csv"'
    write_csv(response, spec.columns, spec.rows(f))
    return response
