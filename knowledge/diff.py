"""Readable differences between two article versions, as data the template escapes (no HTML is built here)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Segment:
    text: str
    changed: bool = False


@dataclass
class Row:
    """One line of a side-by-side diff: kind is equal, insert, delete, replace or skip (unchanged lines hidden)."""

    kind: str
    left_number: int | None = None
    right_number: int | None = None
    left: list[Segment] = field(default_factory=list)
    right: list[Segment] = field(default_factory=list)


@dataclass
class FieldDiff:
    label: str
    rows: list[Row]

    @property
    def changed(self) -> bool:
        return any(row.kind != "equal" for row in self.rows)


def _inline(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """Word-level highlighting inside a changed line."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append(Segment("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(Segment("".join(b[j1:j2]), tag != "equal"))
    return left, right


def diff_lines(old: str, new: str, *, context: int = 3) -> list[Row]:
    """Side-by-side rows of two texts; runs of unchanged lines longer than 2 x context collapse into a skip row."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            size = i2 - i1
            for offset in range(size):
                if context * 2 < size and context <= offset < size - context:
                    if offset == context:
                        rows.append(Row("skip", left=[Segment(f"{size - 2 * context} unchanged lines")]))
                    continue
                line = a[i1 + offset]
                rows.append(Row("equal", i1 + offset + 1, j1 + offset + 1, [Segment(line)], [Segment(line)]))
        elif tag == "replace":
            for offset in range(max(i2 - i1, j2 - j1)):
                left_line = a[i1 + offset] if i1 + offset < i2 else None
                right_line = b[j1 + offset] if j1 + offset < j2 else None
                if left_line is not None and right_line is not None:
                    left, right = _inline(left_line, right_line)
                    rows.append(Row("replace", i1 + offset + 1, j1 + offset + 1, left, right))
                elif left_line is not None:
                    rows.append(Row("delete", i1 + offset + 1, None, [Segment(left_line, True)], []))
                else:
                    rows.append(Row("insert", None, j1 + offset + 1, [], [Segment(right_line, True)]))
        elif tag == "delete":
            for offset in range(i2 - i1):
                rows.append(Row("delete", i1 + offset + 1, None, [Segment(a[i1 + offset], True)], []))
        else:
            for offset in range(j2 - j1):
                rows.append(Row("insert", None, j1 + offset + 1, [], [Segment(b[j1 + offset], True)]))
    return rows


def diff_versions(old, new, *, names: dict[str, dict[int, str]] | None = None) -> list[FieldDiff]:
    """Every field of two versions (title, summary, keywords, audience, services, categories, body)."""
    names = names or {}

    def listed(version, attribute: str) -> str:
        lookup = names.get(attribute, {})
        return ", ".join(sorted(lookup.get(pk, f"#{pk}") for pk in getattr(version, attribute) or []))

    pairs = [
        ("Title", old.title, new.title),
        ("Summary", old.summary, new.summary),
        ("Keywords", old.keywords, new.keywords),
        ("Audience", old.get_audience_display(), new.get_audience_display()),
        ("Services", listed(old, "service_ids"), listed(new, "service_ids")),
        ("Categories", listed(old, "category_ids"), listed(new, "category_ids")),
        ("Body", old.body, new.body),
    ]
    return [FieldDiff(label, diff_lines(a, b)) for label, a, b in pairs]


def unified_text(old: str, new: str, *, old_name: str = "a", new_name: str = "b") -> str:
    """A plain unified diff (for the API)."""
    return "".join(
        difflib.unified_diff(
            (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True), old_name, new_name, n=3
        )
    )
