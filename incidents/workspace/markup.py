"""Markdown for comments and work notes, rendered then sanitised (nh3) so no markup can run in a browser."""

from __future__ import annotations

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from incidents.workspace.lru import LRU

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h1", "h2", "h3", "h4",
    "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "span": {"class"}, "th": {"align"}, "td": {"align"}}
MENTION = re.compile(r"(?<![\w.@/])@([\w.+-]{2,150})")


def render(text: str) -> SafeString:
    """Markdown to sanitised HTML; @mentions are highlighted."""
    html = markdown.markdown(text or "", extensions=["fenced_code", "sane_lists", "tables", "nl2br"])
    html = MENTION.sub(lambda m: f'<span class="mention">@{m.group(1)}</span>', html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


_rendered = LRU(20_000)


def render_entry(entry_id: int, text: str) -> SafeString:
    """Timeline entries never change, so their rendering is kept in-process by id."""
    html = _rendered.get(entry_id)
    if html is None:
        html = str(render(text))
        _rendered.set(entry_id, html)
    return mark_safe(html)  # noqa: S308 - cached output of render()
