"""Text from plan and data files is untrusted wherever it is shown: one escape for Markdown,
one for HTML, and one sanitiser for HTML fragments that were rendered from Markdown (the
exported notebooks).

`markdown_text` makes a name read as the same characters in any Markdown renderer, raw
HTML on or off: no tag, entity, link, image, emphasis, table cell or new block can start
inside it, and no address in it becomes a link. `html_text` escapes for HTML text and
attribute values. `clean_html` keeps the tags Markdown and pandas tables produce and drops
everything that could run or fetch:
scripts, styles, frames, event handlers, and any link or image that is not a data URI
of a raster image or an in-page anchor.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

#: Characters escaped with a backslash wherever they stand (code, emphasis, links and
#: images, table cells, strikethrough).
_ALWAYS = re.compile(r"[\\`*\[\]|~]")
#: ``_`` opens or closes emphasis unless it stands between two letters or digits.
_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
#: ``<`` that could open a tag, comment or autolink; ``&`` that could open an entity.
_ANGLE = re.compile(r"<(?=[A-Za-z/!?])")
_AMP = re.compile(r"&(?=[A-Za-z#])")
#: A bare address a renderer would turn into a link (GFM autolinks): its ``:`` or ``.``
#: escaped, the text reads the same and links nowhere.
_AUTOLINK = re.compile(r"(?<=[A-Za-z]):(?=//)|(?<![\w.])(?i:www)(?=\.)")
#: A start that would open a heading, quote, list, setext line or thematic break.
_BLOCK_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")
#: Every kind of line break (a new line could start a new block).
_BREAKS = re.compile(r"[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+")


def markdown_text(text: object, line_start: bool = False) -> str:
    """``text`` escaped for Markdown: shows as the same characters, never as markup.
    ``line_start``: the text begins a line, where ``#``, ``>``, ``-``, ``1.`` would open
    a block."""
    out = _BREAKS.sub(" ", str(text)).strip(" \t")
    out = _ALWAYS.sub(lambda m: "\\" + m[0], out)
    out = _UNDERSCORE.sub(r"\\_", out)
    out = _AMP.sub("&amp;", out)
    out = _ANGLE.sub("&lt;", out)
    out = _AUTOLINK.sub(lambda m: "\\:" if m[0] == ":" else m[0] + "\\", out)
    if not line_start:
        return out
    return _BLOCK_START.sub(lambda m: m[0] + "\\" if m[0][0].isdigit() else "\\" + m[0], out,
                            count=1)


def html_text(text: object) -> str:
    """``text`` escaped for HTML text and quoted attribute values."""
    return html.escape(str(text), quote=True)


#: Tags kept (their attributes filtered); everything else is dropped, its text kept.
_KEEP = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd",
    "del", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"})
#: Tags dropped with everything inside them.
_DROP = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
    "noscript", "noembed", "template", "title", "textarea", "select", "svg", "math",
    "head", "meta", "link", "base", "audio", "video", "source", "track", "canvas",
    "portal", "xmp", "plaintext", "noframes"})
_VOID = frozenset({"br", "col", "hr", "img"})
_ATTRIBUTES = frozenset({"class", "id", "title", "alt", "colspan", "rowspan", "align",
                         "valign", "border", "start", "href", "src"})
_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z")


def _allowed(tag: str, name: str, value: str) -> bool:
    """Whether attribute ``name`` = ``value`` may stay on ``tag``."""
    if name not in _ATTRIBUTES:
        return False
    if name == "href":
        return tag == "a" and value.startswith("#")
    if name == "src":
        return tag == "img" and _IMAGE.match(value) is not None
    return True


class _Cleaner(HTMLParser):
    """Rebuilds an HTML fragment from the kept tags, filtered attributes and text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.dropping: list[str] = []

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        if self.dropping:
            if tag == self.dropping[-1] and not closed and tag not in _VOID:
                self.dropping.append(tag)
            return
        if tag in _DROP:
            if not closed and tag not in _VOID:
                self.dropping.append(tag)
            return
        if tag not in _KEEP:
            return
        kept = "".join(f' {n}="{html_text(v or "")}"' for n, v in attrs
                       if _allowed(tag, n, (v or "").strip()))
        self.out.append(f"<{tag}{kept}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag in _KEEP and tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))


def clean_html(fragment: object) -> str:
    """``fragment`` with only safe tags and attributes (see the module docstring): what
    nbconvert shows of Markdown and HTML outputs in an exported notebook."""
    text = fragment.decode("utf-8", "replace") if isinstance(fragment, bytes) else str(fragment)
    cleaner = _Cleaner()
    cleaner.feed(text)
    cleaner.close()
    return "".join(cleaner.out)
