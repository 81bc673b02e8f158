"""Fields from files reach Markdown inert and a terminal without control characters."""

from __future__ import annotations

import re

import pandas as pd

import cohort_reanalysis as cr
from cohort_reanalysis.presentation._markdown import render_markdown
from cohort_reanalysis.presentation._text import render_text
from cohort_reanalysis.verification.claims import FORMAT, parse_claims

HOSTILE = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) *b* \x1b[2J\u202e - 1. `c`"
DOI = "10.1/x) [y](javascript:alert(1)"


def _audit() -> cr.Audit:
    frame = pd.DataFrame({"b": [7.0, 8.0, 9.0], "a\x1b[31m": [6.5, 8.0, 8.0]})
    prov = cr.Provenance(citation=HOSTILE, doi=DOI)
    cohort = cr.Cohort.from_frame(
        frame, columns={"before": "b", "after": "a\x1b[31m"}, provenance=prov, name="x"
    )
    claim = {
        "id": "c",
        "quote": HOSTILE,
        "location": HOSTILE,
        "versions": ["p"],
        "reported": "7.49",
        "comparator": "=",
        "unit": "\x1b[5m%",
        "quantity": {"statistic": "mean", "variable": "before"},
    }
    return cr.verify(cohort, parse_claims({"format": FORMAT, "dataset": "x", "claims": [claim]}))


def test_markdown_escapes_every_field_from_a_file() -> None:
    md = render_markdown(_audit())
    # The only raw HTML is the report's own anchors; no link but the DOI's resolver.
    assert re.findall(r"(?<!\\)<[a-z]", md) == ["<a"] * md.count('<a id="')
    assert "<img" not in md.replace("\\<img", "")
    links = re.findall(r"(?<!\\)\]\(([^)]*)\)", md)
    assert all(link.startswith(("https://doi.org/", "#")) for link in links), links
    doi_line = next(line for line in md.splitlines() if line.startswith("- **DOI:**"))
    target = re.fullmatch(r"- \*\*DOI:\*\* \[.*(?<!\\)\]\((.*)\)", doi_line)
    assert target is not None, doi_line
    assert target.group(1).startswith("https://doi.org/10.1/x%29")
    assert not set("()<> ") & set(target.group(1))
    assert "\x1b" not in md and "\u202e" not in md
    assert "\\*b\\*" in md  # no emphasis from a quote


def test_text_output_writes_control_characters_as_repr_does() -> None:
    text = render_text(_audit())
    assert "\x1b" not in text and "\u202e" not in text
    assert "\\x1b[2J" in text and "\\u202e" in text
