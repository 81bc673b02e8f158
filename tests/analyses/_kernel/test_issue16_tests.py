"""One-sample t, signed-rank (exact and approximate, with intervals) and two-sample t
intervals against R (tests/reference/issue16_R.json), closed forms and edge cases."""

from __future__ import annotations

import json
import math
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest

from cohort_reanalysis.analyses._kernel import (
    masked_one_sample_t,
    psignrank,
    qsignrank,
    signed_rank_statistic,
    signed_rank_test,
    t_test,
    two_sample_t_test,
)
from cohort_reanalysis.analyses._ranks import wilcoxon_signed_rank
from cohort_reanalysis.cohort import load_dataset

REFERENCE = Path(__file__).resolve().parents[2] / "reference" / "issue16_R.json"
R = json.loads(REFERENCE.read_text(encoding="utf-8"))
ALTS = {"two.sided": "two-sided", "less": "less", "greater": "greater"}
EXACT9 = [1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30]
TIES_ZEROS = [1.5, 2, -0.5, 3, 0, 1, 1, 2.5, -1, 4]
TINY = [0.8, -0.3, 1.1]
LARGE = [-(i + 1) - 0.25 for i in range(10)] + [i + 0.1 for i in range(11, 61)]


def r_value(x: float) -> float:
    """The JSON's +-1e308 stands for an infinite limit."""
    return math.copysign(math.inf, x) if abs(x) >= 1e308 else x


def close(ours: float, theirs: float, rel: float = 1e-9) -> bool:
    theirs = r_value(theirs)
    if math.isinf(theirs):
        return ours == theirs
    return math.isclose(ours, theirs, rel_tol=rel, abs_tol=1e-14)


def _table() -> tuple[np.ndarray, np.ndarray]:
    c = load_dataset("matsuoka2025")
    return c.values("before"), c.values("after")


def _vectors() -> dict[str, tuple[np.ndarray, float]]:
    before, after = _table()
    return {
        "change_mu0": (after - before, 0.0),
        "exact9_mu1": (np.array(EXACT9), 1.0),
        "before_mu8_level90": (before, 8.0),
    }


@pytest.mark.parametrize("key", ["change_mu0", "exact9_mu1", "before_mu8_level90"])
@pytest.mark.parametrize("alt", list(ALTS))
def test_one_sample_t_matches_r(key: str, alt: str) -> None:
    x, mu = _vectors()[key]
    level = 0.9 if key.endswith("level90") else 0.95
    ref = R[f"t_{key}"][alt]
    res = t_test(x, mu=mu, alternative=ALTS[alt], confidence_level=level)
    assert close(res.statistic, ref["t"]) and res.df == ref["df"]
    assert close(res.pvalue, ref["p"])
    assert close(res.ci_low, ref["ci"][0]) and close(res.ci_high, ref["ci"][1])
    assert close(res.estimate, ref["est"]) and close(res.se, ref["se"])


def test_se_of_mean_change_and_rows_of_a_mask_matrix() -> None:
    before, after = _table()
    change = after - before
    assert close(t_test(change).se, R["se_change"])
    rng = np.random.default_rng(5)
    masks = rng.random((6, change.size)) < 0.6
    rows = masked_one_sample_t(change, masks, mu=-0.5)
    for i in range(6):
        one = t_test(change[masks[i]], mu=-0.5)
        assert rows.statistic[i] == pytest.approx(one.statistic, rel=1e-12)
        assert rows.se[i] == pytest.approx(one.se, rel=1e-12)
        assert rows.df[i] == one.df
    # NaN never counts; a subset of one value gives NaN, not an error.
    with_nan = np.array([1.0, np.nan, 3.0])
    res = masked_one_sample_t(with_nan, [[True, True, True], [True, True, False]])
    assert res.estimate[0] == 2.0 and res.df[0] == 1.0 and math.isnan(res.statistic[1])


@pytest.mark.parametrize("equal", [True, False])
@pytest.mark.parametrize("alt", list(ALTS))
def test_two_sample_t_interval_matches_r(equal: bool, alt: str) -> None:
    c = load_dataset("matsuoka2025")
    change = c.values("after") - c.values("before")
    sex = c.values("sex")
    ref = R["student_male_female" if equal else "welch_male_female"][alt]
    res = two_sample_t_test(
        change[sex == "M"], change[sex == "F"], equal_var=equal, alternative=ALTS[alt]
    )
    assert close(res.statistic, ref["t"]) and close(res.df, ref["df"])
    assert close(res.pvalue, ref["p"]) and close(res.estimate, ref["est"])
    assert close(res.ci_low, ref["ci"][0]) and close(res.ci_high, ref["ci"][1])
    assert close(res.se, ref["se"])


def _wilcox_cases() -> dict[str, tuple[list[float] | np.ndarray, dict[str, float]]]:
    before, after = _table()
    return {
        "wilcox_change": (after - before, {}),
        "wilcox_before_mu7": (before, {"mu": 7.0}),
        "wilcox_change_nocorrect": (after - before, {"correct": False}),
        "wilcox_exact9_mu1": (EXACT9, {"mu": 1.0}),
        "wilcox_exact9_mu1_level90": (EXACT9, {"mu": 1.0, "confidence_level": 0.9}),
        "wilcox_ties_zeros": (TIES_ZEROS, {}),
        "wilcox_tiny": (TINY, {}),
        "wilcox_one": ([5.0], {}),
    }


@pytest.mark.parametrize("key", list(_wilcox_cases()))
@pytest.mark.parametrize("alt", list(ALTS))
def test_signed_rank_test_matches_r(key: str, alt: str) -> None:
    x, kwargs = _wilcox_cases()[key]
    ref = R[key][alt]
    res = signed_rank_test(x, alternative=ALTS[alt], conf_int=True, **kwargs)  # type: ignore[arg-type]
    assert res.statistic == ref["V"]
    assert close(res.pvalue, ref["p"])
    assert close(res.estimate, ref["est"])
    assert close(res.ci_low, ref["ci"][0]) and close(res.ci_high, ref["ci"][1])
    assert close(res.achieved_level, ref["level"])
    assert len(res.warnings) == ref["n_warnings"]


def test_exact_law_forced_on_sixty_values_matches_r() -> None:
    ref = R["wilcox_exact_forced_large"]["two.sided"]
    res = signed_rank_test(LARGE, exact=True, conf_int=True)
    assert res.exact and res.statistic == ref["V"]
    assert close(res.pvalue, ref["p"]) and close(res.estimate, ref["est"])
    assert close(res.ci_low, ref["ci"][0]) and close(res.ci_high, ref["ci"][1])
    # R's default for 60 values is the normal approximation.
    assert not signed_rank_test(LARGE).exact


def test_exact_law_is_the_count_of_subsets() -> None:
    # P(V <= q) for n = 6 by enumerating all 64 sign patterns.
    sums = [sum(s) for k in range(7) for s in combinations(range(1, 7), k)]
    for q in range(22):
        assert psignrank(q, 6) == pytest.approx(sum(v <= q for v in sums) / 64, abs=1e-15)
        upper = psignrank(q, 6, lower_tail=False)
        assert upper == pytest.approx(sum(v > q for v in sums) / 64, abs=1e-15)
    assert qsignrank(0.025, 6) == 1  # P(V <= 0) = 1/64 < 0.025 <= P(V <= 1) = 2/64
    assert qsignrank(0.975, 6) == 20


def test_signed_rank_edge_cases() -> None:
    with pytest.raises(ValueError, match="every value equals mu"):
        signed_rank_test([2.0, 2.0, 2.0], mu=2.0)
    with pytest.raises(ValueError, match="non-missing"):
        signed_rank_test([np.nan])
    # All tied: the approximate p exists, the interval does not.
    res = signed_rank_test([1.0, 1.0, 1.0, 1.0])
    assert not res.exact and res.has_ties and res.statistic == 10.0
    with pytest.raises(ValueError, match="all observations are zero or tied"):
        signed_rank_test([1.0, 1.0, 1.0, 1.0], conf_int=True)
    # Zeros are dropped and counted; the exact law is then refused, as R warns.
    res = signed_rank_test([0.0, 1.0, 2.0, -3.0])
    assert res.n == 3 and res.n_zeros == 1 and not res.exact
    assert res.warnings == ("cannot compute exact p-value with zeroes",)


def test_paired_normal_approximation_shares_the_ranking() -> None:
    before, after = _table()
    d = after - before
    stat = signed_rank_statistic(d)
    old = wilcoxon_signed_rank(d)
    new = signed_rank_test(d, exact=False)
    assert old.statistic == stat.statistic == new.statistic
    assert old.pvalue == new.pvalue and old.n_zeros == stat.n_zeros == new.n_zeros
