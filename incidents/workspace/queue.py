"""The agent queue: filters through the shared FilterSet, column sorting and keyset pagination.

Pages are cut with a cursor on (sort column, id), never OFFSET, and nothing counts the whole result: asking for one
row more than a page tells whether there is a next page. That keeps page 1 and page 10,000 equally cheap.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import QueryDict

from incidents.filters import IncidentFilterSet
from incidents.models import Incident
from incidents.permissions import visible_incidents

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Sort keys offered as column headers -> model field; each is backed by an index on that column.
SORTS = {"updated": "updated_at", "created": "created_at", "priority": "priority", "number": "number"}
DEFAULT_SORT = "-updated"
# Query parameters that are not filters: they never count as "the user chose a filter".
NON_FILTER_PARAMS = {"sort", "cursor", "size", "view", "page"}


class CursorError(ValueError):
    """A cursor that does not decode (edited by hand, or from another sort)."""


@dataclass(frozen=True)
class Sort:
    key: str
    field: str
    descending: bool

    @property
    def param(self) -> str:
        return f"-{self.key}" if self.descending else self.key

    def toggled(self) -> str:
        return self.key if self.descending else f"-{self.key}"


@dataclass
class Page:
    rows: list[Incident]
    next_cursor: str | None
    sort: Sort
    size: int


def parse_sort(value: str | None) -> Sort:
    """`-updated`, `priority`, ...; anything unknown falls back to the default (newest change first)."""
    value = (value or "").strip() or DEFAULT_SORT
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in SORTS:
        return parse_sort(DEFAULT_SORT)
    return Sort(key=key, field=SORTS[key], descending=descending)


def parse_size(value: str | None) -> int:
    try:
        size = int(value or PAGE_SIZE)
    except ValueError:
        return PAGE_SIZE
    return max(1, min(size, MAX_PAGE_SIZE))


def encode_cursor(sort: Sort, row: Incident) -> str:
    value = getattr(row, sort.field)
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([sort.param, value, row.pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: Sort, token: str) -> tuple[object, int]:
    try:
        padded = token + "=" * (-len(token) % 4)
        param, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if param != sort.param or not isinstance(pk, int):
            raise CursorError("This page link belongs to another sort order.")
        if sort.field.endswith("_at"):
            value = datetime.fromisoformat(value)
        elif sort.field == "priority":
            value = int(value)
        elif not isinstance(value, str):
            raise CursorError("This page link is not valid.")
        return value, pk
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        if isinstance(exc, CursorError):
            raise
        raise CursorError("This page link is not valid any more; showing the first page.") from None


def after_cursor(queryset: QuerySet, sort: Sort, value: object, pk: int) -> QuerySet:
    """Rows strictly after (value, pk) in the sort order, written so Postgres can range-scan the column's index."""
    if sort.descending:
        return queryset.filter(**{f"{sort.field}__lte": value}).exclude(**{sort.field: value, "pk__gte": pk})
    return queryset.filter(**{f"{sort.field}__gte": value}).exclude(**{sort.field: value, "pk__lte": pk})


def base_queryset(user) -> QuerySet:
    """What a queue row shows, in one query: the incident with its caller, team and assignee."""
    qs = Incident.objects.select_related("caller", "assigned_team", "assignee").defer(
        "description", "resolution_notes", "search_vector"
    )
    return visible_incidents(user, qs)


def filterset(params: QueryDict, *, request) -> IncidentFilterSet:
    data = params.copy()
    for name in NON_FILTER_PARAMS:
        data.pop(name, None)
    return IncidentFilterSet(data=data, queryset=base_queryset(request.user), request=request)


def page(queryset: QuerySet, *, sort: Sort, cursor: str | None = None, size: int = PAGE_SIZE) -> Page:
    """One page of rows after `cursor`; `next_cursor` is None on the last page."""
    direction = "-" if sort.descending else ""
    qs = queryset.order_by(f"{direction}{sort.field}", f"{direction}pk")
    if cursor:
        value, pk = decode_cursor(sort, cursor)
        qs = after_cursor(qs, sort, value, pk)
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_cursor=encode_cursor(sort, rows[-1]) if more and rows else None, sort=sort, size=size)
