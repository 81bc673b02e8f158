"""Recall and precision of the draft against the hand-written claims of matsuoka2025.

A hit is a drafted claim with the same reported string, quoted from the same sentence (one
quote contains the other, whitespace collapsed: the hand-written file joins a sentence the
preprint breaks across a page). A quantity hit also needs the same statistic, variable and
level, counted over the hand-written claims whose quantity the table alone decides (one
variable, no subset, groups or correlation).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from cohort_reanalysis.drafting import draft

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "datasets" / "matsuoka2025"
_DECIDED_BY_TABLE = frozenset(
    {"n", "count", "mean", "median", "min", "max", "range", "quartiles", "sd"}
)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _same_sentence(a: str, b: str) -> bool:
    a, b = _flat(a), _flat(b)
    return a in b or b in a


def _core(quantity: dict[str, Any] | None) -> tuple[Any, ...] | None:
    if quantity is None:
        return None
    return (quantity.get("statistic"), quantity.get("variable"), quantity.get("level"))


def _decided_by_table(quantity: dict[str, Any] | None) -> bool:
    return (
        quantity is not None
        and quantity["statistic"] in _DECIDED_BY_TABLE
        and not {"subset", "groups", "x", "y"} & set(quantity)
    )


def score(drafted: list[dict[str, Any]], hand: list[dict[str, Any]]) -> dict[str, float]:
    """Recall, quantity recall and precision of ``drafted`` against ``hand``."""

    def hits(h: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            d
            for d in drafted
            if d["reported"] == h["reported"] and _same_sentence(d["quote"], h["quote"])
        ]

    found = [h for h in hand if hits(h)]
    decided = [h for h in hand if _decided_by_table(h["quantity"])]
    quantity_found = [
        h for h in decided if any(_core(d["quantity"]) == _core(h["quantity"]) for d in hits(h))
    ]
    matched = [
        d
        for d in drafted
        if any(
            d["reported"] == h["reported"] and _same_sentence(d["quote"], h["quote"]) for h in hand
        )
    ]
    return {
        "recall": len(found) / len(hand),
        "quantity_recall": len(quantity_found) / len(decided),
        "precision": len(matched) / len(drafted),
        "hand": len(hand),
        "drafted": len(drafted),
        "missed": [h["id"] for h in hand if h not in found],  # type: ignore[dict-item]
    }


@pytest.fixture(scope="module")
def hand() -> list[dict[str, Any]]:
    return json.loads((FOLDER / "claims.json").read_text(encoding="utf-8"))["claims"]


def test_preprint_recall_and_precision(hand: list[dict[str, Any]]) -> None:
    text = (FOLDER / "sources" / "preprint.txt").read_text(encoding="utf-8")
    result = draft(text, dataset="matsuoka2025", version="preprint")
    assert not result.problems
    s = score(result.document["claims"], hand)
    print(
        f"\npreprint: recall {s['recall']:.1%} ({s['hand']} hand-written claims), quantity "
        f"recall {s['quantity_recall']:.1%}, precision {s['precision']:.1%} "
        f"({s['drafted']} drafted); missed {s['missed']}"
    )
    assert s["recall"] >= 0.90
    assert s["quantity_recall"] >= 0.90
    # The two misses state no number at all: a direction ("a trend toward greater ... ").
    assert set(s["missed"]) <= {
        "abstract.dose_trend_direction",
        "results.higher_baseline_more_reduction",
    }


def test_journal_abstract_recall(hand: list[dict[str, Any]]) -> None:
    text = (FOLDER / "sources" / "abstract.txt").read_text(encoding="utf-8")
    result = draft(text, dataset="matsuoka2025", version="journal")
    journal = [h for h in hand if "journal" in h["versions"]]
    # The journal prints "HbA1c ≥ 6.2%" where the preprint prints "≥6.2%": compare quotes
    # with spaces after comparators removed.
    for c in [*journal, *result.document["claims"]]:
        c["quote"] = re.sub(r"([\u2265\u2264<>]) ", r"\1", c["quote"])
    s = score(result.document["claims"], journal)
    print(
        f"\njournal abstract: recall {s['recall']:.1%} ({s['hand']}), quantity recall "
        f"{s['quantity_recall']:.1%}, precision {s['precision']:.1%} ({s['drafted']}); "
        f"missed {s['missed']}"
    )
    assert s["recall"] >= 0.85


def test_guesses_are_marked_and_the_rest_need_a_quantity() -> None:
    text = (FOLDER / "sources" / "preprint.txt").read_text(encoding="utf-8")
    claims = draft(text, dataset="matsuoka2025").document["claims"]
    for c in claims:
        if c["quantity"] is None:
            assert c["draft"] == "needs quantity"
        else:
            assert c["draft"] == "quantity guessed"
    without_table = draft(text).document["claims"]
    assert all(c["quantity"] is None and c["draft"] == "needs quantity" for c in without_table)
