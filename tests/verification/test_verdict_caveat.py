"""A printed value so coarse that almost any value prints so is flagged in its verdict."""

from __future__ import annotations

import pytest

from cohort_reanalysis import load_dataset, verify
from cohort_reanalysis.verification._interval import too_coarse
from cohort_reanalysis.verification.claims import FORMAT, parse_claims


def _claims(*items: tuple[str, str, dict[str, object]]) -> object:
    return parse_claims(
        {
            "format": FORMAT,
            "dataset": "matsuoka2025",
            "claims": [
                {
                    "id": cid,
                    "quote": "q",
                    "location": "l",
                    "versions": ["preprint"],
                    "reported": reported,
                    "comparator": "=",
                    "unit": None,
                    "quantity": quantity,
                }
                for cid, reported, quantity in items
            ],
        }
    )


MEAN = {"statistic": "mean", "variable": "before"}


@pytest.mark.parametrize(
    ("reported", "quantity", "low", "high"),
    [
        ("1e2", MEAN, "0", "200"),
        ("1 × 10^3", MEAN, "0", "2000"),
        ("1e1", MEAN, "0", "20"),
        ("1e-1", {"statistic": "pvalue"}, "0", "0.2"),
    ],
)
def test_a_coarse_print_is_never_silently_reproduced(
    reported: str, quantity: dict[str, object], low: str, high: str
) -> None:
    audit = verify(load_dataset("matsuoka2025"), _claims(("a", reported, quantity)))
    result = audit.results[0]
    said = f"printed with one significant digit: any value from {low} to {high} prints so"
    assert result.caveat == said
    assert result.explanation.endswith(f" P{said[1:]}.")
    assert said[1:] in audit.to_dict()["claims"][0]["explanation"]


def test_an_ordinary_print_has_no_caveat() -> None:
    audit = verify(
        load_dataset("matsuoka2025"),
        _claims(("a", "7.49", MEAN), ("b", "58", {"statistic": "n"}), ("c", "1", MEAN)),
    )
    assert [r.caveat is None for r in audit.results] == [True, True, False]


@pytest.mark.parametrize(
    ("text", "widest"),
    [("1", "(0, 2)"), ("-1", "(-2, 0)"), ("0.1", "(0.0, 0.2)"), ("1e2", "(0, 200)")],
)
def test_too_coarse_is_the_hull_of_every_procedure(text: str, widest: str) -> None:
    assert str(too_coarse(text)) == widest


@pytest.mark.parametrize("text", ["2", "10", "1.0", "0", "0.00", "7.49", "0.05"])
def test_two_digits_or_a_digit_above_1_is_not_too_coarse(text: str) -> None:
    assert too_coarse(text) is None
