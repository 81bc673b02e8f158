"""Reading a paper's text: HTML stripped, then paragraphs, sections and sentences with offsets.

Every :class:`Sentence` carries its ``start`` and ``end`` in :attr:`Document.text`, so a quote
is always ``text[start:end]``, found verbatim. Headings (Abstract, Introduction, Methods,
Results, Discussion, Conclusion, References and numbered sections such as ``2.1. Patient
Selection``, Markdown ``#`` headings too) name the section; run-in labels such as
``Methods:`` inside an abstract name the subsection.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["Document", "Sentence", "read_text"]

_NAMED = (
    r"Abstract|Summary|Background|Introduction|Objectives?|Aims?|Materials and Methods|"
    r"Patients and Methods|Methods?|Methodology|Results|Findings|Discussion|Conclusions?|"
    r"Interpretation and conclusions|Limitations|References|Bibliography|Acknowledg[e]?ments?|"
    r"Funding|Keywords|Author Contributions|Conflicts? of Interest|Data Availability Statement|"
    r"Institutional Review Board Statement|Informed Consent Statement"
)
_HEADING = re.compile(
    rf"(?:#{{1,6}}[ \t]*)?(?:\*\*)?"
    rf"(?:(?P<num>[0-9]+(?:\.[0-9]+)*\.?)[ \t]+(?P<title>[A-Z][^\n]{{0,80}}?)"
    rf"|(?P<named>{_NAMED}))(?:\*\*)?[ \t]*:?[ \t]*",
    re.IGNORECASE,
)
_RUN_IN = re.compile(rf"(?:\*\*)?(?P<label>{_NAMED})(?:\*\*)?[ \t]*:[ \t]*", re.IGNORECASE)
#: Sections whose numbers are not about the cohort (literature, metadata, references).
SKIPPED = re.compile(
    r"(?i)^(?:[0-9.]+ )?(?:introduction|background|references|bibliography|acknowledg|funding|"
    r"keywords|author contributions|conflicts? of interest|data availability|"
    r"institutional review board|informed consent|front matter)"
)
_ABBREVIATIONS = re.compile(
    r"(?i)(?:\b(?:e\.g|i\.e|et al|vs|approx|fig|figs|no|ref|refs|eq|cf|resp|ca|dr|mr|ms)\.|"
    r"\b[A-Z]\.)$"
)
_BREAK = re.compile(r"[.!?](?:[\"')\]\u201d]*)(?=\s+[\"'(\[\u201c]?[A-Z0-9\u2212\u00b1-])")
_BULLET = re.compile(r"[ \t]*(?:[-*\u2022\u2023\u25e6][ \t]+)?(?:o[ \t]+)?")
_HTML_TAG = re.compile(
    r"<(?:html|body|p|div|span|table|tr|td|br|h[1-6]|li|ul|sup|sub|em|b|i)\b", re.I
)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{1,6}|#x[0-9a-fA-F]{1,5});")
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "title",
    }
)


@dataclass(frozen=True)
class Sentence:
    """One sentence (or list item) of the text: ``document.text[start:end]`` is its quote."""

    start: int
    end: int
    text: str
    section: str
    label: str | None
    paragraph: int

    @property
    def location(self) -> str:
        """Where a reader finds it: the section, the run-in label or the paragraph."""
        parts = [self.section]
        parts.append(self.label if self.label else f"paragraph {self.paragraph}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Document:
    """The plain text of a paper and its sentences; ``tables`` holds Markdown-pipe lines."""

    text: str
    sentences: tuple[Sentence, ...]


class _Stripper(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def plain_text(raw: str) -> str:
    """The text of ``raw``: HTML tags stripped and entities decoded; other text as given.

    >>> plain_text("<p>t(28) = 2.20, <i>p</i> &lt; .05</p>").strip()
    't(28) = 2.20, p < .05'
    >>> plain_text("p &lt; .05")
    'p < .05'
    """
    if _HTML_TAG.search(raw):
        stripper = _Stripper()
        stripper.feed(raw)
        stripper.close()
        text = "".join(stripper.parts)
        return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
    if _ENTITY.search(raw):
        return html.unescape(raw)
    return raw


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: runs of text between blank lines, trimmed."""
    out = []
    for m in re.finditer(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", text, re.S):
        # A heading on a line of its own is a paragraph even without blank lines around it.
        cut = m.start()
        for line in re.finditer(r"[^\n]+", text[m.start() : m.end()]):
            a, b = m.start() + line.start(), m.start() + line.end()
            if a > m.start() and _heading(text[a:b].strip()) is not None:
                out.append((cut, a - 1))
                cut = a
            if b < m.end() and _heading(text[a:b].strip()) is not None:
                out.append((a, b))
                cut = b + 1
        out.append((cut, m.end()))
    return [(a, b) for a, b in (_trim(text, a, b) for a, b in out) if a < b]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _heading(par: str) -> str | None:
    if "\n" in par or len(par) > 90:
        return None
    m = _HEADING.fullmatch(par)
    if m is None:
        return None
    if m.group("num") is not None:
        title = m.group("title")
        if title.endswith((".", ",", ";")) or re.search(r"[0-9|=<>]", title):
            return None
    return par.strip("#* \t").rstrip(":").strip("* ")


def _split(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of one paragraph: at a full stop before a capital, and at list items."""
    pieces: list[tuple[int, int]] = []
    lines_start = start
    # List items and table rows are sentences of their own.
    segments: list[tuple[int, int]] = []
    seg_start = start
    for m in re.finditer(r"\n", text[start:end]):
        nl = start + m.start()
        rest = text[nl + 1 : end]
        if re.match(r"[ \t]*(?:[-*\u2022|]|o[ \t]|[0-9]+[.)][ \t])", rest) or text[
            seg_start:nl
        ].lstrip().startswith(("-", "*", "\u2022", "|")):
            segments.append((seg_start, nl))
            seg_start = nl + 1
    segments.append((seg_start, end))
    del lines_start
    for a, b in segments:
        cut = a
        for m in _BREAK.finditer(text, a, b):
            stop = m.end()
            if _ABBREVIATIONS.search(text[max(a, stop - 8) : stop]):
                continue
            pieces.append((cut, stop))
            cut = stop
        pieces.append((cut, b))
    out = []
    for a, b in pieces:
        lead = _BULLET.match(text, a)
        if lead is not None:
            a = lead.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def read_text(raw: str) -> Document:
    """Split a paper's text into sentences that know their section and paragraph.

    Parameters
    ----------
    raw : str
        Plain text, Markdown or HTML.

    Examples
    --------
    >>> doc = read_text("3. Results\\n\\nWe enrolled 61 patients. Mean age was 63.3 years.")
    >>> [(s.text, s.location) for s in doc.sentences]  # doctest: +NORMALIZE_WHITESPACE
    [('We enrolled 61 patients.', '3. Results, paragraph 1'),
     ('Mean age was 63.3 years.', '3. Results, paragraph 1')]
    """
    text = plain_text(raw)
    section = "front matter"
    count = 0
    sentences: list[Sentence] = []
    paragraphs = _paragraphs(text)
    # A sentence broken by a page break: a paragraph ending mid-sentence continues in the next
    # one when that begins in lower case; the two are read as one paragraph.
    merged: list[tuple[int, int]] = []
    for a, b in paragraphs:
        if (
            merged
            and text[a].islower()
            and not re.search(r"[.!?:|]\W*$", text[merged[-1][0] : merged[-1][1]])
            and _heading(text[merged[-1][0] : merged[-1][1]]) is None
        ):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    for a, b in merged:
        par = text[a:b]
        title = _heading(par)
        if title is not None:
            section, count = title, 0
            continue
        count += 1
        label: str | None = None
        for s, e in _split(text, a, b):
            while True:
                run_in = _RUN_IN.match(text, s, e)
                if run_in is None or run_in.end() >= e:
                    break
                name = run_in.group("label")
                if name.casefold() == "abstract":
                    section = "Abstract"
                else:
                    label = name
                s = run_in.end()
            if s < e:
                sentences.append(Sentence(s, e, text[s:e], section, label, count))
    return Document(text, tuple(sentences))
