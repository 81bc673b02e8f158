"""The claims@2 statistics and tests as verification recomputes them, against R, and the
verdicts they lead to.

Oracle: R 4.2 on tests/reference/verify16_table.csv (tests/reference/verify16_R.R and its
JSON: t.test, wilcox.test, chisq.test, fisher.test, lm, cor.test, effect sizes by their
formulas). The table's pair is sbp_0 -> sbp_12 (change = sbp_12 - sbp_0), its groups the
arms x and y, its category ``resp``; age is tested against mu = 55.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cohort_reanalysis.cohort import Cohort, ColumnSpec
from cohort_reanalysis.verification._audit import verify
from cohort_reanalysis.verification._cohort_arrays import CohortArrays
from cohort_reanalysis.verification._recompute import recompute
from cohort_reanalysis.verification.claims import (
    FORMAT,
    Condition,
    Method,
    Pair,
    Quantity,
    parse_claims,
)

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "reference"
R = json.loads((REFERENCE / "verify16_R.json").read_text())
REL = 1e-9
PAIR = Pair("sbp_0", "sbp_12")
X = (Condition("arm", "==", "x"),)
Y = (Condition("arm", "==", "y"),)


@pytest.fixture(scope="module")
def table() -> CohortArrays:
    return CohortArrays(_cohort())


def _cohort() -> Cohort:
    columns = [
        ColumnSpec("id", "id"),
        ColumnSpec("b", "before"),
        ColumnSpec("a", "after"),
        ColumnSpec("sbp_0", "measurement"),
        ColumnSpec("sbp_12", "measurement"),
        ColumnSpec("arm", "group"),
        ColumnSpec("resp", "covariate", dtype="category"),
        ColumnSpec("age", "age"),
    ]
    return Cohort.read(REFERENCE / "verify16_table.csv", columns=columns, measure="HbA1c")


def _r(path: str) -> Any:
    out: Any = R
    for key in path.split("."):
        out = out[key]
    return tuple(out) if isinstance(out, list) else out


# ----------------------------------------------------------------------------- against R

M = Method
CASES: list[tuple[str, Quantity, dict[str, Any], str]] = [
    ("paired ci", Quantity("ci", pair=PAIR), {}, "paired.ci"),
    ("paired ci 90%", Quantity("ci", pair=PAIR, method=M(confidence_level=0.9)), {}, "paired_ci90"),
    (
        "unpaired ci",
        Quantity("ci", pair=PAIR),
        {"pairing": "unpaired", "variance": "welch"},
        "welch_ci",
    ),
    ("wilcoxon ci", Quantity("ci", pair=PAIR, method=M(test="wilcoxon")), {}, "wilcoxon_paired.ci"),
    (
        "wilcoxon ci normal",
        Quantity("ci", pair=PAIR, method=M(test="wilcoxon")),
        {"signed_rank_law": "normal"},
        "wilcoxon_paired.ci_normal",
    ),
    ("paired t", Quantity("statistic", pair=PAIR, method=M(test="paired_t")), {}, "paired.t"),
    (
        "paired V",
        Quantity("statistic", pair=PAIR, method=M(test="wilcoxon")),
        {},
        "wilcoxon_paired.V",
    ),
    ("paired df", Quantity("df", pair=PAIR, method=M(test="paired_t")), {}, "paired.df"),
    ("paired p", Quantity("pvalue", pair=PAIR), {}, "paired.p"),
    ("se of change", Quantity("se", pair=PAIR), {}, "paired.se"),
    ("mean change", Quantity("mean_change", pair=PAIR), {}, "paired.mean"),
    ("d_z", Quantity("effect_size", pair=PAIR), {}, "effect.d_z"),
    ("d_av", Quantity("effect_size", pair=PAIR), {"effect_size": "d_av"}, "effect.d_av"),
    ("d_rm", Quantity("effect_size", pair=PAIR, method=M(effect_size="d_rm")), {}, "effect.d_rm"),
    (
        "hedges_g",
        Quantity("effect_size", pair=PAIR),
        {"effect_size": "hedges_g"},
        "effect.hedges_g",
    ),
    ("d_s", Quantity("effect_size", variable="change", groups=(X, Y), pair=PAIR), {}, "effect.d_s"),
    (
        "g_s",
        Quantity("effect_size", variable="change", groups=(X, Y), pair=PAIR),
        {"effect_size": "hedges_g"},
        "effect.g_s",
    ),
    (
        "proportion",
        Quantity("proportion", condition=Condition("change", "<", 0), pair=PAIR),
        {},
        "proportion_fell",
    ),
    (
        "proportion <",
        Quantity("proportion", condition=Condition("change", "<=", -7), pair=PAIR),
        {"boundary: change <= -7": "<"},
        "proportion_below_7",
    ),
    (
        "proportion <=",
        Quantity("proportion", condition=Condition("change", "<", -7), pair=PAIR),
        {"boundary: change < -7": "<="},
        "proportion_at_most_7",
    ),
    ("mean of ratios", Quantity("percent_change", pair=PAIR), {}, "percent.mean_of_ratios"),
    (
        "ratio of means",
        Quantity("percent_change", pair=PAIR),
        {"percent_change": "ratio_of_means"},
        "percent.ratio_of_means",
    ),
    ("slope", Quantity("slope", x="age", y="change", pair=PAIR), {}, "slope.estimate"),
    ("slope ci", Quantity("ci", x="age", y="change", pair=PAIR), {}, "slope.ci"),
    ("slope p", Quantity("pvalue", x="age", y="change", pair=PAIR), {}, "slope.p"),
    (
        "pearson ci",
        Quantity("ci", x="age", y="change", pair=PAIR, method=M(correlation="pearson")),
        {},
        "pearson.ci",
    ),
    ("pearson r", Quantity("statistic", x="age", y="change", pair=PAIR), {}, "pearson.r"),
    ("pearson df", Quantity("df", x="age", y="change", pair=PAIR), {}, "pearson.df"),
    (
        "one-sample t",
        Quantity("statistic", variable="age", method=M(test="one_sample_t", mu=55)),
        {},
        "one_sample_t.t",
    ),
    (
        "one-sample p",
        Quantity("pvalue", variable="age", method=M(test="one_sample_t", mu=55)),
        {},
        "one_sample_t.p",
    ),
    (
        "one-sample ci",
        Quantity("ci", variable="age", method=M(test="one_sample_t", mu=55)),
        {},
        "one_sample_t.ci",
    ),
    ("ci of a mean", Quantity("ci", variable="age"), {}, "one_sample_t.ci"),
    ("se of a mean", Quantity("se", variable="age"), {}, "one_sample_t.se"),
    (
        "one-sample df",
        Quantity("df", variable="age", method=M(test="one_sample_t", mu=55)),
        {},
        "one_sample_t.df",
    ),
    (
        "signed-rank V",
        Quantity("statistic", variable="age", method=M(test="signed_rank", mu=55)),
        {},
        "signed_rank.V",
    ),
    (
        "signed-rank p exact",
        Quantity("pvalue", variable="age", method=M(test="signed_rank", mu=55)),
        {},
        "signed_rank.p",
    ),
    (
        "signed-rank p normal",
        Quantity("pvalue", variable="age", method=M(test="signed_rank", mu=55)),
        {"signed_rank_law": "normal"},
        "signed_rank.p_normal",
    ),
    (
        "signed-rank p greater",
        Quantity("pvalue", variable="age", method=M(test="signed_rank", mu=55)),
        {"alternative": "greater"},
        "signed_rank.p_greater",
    ),
    (
        "signed-rank ci exact",
        Quantity("ci", variable="age", method=M(test="signed_rank", mu=55)),
        {},
        "signed_rank.ci",
    ),
    (
        "signed-rank ci normal",
        Quantity("ci", variable="age", method=M(test="signed_rank", mu=55)),
        {"signed_rank_law": "normal"},
        "signed_rank.ci_normal",
    ),
    (
        "student t",
        Quantity("statistic", variable="change", groups=(X, Y), pair=PAIR),
        {},
        "groups.student_t",
    ),
    (
        "welch t",
        Quantity(
            "statistic", variable="change", groups=(X, Y), pair=PAIR, method=M(test="welch_t")
        ),
        {},
        "groups.welch_t",
    ),
    (
        "student df",
        Quantity("df", variable="change", groups=(X, Y), pair=PAIR),
        {},
        "groups.student_df",
    ),
    (
        "welch df",
        Quantity("df", variable="change", groups=(X, Y), pair=PAIR),
        {"variance": "welch"},
        "groups.welch_df",
    ),
    (
        "student ci",
        Quantity("ci", variable="change", groups=(X, Y), pair=PAIR),
        {},
        "groups.student_ci",
    ),
    (
        "welch ci",
        Quantity("ci", variable="change", groups=(X, Y), pair=PAIR),
        {"variance": "welch"},
        "groups.welch_ci",
    ),
    (
        "rank-sum W",
        Quantity(
            "statistic", variable="change", groups=(X, Y), pair=PAIR, method=M(test="wilcoxon")
        ),
        {},
        "groups.W",
    ),
    (
        "chi2",
        Quantity("statistic", variable="resp", groups=(X, Y), method=M(test="chi2")),
        {},
        "count.chi2",
    ),
    (
        "chi2 p",
        Quantity("pvalue", variable="resp", groups=(X, Y), method=M(test="chi2")),
        {},
        "count.chi2_p",
    ),
    (
        "chi2 df",
        Quantity("df", variable="resp", groups=(X, Y), method=M(test="chi2")),
        {},
        "count.chi2_df",
    ),
    (
        "chi2 uncorrected",
        Quantity("statistic", variable="resp", groups=(X, Y), method=M(test="chi2")),
        {"test": "chi2_uncorrected"},
        "count.chi2_uncorrected",
    ),
    (
        "chi2 uncorrected p",
        Quantity("pvalue", variable="resp", groups=(X, Y), method=M(test="chi2")),
        {"test": "chi2_uncorrected"},
        "count.chi2_uncorrected_p",
    ),
    (
        "fisher p",
        Quantity("pvalue", variable="resp", groups=(X, Y), method=M(test="fisher")),
        {},
        "count.fisher_p",
    ),
    (
        "fisher from chi2",
        Quantity("pvalue", variable="resp", groups=(X, Y), method=M(test="chi2")),
        {"test": "fisher"},
        "count.fisher_p",
    ),
]


@pytest.mark.parametrize(("name", "quantity", "spec", "key"), CASES, ids=[c[0] for c in CASES])
def test_recomputed_values_match_r(
    table: CohortArrays, name: str, quantity: Quantity, spec: dict[str, Any], key: str
) -> None:
    got = recompute(table, quantity, spec)
    want = _r(key)
    assert got == pytest.approx(want, rel=REL, abs=1e-12), name


def test_direction_reduction_flips_every_signed_statistic(table: CohortArrays) -> None:
    for q, key in [
        (Quantity("effect_size", pair=PAIR), "effect.d_z"),
        (Quantity("percent_change", pair=PAIR), "percent.mean_of_ratios"),
        (Quantity("statistic", pair=PAIR, method=Method(test="paired_t")), "paired.t"),
        (Quantity("slope", x="age", y="change", pair=PAIR), "slope.estimate"),
    ]:
        assert recompute(table, q, {"direction": "reduction"}) == pytest.approx(-_r(key), rel=REL)
    low, high = _r("paired.ci")
    assert recompute(table, Quantity("ci", pair=PAIR), {"direction": "reduction"}) == (
        pytest.approx(-high, rel=REL),
        pytest.approx(-low, rel=REL),
    )
    # 2 of 12 changes are rises: "improved" as a reduction > 0 is the same 10 of 12
    fell = Quantity("proportion", condition=Condition("change", ">", 0), pair=PAIR)
    assert recompute(table, fell, {"direction": "reduction"}) == pytest.approx(10 / 12)


def test_the_pair_is_used_not_the_roles(table: CohortArrays) -> None:
    by_roles = recompute(table, Quantity("mean_change"))
    assert by_roles == pytest.approx(sum(a - b for a, b in _roles()) / 12, rel=REL)
    assert recompute(table, Quantity("mean_change", pair=PAIR)) == pytest.approx(-5.5, rel=REL)


def _roles() -> list[tuple[float, float]]:
    rows = (REFERENCE / "verify16_table.csv").read_text().splitlines()[1:]
    return [(float(r.split(",")[2]), float(r.split(",")[1])) for r in rows]


def test_what_cannot_be_computed_says_why(table: CohortArrays) -> None:
    with pytest.raises(ValueError, match="infinite end"):
        recompute(table, Quantity("ci", pair=PAIR, method=Method(alternative="less")))
    with pytest.raises(ValueError, match="no interval"):
        recompute(
            table,
            Quantity(
                "ci", variable="change", groups=(X, Y), pair=PAIR, method=Method(test="wilcoxon")
            ),
        )
    with pytest.raises(ValueError, match="no interval for spearman"):
        recompute(
            table,
            Quantity("ci", x="age", y="change", pair=PAIR, method=Method(correlation="spearman")),
        )


# ----------------------------------------------------------------------------- verdicts


def _claim(cid: str, quantity: dict[str, Any], reported: str, unit: str | None = None) -> dict:
    return {
        "id": cid,
        "quote": reported,
        "location": "synthetic",
        "versions": ["journal"],
        "reported": reported,
        "comparator": "=",
        "unit": unit,
        "quantity": quantity,
    }


def _printed(value: Any, places: int = 3) -> str:
    values = value if isinstance(value, tuple) else (value,)
    return " to ".join(f"{v:.{places}f}" for v in values)


P = {"before": "sbp_0", "after": "sbp_12"}
G = [
    [{"variable": "arm", "op": "==", "value": "x"}],
    [{"variable": "arm", "op": "==", "value": "y"}],
]
AGE = {"variable": "age", "method": {"test": "signed_rank", "mu": 55}}
# statistic -> (quantity, R value under the stated method, R value under an alternative,
# the departure that gives it, words the explanation names it by)
VERDICTS: dict[str, tuple[dict[str, Any], str, str, tuple[str, ...], str]] = {
    "ci": (
        {"statistic": "ci", "pair": P},
        "paired.ci",
        "welch_ci",
        ("pairing", "variance"),
        "Welch t-test instead of a paired t-test",
    ),
    "ci_mean": (
        {"statistic": "ci", "variable": "age"},
        "one_sample_t.ci",
        "signed_rank.ci",
        ("test",),
        "one-sample Wilcoxon signed-rank test",
    ),
    "statistic": (
        {"statistic": "statistic", "variable": "change", "groups": G, "pair": P},
        "groups.student_t",
        "groups.welch_t",
        (),
        "",
    ),
    "df": (
        {"statistic": "df", "variable": "change", "groups": G, "pair": P},
        "groups.student_df",
        "groups.welch_df",
        ("variance",),
        "Welch t-test",
    ),
    "se": ({"statistic": "se", "pair": P}, "paired.se", "", (), ""),
    "effect_size": (
        {"statistic": "effect_size", "pair": P},
        "effect.d_z",
        "effect.d_rm",
        ("effect_size",),
        "d_rm (repeated-measures SD) instead of d_z",
    ),
    "effect_size_groups": (
        {"statistic": "effect_size", "variable": "change", "groups": G, "pair": P},
        "effect.d_s",
        "effect.g_s",
        ("effect_size",),
        "Hedges' g",
    ),
    "percent_change": (
        {"statistic": "percent_change", "pair": P},
        "percent.mean_of_ratios",
        "percent.ratio_of_means",
        ("percent_change",),
        "the change of the means over the baseline mean instead of",
    ),
    "slope": (
        {"statistic": "slope", "x": "age", "y": "change", "pair": P},
        "slope.estimate",
        "",
        (),
        "",
    ),
    "slope_ci": ({"statistic": "ci", "x": "age", "y": "change", "pair": P}, "slope.ci", "", (), ""),
    "pearson_ci": (
        {
            "statistic": "ci",
            "x": "age",
            "y": "change",
            "pair": P,
            "method": {"test": "correlation"},
        },
        "pearson.ci",
        "",
        (),
        "",
    ),
    "signed_rank": (
        {"statistic": "pvalue", **AGE},
        "signed_rank.p",
        "signed_rank.p_normal",
        ("signed_rank_law",),
        "normal approximation",
    ),
    "signed_rank_ci": (
        {"statistic": "ci", **AGE},
        "signed_rank.ci",
        "one_sample_t.ci",
        ("test",),
        "one-sample t-test",
    ),
    "one_sample_t": (
        {"statistic": "pvalue", "variable": "age", "method": {"test": "one_sample_t", "mu": 55}},
        "one_sample_t.p",
        "signed_rank.p_greater",
        ("test", "alternative"),
        "greater",
    ),
    "chi2": (
        {"statistic": "pvalue", "variable": "resp", "groups": G, "method": {"test": "chi2"}},
        "count.chi2_p",
        "count.chi2_uncorrected_p",
        ("test",),
        "without continuity correction",
    ),
    "fisher": (
        {"statistic": "pvalue", "variable": "resp", "groups": G, "method": {"test": "fisher"}},
        "count.fisher_p",
        "count.chi2_uncorrected_p",
        ("test",),
        "chi-squared test without continuity correction instead of a Fisher",
    ),
}


@pytest.fixture(scope="module")
def verdicts() -> dict[str, Any]:
    claims = []
    for name, (q, stated, alternative, _, _) in VERDICTS.items():
        pvalue = q["statistic"] == "pvalue"
        places = 4 if pvalue else 3
        value = _r(stated)
        claims.append(_claim(f"{name}.stated", q, _printed(value, places)))
        if alternative:
            claims.append(_claim(f"{name}.alternative", q, _printed(_r(alternative), places)))
        far = tuple(v * 3 + 7 for v in value) if isinstance(value, tuple) else value * 3 + 7
        if pvalue:
            far = 0.9
        claims.append(_claim(f"{name}.far", q, _printed(far, places)))
    claims.append(
        _claim(
            "proportion.stated",
            {
                "statistic": "proportion",
                "pair": P,
                "condition": {"variable": "change", "op": "<", "value": -7},
            },
            f"{100 * _r('proportion_below_7'):.0f}%",
        )
    )
    claims.append(
        _claim(
            "proportion.alternative",
            {
                "statistic": "proportion",
                "pair": P,
                "condition": {"variable": "change", "op": "<", "value": -7},
            },
            f"{_r('proportion_at_most_7'):.2f}",
        )
    )
    claims.append(
        _claim(
            "proportion.far",
            {
                "statistic": "proportion",
                "pair": P,
                "condition": {"variable": "change", "op": "<", "value": -7},
            },
            "90%",
        )
    )
    doc = {"format": FORMAT, "dataset": "verify16", "claims": claims}
    return {r.id: r for r in verify(_cohort(), parse_claims(doc))}


@pytest.mark.parametrize("name", [*VERDICTS, "proportion"])
def test_known_truth_gives_each_verdict(verdicts: dict[str, Any], name: str) -> None:
    stated = verdicts[f"{name}.stated"]
    assert stated.verdict.value == "reproduced", stated.explanation
    far = verdicts[f"{name}.far"]
    assert far.verdict.value == "not_reproduced", far.explanation
    if f"{name}.alternative" not in verdicts:
        return
    alt = verdicts[f"{name}.alternative"]
    departures, words = (("boundary: change < -7",), "change <= -7 instead of change < -7")
    if name != "proportion":
        departures, words = VERDICTS[name][3], VERDICTS[name][4]
    if not departures:  # Student's and Welch's t coincide with equal group sizes
        assert alt.verdict.value == "reproduced", alt.explanation
        return
    assert alt.verdict.value == "reproduced_under_alternative", alt.explanation
    assert set(alt.departures) == set(departures), alt.explanation
    assert words in alt.explanation


def test_a_proportion_printed_as_a_percent_is_answered_in_percent(
    verdicts: dict[str, Any],
) -> None:
    res = verdicts["proportion.stated"]
    assert "recomputed 33.3%" in res.explanation
    assert "percentage points away" in verdicts["proportion.far"].explanation
