"""An article as text: its readable text from plain text, Markdown or HTML, and its sentences.

>>> sentences(article_text("<h1>Amazon adds $5B</h1><p>Amazon Inc. will invest $5.5 billion. Anthropic agreed.</p>"))
['Amazon adds $5B', 'Amazon Inc. will invest $5.5 billion.', 'Anthropic agreed.']
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


class _TextOf(HTMLParser):
    """The readable text of an HTML page: paragraphs and headings, without scripts, styles or markup."""

    _SKIP = {"script", "style", "noscript", "head", "nav", "footer"}
    _BREAK = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BREAK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag) -> None:
        if tag in self._SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self._BREAK:
            self.parts.append("\n\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


MAX_ARTICLE_CHARS = 500_000
"""The longest article read: ten times a long feature. Reading takes time in proportion to length."""


def article_text(raw: str) -> str:
    """Plain text from plain text, Markdown or HTML, of at most :data:`MAX_ARTICLE_CHARS` characters.

    >>> article_text("<p>Amazon &amp; <b>Anthropic</b></p><script>x()</script>")
    'Amazon & Anthropic'
    >>> article_text("# Title\\n\\n**Amazon** invests in [Anthropic](https://example.org).")
    'Title\\n\\nAmazon invests in Anthropic.'
    """
    if len(raw) > MAX_ARTICLE_CHARS:
        raise ValueError(f"the article holds {len(raw):,} characters, more than the {MAX_ARTICLE_CHARS:,} an "
                         "article can: give one article at a time")
    if re.search(r"<(p|div|html|body|article|br|h[1-6])\b", raw, re.I):
        parser = _TextOf()
        parser.feed(raw)
        raw = "".join(parser.parts)
    else:
        # Every span is bounded, so hostile text ("[[[[...", "*a *a *a ...") takes linear time.
        raw = re.sub(r"!?\[([^\]\n]{0,500})\]\([^)\s]{0,2000}\)", r"\1", raw)  # links and images keep their text
        raw = re.sub(r"(?m)^[ \t]{0,3}(#{1,6}|>|[-*+]\s)[ \t]*", "", raw)
        raw = re.sub(r"(\*\*|__|\*|_|`)(\S(?:[^\n]{0,300}?\S)?)\1", r"\2", raw)
    raw = html.unescape(raw)
    # A first line with no closing punctuation is a headline: its own paragraph, not the start of a sentence.
    raw = re.sub(r"\A[ \t]*([^\n]{1,300}[^\s.!?:;,])[ \t]*\n(?=[ \t]*\S)", r"\1\n\n", raw)
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", raw)]
    return "\n\n".join(p for p in paragraphs if p)


_ABBREVIATIONS = "".join(rf"(?<!\b{word}\.)" for word in (
    "Inc", "Corp", "Co", "Ltd", r"U\.S", "Mr", "Ms", "Dr", "St", "vs", "No", "Jr", "Sr",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"))


_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'-]+(?:,\s*[A-Z][A-Za-z.]+)?,\s*)?"            # SAN FRANCISCO, / SEATTLE,
    r"(?:[A-Z][a-z]{2,}\.?\s+\d{1,2}(?:,\s*\d{4})?\s*)?"             # Nov. 3, 2025 / April 20
    r"(?:/[^/]{2,40}/|\([^)]{2,40}\))\s*[-–—]+\s*")                     # /PRNewswire/ -- / (Wire) -


def without_dateline(sentence: str) -> str:
    """A sentence without the dateline wire copy and press releases open with.

    >>> without_dateline("SAN FRANCISCO, Nov. 3, 2025 /PRNewswire/ -- Lumen raised $5 million.")
    'Lumen raised $5 million.'
    >>> without_dateline("SEATTLE, April 20 (Wire) - Amazon will invest.")
    'Amazon will invest.'
    """
    return _DATELINE.sub("", sentence)


def sentences(text: str) -> list[str]:
    """The article's sentences, split at full stops that end one (not in ``U.S.``, ``Inc.`` or ``$5.5``).

    >>> sentences("Amazon Inc. invests $5.5 billion. The U.S. firm said so on Nov. 3 at Acme Corp. Offices! Really?")
    ['Amazon Inc. invests $5.5 billion.', 'The U.S. firm said so on Nov. 3 at Acme Corp. Offices!', 'Really?']
    """
    found = []
    for paragraph in text.split("\n\n"):
        parts = re.split(_ABBREVIATIONS + r"(?<=[.!?])[\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9$€£])|\s*•\s*", paragraph)
        for part in (part.strip() for part in parts):
            while len(part) > MAX_SENTENCE_CHARS:  # a run-on text, not a sentence: read in pieces, so in linear time
                cut = part.rfind(" ", 0, MAX_SENTENCE_CHARS)
                cut = cut if cut > 0 else MAX_SENTENCE_CHARS
                found.append(part[:cut].strip())
                part = part[cut:].strip()
            if part:
                found.append(part)
    return found


MAX_SENTENCE_CHARS = 2_000
"""The longest sentence read whole; a longer run of text (a table, a list without stops) is read in pieces."""
