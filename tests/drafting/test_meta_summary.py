"""The meta-analysis summary drafted into estimate_ci claims that verify as the hand-written
datasets/meta_t1dm_2025/claims.json does.

The summary page states no licence (it is an AI-generated summary page of a third-party
site), so its text is not bundled: the test reads it from the sources folder beside the
repository and skips where that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cohort_reanalysis import load_claims, verify_summary
from cohort_reanalysis.drafting import draft

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT.parent / "shared" / "sources"


def _summary_text() -> str:
    found = sorted(SOURCES.glob("000_*.txt")) if SOURCES.is_dir() else []
    if not found:
        pytest.skip(
            "the meta-analysis summary page is not bundled (no licence stated) and "
            f"{SOURCES} is absent"
        )
    return found[0].read_text(encoding="utf-8")


def test_the_summary_drafts_into_estimate_ci_claims_that_verify_as_the_hand_file() -> None:
    drafted = draft(_summary_text(), version="summary")
    assert not drafted.problems
    audit = verify_summary(drafted.claims)
    by_numbers = {}
    for s, r in zip(drafted.claims.summary_claims, audit.results, strict=True):
        if s.kind == "estimate_ci":
            by_numbers.setdefault(
                (s.get("estimate"), s.get("ci_low"), s.get("ci_high")), set()
            ).add(r.consistent)
    hand = load_claims(ROOT / "datasets" / "meta_t1dm_2025" / "claims.json")
    hand_audit = verify_summary(hand)
    compared = 0
    for s, r in zip(hand.summary_claims, hand_audit.results, strict=True):
        if s.kind != "estimate_ci" or (
            s.get("claimed_significant") is False and s.id.startswith("takeaway")
        ):
            continue  # the takeaway's "non-significant" is a word, not a printed number
        key = (s.get("estimate"), s.get("ci_low"), s.get("ci_high"))
        assert by_numbers.get(key) == {r.consistent}, (s.id, key)
        compared += 1
    assert compared == 4
    quotes = [c.quote for c in drafted.claims.claims]
    assert any("(169 participants)" in q for q in quotes)
