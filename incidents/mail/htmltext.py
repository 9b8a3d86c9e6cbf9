"""HTML mail to plain text: scripts, styles and markup dropped, structure kept, quoted blocks marked with "> "."""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIP = {"script", "style", "head", "title", "noscript", "template", "object", "iframe", "svg"}
BLOCK = {
    "p", "div", "br", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr",
    "section", "article", "header", "footer", "blockquote", "dl", "dt", "dd", "address", "center",
}  # fmt: skip
# Containers mail clients put the quoted history in: they become "> " lines that reply stripping removes.
QUOTE_CLASSES = {"gmail_quote", "yahoo_quoted", "protonmail_quote", "moz-forward-container"}
VOID = {"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "source"}


class _TextMaker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.current: list[str] = []
        self.depth = 0
        self.line_depth = 0
        self.skip = 0
        self.pre = 0
        self.stack: list[tuple[str, bool]] = []
        self.href: list[str | None] = []

    def _break(self) -> None:
        text = "".join(self.current)
        if not self.pre:
            text = re.sub(r"[ \t\r\n\f\v\u00a0]+", " ", text).strip()
        self.lines.append((self.line_depth, text))
        self.current = []
        self.line_depth = self.depth

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in SKIP:
            self.skip += 1
            return
        quoting = tag == "blockquote" or bool(set((attributes.get("class") or "").split()) & QUOTE_CLASSES)
        if tag in BLOCK and (self.current or tag in ("br", "p")):
            self._break()
        if tag not in VOID:
            self.stack.append((tag, quoting))
        if quoting:
            self.depth += 1
            if not self.current:
                self.line_depth = self.depth
        if tag == "li":
            self.current.append("- ")
        elif tag == "pre":
            self.pre += 1
        elif tag == "a":
            self.href.append(attributes.get("href"))
        elif tag in ("td", "th") and self.current:
            self.current.append(" ")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in SKIP:
            self.skip = max(self.skip - 1, 0)
            return
        if tag == "a" and self.href:
            href = self.href.pop()
            text = "".join(self.current)
            if href and href.startswith(("http://", "https://")) and href not in text:
                self.current.append(f" ({href})")
        # Close up to the matching open tag (mail HTML is often badly nested).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for _name, quoting in self.stack[index:]:
                    if quoting:
                        if self.current:
                            self._break()
                        self.depth = max(self.depth - 1, 0)
                        self.line_depth = self.depth
                del self.stack[index:]
                break
        if tag == "pre":
            self.pre = max(self.pre - 1, 0)
        if tag in BLOCK and self.current:
            self._break()

    def handle_data(self, data):
        if self.skip:
            return
        if not self.current:
            self.line_depth = self.depth
        self.current.append(data)

    def text(self) -> str:
        if self.current:
            self._break()
        out: list[str] = []
        for depth, line in self.lines:
            prefix = "> " * depth
            out.append(f"{prefix}{line}".rstrip() if line else prefix.rstrip())
        text = "\n".join(out)
        text = re.sub(r"\n{3,}", "\n\n", text)
        return text.strip("\n")


def html_to_text(html: str) -> str:
    """Readable plain text from an HTML mail body; nothing of the markup survives."""
    maker = _TextMaker()
    try:
        maker.feed(html or "")
        maker.close()
    except (AssertionError, ValueError):  # pathological markup: keep what was read so far
        pass
    return maker.text()
