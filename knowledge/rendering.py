"""Markdown to safe HTML: rendered with `markdown`, then cleaned with `nh3` so no script can survive."""

from __future__ import annotations

import html
import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
EXTENSIONS = ["fenced_code", "tables", "sane_lists", "def_list", "abbr"]
_CODE_CLASS = re.compile(r"^language-[\w+-]{1,30}$")
_WHITESPACE = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    # Only a code block's language class survives; no other class names reach the page.
    if attribute == "class":
        return value if tag == "code" and _CODE_CLASS.match(value) else None
    return value


def sanitize_html(raw_html: str) -> str:
    """Keeps only harmless tags and attributes; strips scripts, event handlers, styles and javascript: URLs."""
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def render_markdown(text: str) -> SafeString:
    """The article body as sanitised HTML, safe to put in a page as is."""
    raw = markdown.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    return mark_safe(sanitize_html(raw))  # noqa: S308 - nh3 has just removed everything unsafe


def plain_text(text: str) -> str:
    """The Markdown as readable plain text (no tags, no markup), for search and snippets."""
    cleaned = nh3.clean(render_markdown(text), tags=set(), attributes={})
    # Block ends become line breaks so words of two paragraphs never run together.
    value = html.unescape(cleaned)
    value = _WHITESPACE.sub(" ", value)
    return _BLANK_LINES.sub("\n", value).strip()
