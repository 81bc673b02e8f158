"""APA-style test results, read as statcheck reads them.

The sentences and expected extractions are statcheck's own (Nuijten & Epskamp, the R package
statcheck, tests/testthat/test-extract-{t,F,chi2,correlations,z}-tests.R): what it extracts,
and what it declines to extract. Variants beyond them are from the issue (Unicode minus,
thin and no-break spaces, ``≤``, ``t28``, ``χ²``, ``(1, N = 120)``, one-tailed mentions).
"""

from __future__ import annotations

import pytest

from cohort_reanalysis.drafting import draft_claims
from cohort_reanalysis.drafting._apa import find_tests


def _one(text: str) -> dict[str, object]:
    found = find_tests(text)
    assert len(found) == 1, (text, found)
    return found[0].fields()


@pytest.mark.parametrize(
    ("text", "test", "df", "statistic", "p"),
    [
        ("t(28) = 2.20, p = .03", "t", "28", "2.20", ".03"),
        ("F(2, 28) = 2.20, p = .03", "F", "2, 28", "2.20", ".03"),
        ("r(28) = .20, p = .03", "r", "28", ".20", ".03"),
        ("chi2(28) = 2.20, p = .03", "chi2", "28", "2.20", ".03"),
        (" z = 2.20, p = .03", "z", None, "2.20", ".03"),
        ("t(28.1) = 2.20, p = .03", "t", "28.1", "2.20", ".03"),
        ("F(2.1, 28.1) = 2.20, p = .03", "F", "2.1, 28.1", "2.20", ".03"),
    ],
)
def test_statcheck_standard_results(
    text: str, test: str, df: str | None, statistic: str, p: str
) -> None:
    got = _one(text)
    assert got["test"] == test and got.get("df") == df
    assert got["statistic"] == statistic and got["p"] == p
    assert got["comparator"] == "=" and got["statistic_comparator"] == "="


@pytest.mark.parametrize(
    "text",
    [
        " t ( 28 ) = 2.20 , p = .03",
        "t(28)=2.20,p=.03",
        " F ( 2 , 28 ) = 2.20 , p = .03",
        "F(2,28)=2.20,p=.03",
        " r ( 28 ) = .20 , p = .03",
        "r(28)=.20,p=.03",
        " chi2 ( 28 ) = 2.20 , p = .03",
        "chi2(28)=2.20,p=.03",
        " z = 2.20 , p = .03",
        " z=2.20,p=.03",
        "X2(28) = 2.20, p = .03",
        "x2(28) = 2.20, p = .03",
        "chi_2(28) = 2.20, p = .03",
    ],
)
def test_statcheck_spacing_and_chi_spellings(text: str) -> None:
    _one(text)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("t(28) = -2.20, p = .03", "statistic", "-2.20"),
        ("t(28) = 2,000.20, p = .03", "statistic", "2000.20"),
        ("t(28) < 2.20, p = .03", "statistic_comparator", "<"),
        ("t(28) > 2.20, p = .03", "statistic_comparator", ">"),
        ("t(28) = 2.20, p = 0.03", "p", "0.03"),
        ("t(28) = 2.20, p < .03", "comparator", "<"),
        ("t(28) = 2.20, p > .03", "comparator", ">"),
        ("t(28) = 2.20, ns", "p", "ns"),
        ("t(28) = 2.20, p = .5e-3", "p", ".5e-3"),
    ],
)
def test_statcheck_variations(text: str, field: str, value: str) -> None:
    assert _one(text)[field] == value


@pytest.mark.parametrize(
    "text",
    [
        "t(28) = 2.20; p = .03",  # punctuation
        "t[28] = 2.20, p = .03",
        "t(28) = 2.20, p = 1.03",  # not a p-value
        "t(2,28) = 2.20, p = .03",  # two df for t
        "r(16) = 26.05, p = .10",  # a correlation above 1
        "QError(16) = .26, p = .10",  # a subscript ending in r
        " z(28) = 2.20, p = .03",  # z has no df
    ],
)
def test_statcheck_does_not_read(text: str) -> None:
    assert find_tests(text) == []


def test_statcheck_several_results_in_one_sentence() -> None:
    text = "Both effects were very significant, t(28) = 2.20, p = .03, t(28) = 1.23, p = .04."
    assert [r.fields()["statistic"] for r in find_tests(text)] == ["2.20", "1.23"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "t(28)\u2009=\u2009\u22122.20, p\u00a0=\u00a0.036",
            {"statistic": "\u22122.20", "p": ".036"},
        ),
        ("t (28) = 2.20, p \u2264 .05", {"comparator": "<="}),
        ("t28 = 2.2, p<.001", {"df": "28", "comparator": "<", "p": ".001"}),
        ("\u03c72(1, N = 120) = 3.9, p = .048", {"test": "chi2", "df": "1"}),
        ("\u03c7\u00b2(1, N = 120) = 3.9, p = .048", {"test": "chi2", "df": "1"}),
        ("X2(1, N = 120) = 3.9, p = .048", {"test": "chi2", "df": "1"}),
        ("t(28) = 2.20, p = ns", {"p": "ns", "comparator": "="}),
        ("F(2, 30) = 4.1, p < .05", {"df": "2, 30", "statistic": "4.1", "comparator": "<"}),
        ("A one-tailed test gave t(28) = 2.20, p = .018", {"alternative": "greater"}),
        ("One-sided: t(28) = \u22122.20, p = .018", {"alternative": "less"}),
    ],
)
def test_variants_real_text_has(text: str, expected: dict[str, str]) -> None:
    got = _one(text)
    assert {k: got.get(k) for k in expected} == expected


def test_results_become_summary_claims_that_load_and_are_checked() -> None:
    text = (
        "Results: The groups differed, t(28) = 2.20, p = .036, and F(2, 30) = 4.1, p < .05; "
        "r(48) = .32, p = .02. \u03c72(1, N = 120) = 3.9, p = .048 and z = 2.1, p = .04."
    )
    claims = draft_claims(text)
    summaries = claims.summary_claims
    assert [s.get("test") for s in summaries] == ["t", "F", "r", "chi2", "z"]
    for s in summaries:
        assert s.quote in text and s.kind == "test_statistic"
    from cohort_reanalysis import verify_summary

    audit = verify_summary(claims)
    # t(28) = 2.20 gives p = .036 (scipy: 2 * t.sf(2.2, 28) = 0.0362), so it is consistent.
    assert audit.results[0].consistent is True
