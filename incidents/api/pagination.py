"""Keyset (cursor) pagination: every page costs the same at any depth, and rows never repeat or go missing.

The cursor holds the ordering values of the last row seen (plus the id as a tie-breaker), so the next page is
`WHERE (key) < (last key)` on an index instead of an OFFSET that reads and throws away every earlier row.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

ORDERING_PARAM = "ordering"
CURSOR_PARAM = "cursor"
LIMIT_PARAM = "limit"


@dataclass(frozen=True)
class Key:
    field: str
    descending: bool


def parse_ordering(raw: str | None, allowed: tuple[str, ...], default: str) -> list[Key]:
    """`-priority,created_at` -> keys, always ending with id (same direction as the first key)."""
    raw = (raw or "").strip() or default
    keys: list[Key] = []
    bad: list[str] = []
    for part in raw.split(","):
        part = part.strip()
        name = part.lstrip("-")
        if not name:
            continue
        if name not in allowed:
            bad.append(part)
            continue
        if name not in {k.field for k in keys}:
            keys.append(Key(name, part.startswith("-")))
    if bad:
        raise ValidationError(
            {
                ORDERING_PARAM: [
                    f"Cannot order by {', '.join(bad)}; choose from {', '.join(allowed)} (prefix - to reverse)."
                ]
            }
        )
    if not keys:
        keys = parse_ordering(default, allowed, default)
    if keys[-1].field != "id":
        keys = [k for k in keys if k.field != "id"] + [Key("id", keys[0].descending)]
    return keys


def _encode_value(value):
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode_value(value):
    if isinstance(value, dict) and "dt" in value:
        parsed = parse_datetime(str(value["dt"]))
        if parsed is None:
            raise ValueError("bad datetime")
        return parsed
    if isinstance(value, int | str | float | bool) or value is None:
        return value
    raise ValueError("bad value")


def encode_cursor(keys: list[Key], values: list, *, reverse: bool = False) -> str:
    data = {"o": [("-" if k.descending else "") + k.field for k in keys], "v": [_encode_value(v) for v in values]}
    if reverse:
        data["r"] = 1
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, keys: list[Key]) -> tuple[list, bool]:
    """The position (one value per key) and whether it pages backwards; ValidationError for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        ordering = [("-" if k.descending else "") + k.field for k in keys]
        if not isinstance(data, dict) or data.get("o") != ordering:
            raise ValueError("ordering changed")
        values = [_decode_value(v) for v in data["v"]]
        if len(values) != len(keys):
            raise ValueError("wrong length")
        return values, bool(data.get("r"))
    except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error, json.JSONDecodeError):
        raise ValidationError(
            {CURSOR_PARAM: ["This cursor is not valid here; follow the next and previous links as given."]}
        ) from None


def _after(keys: list[Key], values: list, *, backwards: bool) -> Q:
    """Rows strictly after the position in this ordering (before it when paging backwards).

    Expanded as (a after va) OR (a = va AND b after vb) ..., plus a plain bound on the first key so that Postgres
    can start an index range scan there.
    """
    clauses = Q()
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        forward = key.descending != backwards  # "after" means smaller for a descending key
        lookup = "lt" if forward else "gt"
        clauses |= equal & Q(**{f"{key.field}__{lookup}": value})
        equal &= Q(**{key.field: value})
    first = keys[0]
    bound = Q(**{f"{first.field}__{'lte' if first.descending != backwards else 'gte'}": values[0]})
    return bound & clauses


class KeysetPagination(BasePagination):
    """?limit= (capped) and an opaque ?cursor=; responses are {"next", "previous", "results"}."""

    ordering_fields: tuple[str, ...] = ("id",)
    default_ordering = "-id"

    def __init__(self):
        self.keys: list[Key] = []
        self.next_cursor: str | None = None
        self.previous_cursor: str | None = None

    def get_limit(self, request) -> int:
        raw = request.query_params.get(LIMIT_PARAM)
        if raw in (None, ""):
            return settings.API_PAGE_SIZE
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({LIMIT_PARAM: ["Give a whole number of rows per page."]}) from None
        if value < 1:
            raise ValidationError({LIMIT_PARAM: ["Ask for at least one row per page."]})
        return min(value, settings.API_MAX_PAGE_SIZE)

    def ordering_for(self, request, view) -> list[Key]:
        allowed = tuple(getattr(view, "ordering_fields", None) or self.ordering_fields)
        default = getattr(view, "default_ordering", None) or self.default_ordering
        return parse_ordering(request.query_params.get(ORDERING_PARAM), allowed, default)

    def paginate_queryset(self, queryset: QuerySet, request, view=None):
        self.request = request
        self.keys = keys = self.ordering_for(request, view)
        limit = self.get_limit(request)
        cursor = request.query_params.get(CURSOR_PARAM)
        backwards = False
        if cursor:
            values, backwards = decode_cursor(cursor, keys)
            queryset = queryset.filter(_after(keys, values, backwards=backwards))
        order = [("-" if k.descending != backwards else "") + k.field for k in keys]
        rows = list(queryset.order_by(*order)[: limit + 1])
        has_more = len(rows) > limit
        rows = rows[:limit]
        if backwards:
            rows.reverse()
        self.next_cursor = self.previous_cursor = None
        if rows:
            first, last = self._position(rows[0]), self._position(rows[-1])
            if backwards:
                # Paging back from a position: rows after these exist (we came from there); more before if has_more.
                self.next_cursor = encode_cursor(keys, last)
                self.previous_cursor = encode_cursor(keys, first, reverse=True) if has_more else None
            else:
                self.next_cursor = encode_cursor(keys, last) if has_more else None
                self.previous_cursor = encode_cursor(keys, first, reverse=True) if cursor else None
        return rows

    def _position(self, row) -> list:
        return [getattr(row, k.field) for k in self.keys]

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, CURSOR_PARAM, cursor)

    def get_paginated_response(self, data):
        return Response(
            {"next": self._link(self.next_cursor), "previous": self._link(self.previous_cursor), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        allowed = tuple(getattr(view, "ordering_fields", None) or self.ordering_fields)
        return [
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": "Opaque position from a previous page's next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": LIMIT_PARAM,
                "required": False,
                "in": "query",
                "description": f"Rows per page (default {settings.API_PAGE_SIZE}, at most {settings.API_MAX_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": ORDERING_PARAM,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields, '-' for descending: " + ", ".join(allowed),
                "schema": {"type": "string"},
            },
        ]

    def first_page_link(self) -> str:
        return remove_query_param(self.request.build_absolute_uri(), CURSOR_PARAM)
