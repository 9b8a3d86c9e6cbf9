"""Built-in queue views, and the resolution of a `view` parameter (built-in key or saved view id) to filters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.http import QueryDict

from incidents.workspace.models import SavedView


@dataclass(frozen=True)
class BuiltinView:
    key: str
    name: str
    params: Callable[[object], list[tuple[str, str]]]
    description: str


def _team_ids(user) -> list[tuple[str, str]]:
    return [("team", str(pk)) for pk in user.teams.filter(is_active=True).values_list("pk", flat=True)]


BUILTIN_VIEWS: list[BuiltinView] = [
    BuiltinView("open", "All open incidents", lambda u: [("open", "true")], "New, in progress and on hold."),
    BuiltinView(
        "mine", "My open incidents", lambda u: [("assignee", "me"), ("open", "true")], "Assigned to you, not resolved."
    ),
    BuiltinView(
        "unassigned",
        "Unassigned in my teams",
        lambda u: [("assignee", "none"), ("open", "true"), *_team_ids(u)],
        "Open, in one of your teams, nobody assigned.",
    ),
    BuiltinView(
        "breaching",
        "Breaching soon",
        lambda u: [("sla", "at_risk"), ("open", "true"), ("sort", "priority")],
        "An SLA warning threshold passed; not breached yet.",
    ),
    BuiltinView(
        "major", "Major incidents", lambda u: [("major", "true"), ("open", "true")], "Open incidents declared major."
    ),
    BuiltinView(
        "waiting",
        "Waiting for the caller",
        lambda u: [("state", "on_hold"), ("on_hold_reason", "awaiting_caller")],
        "On hold until the caller answers.",
    ),
]
BUILTIN_BY_KEY = {view.key: view for view in BUILTIN_VIEWS}
DEFAULT_VIEW = "open"


@dataclass
class ResolvedView:
    key: str  # the builtin key, the saved view's id as a string, or "" for ad-hoc filters
    name: str
    params: QueryDict
    saved: SavedView | None = None


def visible_saved_views(user):
    """The user's own views and every view another agent shared."""
    return SavedView.objects.filter(Q(owner=user) | Q(shared=True)).select_related("owner").order_by("name", "id")


def _querydict(pairs: list[tuple[str, str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    return data


def resolve(user, params: QueryDict, *, filter_names: set[str]) -> ResolvedView:
    """Which filters apply: a `view` parameter, else the explicit filters, else the default view."""
    key = (params.get("view") or "").strip()
    if not key and not any(name in filter_names and params.getlist(name) for name in params):
        key = DEFAULT_VIEW
    if key in BUILTIN_BY_KEY:
        view = BUILTIN_BY_KEY[key]
        data = _querydict(view.params(user))
        if params.get("sort"):
            data["sort"] = params["sort"]
        return ResolvedView(key=key, name=view.name, params=data)
    if key.isdigit():
        saved = visible_saved_views(user).filter(pk=int(key)).first()
        if saved is not None:
            data = QueryDict(saved.query, mutable=True)
            data.pop("view", None)
            data.pop("cursor", None)
            if params.get("sort"):
                data["sort"] = params["sort"]
            return ResolvedView(key=key, name=saved.name, params=data, saved=saved)
    return ResolvedView(key="", name="Filtered incidents", params=without_blanks(params, drop=("view",)))


def without_blanks(params: QueryDict, *, drop: tuple[str, ...] = ()) -> QueryDict:
    """The parameters minus empty values (a submitted filter form sends every field, most of them empty)."""
    data = QueryDict(mutable=True)
    for name, values in params.lists():
        if name in drop:
            continue
        for value in values:
            if value.strip():
                data.appendlist(name, value)
    return data


def saveable_query(params: QueryDict) -> str:
    """The query string a saved view keeps: filters and sort, never a page cursor."""
    return without_blanks(params, drop=("cursor", "view", "size", "fragment", "csrfmiddlewaretoken")).urlencode()
