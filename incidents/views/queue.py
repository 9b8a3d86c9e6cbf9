"""The queue page (/incidents/): filters, saved views, sorting, keyset pages, polling, bulk actions, search."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from incidents.choices import OnHoldReason, Priority, ResolutionCode, State
from incidents.filters import NUMBER, IncidentFilterSet
from incidents.forms import BulkForm, SavedViewForm, agents_queryset
from incidents.models import Category, Incident, Service, Team
from incidents.views.access import agent_required, is_htmx
from incidents.workspace import bulk, queue, sla, views_catalog
from incidents.workspace import rows as row_html
from incidents.workspace.models import SavedView

FILTER_NAMES = set(IncidentFilterSet.base_filters)
COLUMNS = [
    # (label, sort key or None)
    ("Number", "number"),
    ("Priority", "priority"),
    ("Short description", None),
    ("Caller", None),
    ("Team", None),
    ("Assignee", None),
    ("State", None),
    ("Updated", "updated"),
    ("SLA", None),
]


def _with(params: QueryDict, **changes) -> str:
    data = params.copy()
    for name, value in changes.items():
        data.pop(name, None)
        if value not in (None, ""):
            data[name] = value
    return data.urlencode()


def queue_context(request) -> dict:
    """Everything the queue page and its row fragment show, in a fixed number of queries."""
    view = views_catalog.resolve(request.user, request.GET, filter_names=FILTER_NAMES)
    params = view.params
    sort = queue.parse_sort(params.get("sort") or request.GET.get("sort"))
    size = queue.parse_size(request.GET.get("size") or str(getattr(settings, "WORKSPACE_PAGE_SIZE", 50)))
    filters = queue.filterset(params, request=request)
    errors: list[str] = []
    result = queue.Page(rows=[], next_cursor=None, sort=sort, size=size)
    if filters.is_valid():
        try:
            result = queue.page(filters.qs, sort=sort, cursor=request.GET.get("cursor"), size=size)
        except queue.CursorError as exc:
            errors.append(str(exc))
            result = queue.page(filters.qs, sort=sort, size=size)
    else:
        for field, field_errors in filters.errors.items():
            label = filters.form.fields[field].label if field in filters.form.fields else field
            errors += [f"{label}: {message}" for message in field_errors]
    now = timezone.now()
    clocks = sla.summaries([row.pk for row in result.rows], now)
    rows = []
    for row in result.rows:
        clock = sla.headline(clocks.get(row.pk, []))
        rows.append({"incident": row, "sla": clock, "html": row_html.queue_row(row, clock, now)})

    # Links keep the chosen view (or the explicit filters) and drop the cursor.
    base = QueryDict(mutable=True)
    if view.key:
        base["view"] = view.key
    else:
        base = views_catalog.without_blanks(request.GET, drop=("cursor", "size", "fragment"))
    columns = []
    for label, key in COLUMNS:
        entry = {"label": label, "key": key, "aria_sort": None, "url": None}
        if key:
            # A new column sorts most urgent / most recent first; the current column flips its direction.
            target = sort.toggled() if key == sort.key else (key if key == "priority" else f"-{key}")
            entry["url"] = "?" + _with(base, sort=target)
            if key == sort.key:
                entry["aria_sort"] = "descending" if sort.descending else "ascending"
        columns.append(entry)
    return {
        "view": view,
        "params": params,
        "filters": filters,
        "errors": errors,
        "rows": rows,
        "page": result,
        "sort": sort,
        "columns": columns,
        "now": now,
        "next_query": _with(base, cursor=result.next_cursor, sort=sort.param) if result.next_cursor else "",
        "refresh_query": _with(base, sort=sort.param),
        "save_query": views_catalog.saveable_query(params if view.key else base),
        "builtin_views": views_catalog.BUILTIN_VIEWS,
        "saved_views": list(views_catalog.visible_saved_views(request.user)),
        "poll_seconds": getattr(settings, "WORKSPACE_POLL_SECONDS", 30),
        "filter_values": {name: params.getlist(name) for name in FILTER_NAMES},
        "search_text": params.get("q", ""),
    }


_catalog: dict = {"at": 0.0, "value": None}


def catalog_choices() -> dict:
    """Teams, services, categories and agents for the filter and bulk selects, memoised briefly per process
    (they change a few times a year; a new team shows up within WORKSPACE_CATALOG_SECONDS)."""
    ttl = getattr(settings, "WORKSPACE_CATALOG_SECONDS", 30)
    if _catalog["value"] is None or time.monotonic() - _catalog["at"] >= ttl:
        _catalog["value"] = {
            "teams": [(t.pk, t.name) for t in Team.objects.filter(is_active=True).order_by("name")],
            "services": [(s.pk, s.name) for s in Service.objects.filter(is_active=True).order_by("name")],
            "categories": [(c.pk, str(c)) for c in Category.objects.filter(is_active=True).select_related("parent")],
            "agents": [(a.pk, a.display_name) for a in agents_queryset()],
        }
        _catalog["at"] = time.monotonic()
    return _catalog["value"]


def choices_context(filter_values: dict) -> dict:
    catalog = catalog_choices()
    people = [("me", "Me"), ("none", "Unassigned"), *catalog["agents"]]
    return {
        "states": State.choices,
        "priorities": Priority.choices,
        "filter_options": {
            "team": row_html.options([("", "Any team"), *catalog["teams"]], filter_values.get("team", [])),
            "assignee": row_html.options([("", "Anyone"), *people], filter_values.get("assignee", [])),
            "service": row_html.options([("", "Any service"), *catalog["services"]], filter_values.get("service", [])),
            "category": row_html.options(
                [("", "Any category"), *catalog["categories"]], filter_values.get("category", [])
            ),
        },
        "bulk_options": {
            "team": row_html.options([("", "(keep team)"), *catalog["teams"]]),
            "assignee": row_html.options(
                [("", "(keep assignee)"), ("me", "Me"), ("none", "Nobody"), *catalog["agents"]]
            ),
            "state": row_html.options([("", "New state…"), *[c for c in State.choices if c[0] != State.NEW]]),
            "hold": row_html.options([("", "Waiting for…"), *OnHoldReason.choices]),
            "code": row_html.options([("", "Resolution code…"), *ResolutionCode.choices]),
            "action": row_html.options(BulkForm.ACTIONS),
        },
    }


@agent_required
@require_GET
def queue_page(request):
    context = queue_context(request)
    if is_htmx(request) and request.GET.get("fragment") == "rows":
        template = "agent/_queue_more.html" if request.GET.get("cursor") else "agent/_queue_body.html"
        return render(request, template, context)
    context |= choices_context(context["filter_values"])
    context["bulk_form"] = BulkForm()
    context["view_form"] = SavedViewForm(initial={"query": context["save_query"]})
    return render(request, "agent/queue.html", context)


@agent_required
@require_POST
def bulk_action(request):
    form = BulkForm(request.POST, user=request.user)
    back = request.POST.get("back", "")
    back_url = "/incidents/" + (f"?{back}" if back else "")
    if not form.is_valid():
        context = {"form": form, "results": [], "back_url": back_url}
        status = 400
    else:
        data = form.cleaned_data
        params = {
            "team": data.get("team"),
            "assignee": data.get("assignee_user"),
            "unassign": data.get("unassign"),
            "to_state": data.get("to_state"),
            "on_hold_reason": data.get("on_hold_reason", ""),
            "resolution_code": data.get("resolution_code", ""),
            "resolution_notes": data.get("resolution_notes", ""),
            "body": data.get("body", ""),
        }
        results = bulk.bulk_apply(
            actor=request.user, targets=bulk.parse_targets(data["ids"]), action=data["action"], params=params
        )
        context = {
            "form": form,
            "results": results,
            "ok_count": sum(r.ok for r in results),
            "failed_count": sum(not r.ok for r in results),
            "ok_ids": " ".join(str(r.incident_id) for r in results if r.ok),
            "action_label": dict(BulkForm.ACTIONS)[data["action"]],
            "back_url": back_url,
        }
        status = 200
    if is_htmx(request):
        response = render(request, "agent/_bulk_results.html", context, status=200)
        response["HX-Trigger"] = "queue-refresh"
        return response
    return render(request, "agent/bulk_results.html", context, status=status)


@agent_required
@require_POST
def saved_view_create(request):
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the view a name (up to 80 characters).")
        return redirect("/incidents/?" + request.POST.get("query", ""))
    name = form.cleaned_data["name"].strip()
    query = views_catalog.saveable_query(QueryDict(form.cleaned_data["query"]))
    try:
        saved, created = SavedView.objects.update_or_create(
            owner=request.user, name=name, defaults={"query": query, "shared": form.cleaned_data["shared"]}
        )
    except IntegrityError:
        messages.error(request, "Could not save the view; try another name.")
        return redirect("/incidents/?" + query)
    messages.success(request, f"View “{saved.name}” {'saved' if created else 'updated'}.")
    return redirect(saved.get_absolute_url())


@agent_required
@require_POST
def saved_view_delete(request, pk: int):
    saved = get_object_or_404(SavedView, pk=pk, owner=request.user)
    name = saved.name
    saved.delete()
    messages.success(request, f"View “{name}” deleted.")
    return redirect("/incidents/")


@agent_required
@require_GET
def search(request):
    """A number jumps straight to the incident; anything else is a text search in the queue."""
    text = (request.GET.get("q") or "").strip()
    if not text:
        return redirect("/incidents/")
    match = NUMBER.match(text)
    if match:
        number = f"INC{int(match.group(1)):07d}"
        if Incident.objects.filter(number=number).exists():
            return redirect(f"/incidents/{number}/")
        if text.upper().startswith("INC"):
            messages.error(request, f"There is no incident {number}.")
    return redirect("/incidents/?" + _text_query(text))


def _text_query(text: str) -> str:
    data = QueryDict(mutable=True)
    data["q"] = text
    return data.urlencode()
