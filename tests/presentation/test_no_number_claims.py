"""A claim without a number (issue 16, item 5): with ``quantity: null`` a claims@2 claim may
leave out ``reported``, ``comparator``, ``unit`` and ``versions``; every report prints its
quote and "not checkable" with its note, never "Reported 0 hours" or an empty "Reported"."""

from __future__ import annotations

import json
import re

import pytest

from cohort_reanalysis.cohort import load_dataset
from cohort_reanalysis.presentation._html_report import render_html
from cohort_reanalysis.presentation._json import render_json
from cohort_reanalysis.presentation._markdown import render_markdown
from cohort_reanalysis.presentation._text import render_text
from cohort_reanalysis.verification._audit import Audit, verify
from cohort_reanalysis.verification.claims import parse_claims

QUOTE = "Hyoscyamine hydrobromide is a useful soporific."
NOTE = "A judgement about the drug; the table holds no number it states."


@pytest.fixture(scope="module")
def audit() -> Audit:
    claims = parse_claims(
        {
            "format": "cohort-reanalysis/claims@2",
            "dataset": "student1908_sleep",
            "claims": [
                {
                    "id": "words",
                    "quote": QUOTE,
                    "location": "p. 21",
                    "quantity": None,
                    "note": NOTE,
                },
                {
                    "id": "mean_1",
                    "quote": "Mean +0.75",
                    "location": "p. 20",
                    "versions": ["original"],
                    "reported": "0.75",
                    "comparator": "=",
                    "unit": "hours",
                    "quantity": {"statistic": "mean", "variable": "sleep_gain_1"},
                },
            ],
        }
    )
    return verify(load_dataset("student1908_sleep"), claims)


def test_the_claim_is_not_checkable_and_its_result_says_so(audit: Audit) -> None:
    result = audit["words"]
    assert result.verdict.value == "not_checkable"
    assert result.reported == ""
    assert result.reported_text == "no number stated"
    assert NOTE in result.explanation
    assert result.explanation.startswith(f"\u201c{QUOTE}\u201d; not checkable")


def _no_empty_reported(text: str) -> None:
    assert not re.search(r"Reported 0\b(?!\.)", text)
    for empty in ("Reported hours", "Reported  ", "Reported;", "<dd></dd>", "Reported:** \n"):
        assert empty not in text, empty
    assert "Reported 0.75 hours" in text  # the claim with a number still says it


@pytest.mark.parametrize("render", [render_text, render_markdown, render_html])
def test_every_report_prints_the_quote_not_checkable_and_the_note(
    audit: Audit, render: object
) -> None:
    text = render(audit)  # type: ignore[operator]
    flat = " ".join(text.split())
    assert QUOTE in flat
    assert NOTE in flat
    assert re.search(r"not[ _]checkable", flat)
    assert "no number stated" in flat or render is render_text
    _no_empty_reported(text)


def test_the_json_gives_the_quote_the_verdict_and_the_note(audit: Audit) -> None:
    doc = json.loads(render_json(audit))
    claim = doc["claims"][0]
    assert claim["quote"] == QUOTE
    assert claim["verdict"] == "not_checkable"
    assert claim["reported"] == ""
    assert claim["recomputed"] is None
    assert NOTE in claim["explanation"]
