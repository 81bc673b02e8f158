"""Every other number a sentence states: as printed, with comparator, unit and kind."""

from __future__ import annotations

import pytest

from cohort_reanalysis.drafting import draft_claims
from cohort_reanalysis.drafting._apa import normalise
from cohort_reanalysis.drafting._numbers import find_numbers


def _read(text: str) -> list[tuple[str, str, str, str | None]]:
    return [
        (f.kind, f.reported, f.comparator, f.unit) for f in find_numbers(text, normalise(text), [])
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A total of 61 patients were enrolled.", [("value", "61", "=", "patients")]),
        (
            "It comprised 42 male and 16 female patients.",
            [("value", "42", "=", "patients"), ("value", "16", "=", "patients")],
        ),
        (
            "with a mean age of 63.3 years (range: 42 to 89 years)",
            [("value", "63.3", "=", "years"), ("range", "42 to 89", "=", "years")],
        ),
        (
            "a median of 35 months (range: 6\u201368 months)",
            [("value", "35", "=", "months"), ("range", "6\u201368", "=", "months")],
        ),
        ("values ranging from 6.3% to 12.4%.", [("range", "6.3% to 12.4%", "=", "%")]),
        ("Interquartile range: 15.25 45.75 months", [("range", "15.25 45.75", "=", "months")]),
        ("(HbA1c \u22656.2%)", [("value", "6.2", ">=", "%")]),
        ("for more than 12 months", [("value", "12", ">", "months")]),
        ("at least 18 years", [("value", "18", ">=", "years")]),
        ("the follow-up exceeded three years", [("value", "3", ">", "years")]),
        ("effects persisting for over five years", [("value", "5", ">", "years")]),
        ("for up to 5 years", [("value", "5", "<=", "years")]),
        ("(p < 0.0001)", [("pvalue", "0.0001", "<", None)]),
        ("p\u2009=\u2009.036", [("pvalue", ".036", "=", None)]),
        (
            "No serious adverse events were reported.",
            [("count_zero", "0", "=", "serious adverse events")],
        ),
        ("this did not reach statistical significance", [("implied_p", "0.05", ">=", None)]),
        ("IL-6 and CD73 in type 2 diabetes (Table 1, 2014)", []),
    ],
)
def test_numbers_as_printed(text: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    assert _read(text) == expected


def test_an_estimate_with_its_ci_is_an_estimate_ci_claim() -> None:
    text = (
        "Results: HbA1c fell (\u22120.57%; 95% CI \u22121.13 to \u22120.02) and C-peptide rose "
        "(0.09, 0.05 to 0.13)."
    )
    summaries = draft_claims(text).summary_claims
    assert [(s.get("estimate"), s.get("ci_low"), s.get("ci_high")) for s in summaries] == [
        ("\u22120.57", "\u22121.13", "\u22120.02"),
        ("0.09", "0.05", "0.13"),
    ]
    assert summaries[0].get("confidence_level") == 0.95 and summaries[0].unit == "%"
    assert summaries[1].get("confidence_level") == 0.95  # carried from the printed "95% CI"


def test_mean_sd_with_n_is_a_mean_sd_claim_for_grim() -> None:
    claims = draft_claims("Results: Scores were 3.47 \u00b1 1.21 points (n = 28).")
    (s,) = claims.summary_claims
    assert (s.kind, s.get("mean"), s.get("sd"), s.get("n")) == ("mean_sd", "3.47", "1.21", 28)
    assert claims.claims == ()


def test_every_drafted_quote_is_in_the_text() -> None:
    text = "3. Results\n\nMean age was 63.3 years; 42 male and 16 female patients (p < .001)."
    claims = draft_claims(text)
    assert claims.claims and all(c.quote in text for c in claims.claims)
