"""The draft never fails on text: random text with the patterns, random bytes; and it is fast."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cohort_reanalysis import verify_summary
from cohort_reanalysis.drafting import draft

PATTERNS = [
    "t(28) = 2.20, p = .036",
    "F(2, 30) = 4.1, p < .05",
    "r(48) = .32, p = .02",
    "\u03c72(1, N = 120) = 3.9, p = .048",
    "z = 2.1, p = .04",
    "p = ns",
    "t28 = \u22122.2, p<.001",
    "61 patients",
    "42 male and 16 female",
    "mean age 63.3",
    "6\u201368 months",
    "from 6.3% to 12.4%",
    "IQR 12 40",
    "p < 0.0001",
    "\u22120.57%; 95% CI \u22121.13 to \u22120.02",
    "3.47 \u00b1 1.21 (n = 28)",
    "over three years",
    "at least 6.2%",
    "exceeded 5 years",
    "(0.03, 0.03 to 0.03)",
    "No serious adverse events",
    "did not reach significance",
    "Results:",
    "\n\n2.1. Methods\n\n",
    "# Abstract\n",
    "<p>",
    "&lt;",
    "|",
    "| 1 | 2 |\n|---|---|",
    ".",
    ", ",
    "\n",
    " ",
    "e.g.",
    "1e-06",
    "10^-6",
    "%",
    "-",
    "\u2013",
    "\u00a0",
    "\u2009",
]
_TEXT = st.lists(st.one_of(st.sampled_from(PATTERNS), st.text(max_size=12)), max_size=40).map(
    "".join
)


def _check(text: str) -> None:
    for cohort_kw in ({}, {"dataset": "matsuoka2025"}):
        result = draft(text, **cohort_kw)  # type: ignore[arg-type]
        claims = result.claims  # always loads with the claims parser
        verify_summary(claims)
        for c in result.document["claims"]:
            assert c["quote"] in result_text(text)


def result_text(text: str) -> str:
    from cohort_reanalysis.drafting._intake import plain_text

    return plain_text(text)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_random_text_with_the_patterns_drafts_loads_and_verifies(text: str) -> None:
    _check(text)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_decoded_as_text(raw: bytes) -> None:
    _check(raw.decode("utf-8", errors="replace"))
    _check(raw.decode("latin-1"))


# The time to draft a 300 kB text is measured in bench/run.py (stage_drafting), where the
# machine and its load are written down: no wall-clock bound here.
