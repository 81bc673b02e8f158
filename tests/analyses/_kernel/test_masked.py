"""Statistics on many row subsets at once: bit for bit the 1-D forms on each subset."""

from __future__ import annotations

import numpy as np
import pytest

from cohort_reanalysis.analyses._kernel import quantiles_all_types
from cohort_reanalysis.analyses._kernel._masked import (
    masked_counts,
    masked_groups,
    masked_max,
    masked_mean,
    masked_min,
    masked_quantiles_all_types,
    masked_std,
)


def _data(n: int, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(7.5, 1.3, n).round(rng.integers(0, 4))  # ties, as printed tables have
    x[rng.random(n) < 0.1] = np.nan
    masks = rng.random((k, n)) < rng.uniform(0.05, 1.0, (k, 1))
    masks[0] = False  # an empty subset
    return x, masks


@pytest.mark.parametrize(("n", "seed"), [(5, 0), (58, 1), (300, 2), (2000, 3)])
def test_every_subset_gives_what_the_1d_form_gives(n: int, seed: int) -> None:
    x, masks = _data(n, 40, seed)
    mean, sd1, sd0 = masked_mean(x, masks), masked_std(x, masks), masked_std(x, masks, ddof=0)
    lo, hi = masked_min(x, masks), masked_max(x, masks)
    probs = (0.5, 0.25, 0.75, 0.1)
    qs = masked_quantiles_all_types(x, masks, probs)
    counts = masked_counts(x, masks)
    for i, m in enumerate(masks):
        s = x[m]
        s = s[~np.isnan(s)]
        assert counts[i] == s.size
        if s.size == 0:
            assert np.isnan([mean[i], lo[i], hi[i], sd0[i]]).all() and np.isnan(qs[i]).all()
            continue
        assert mean[i] == s.mean() and lo[i] == s.min() and hi[i] == s.max()
        assert sd0[i] == s.std(ddof=0)
        assert (sd1[i] == s.std(ddof=1)) if s.size > 1 else np.isnan(sd1[i])
        assert np.array_equal(qs[i], quantiles_all_types(s, probs))


def test_groups_cover_each_nonempty_subset_once_in_table_order() -> None:
    x, masks = _data(30, 25, 4)
    seen: list[int] = []
    for rows, dense in masked_groups(x, masks):
        for r, values in zip(rows, dense, strict=True):
            s = x[masks[r]]
            assert values.tolist() == s[~np.isnan(s)].tolist()
        seen += rows.tolist()
    assert sorted(seen) == [i for i in range(25) if (masks[i] & ~np.isnan(x)).any()]


def test_shapes_are_checked() -> None:
    with pytest.raises(ValueError, match="shape"):
        masked_mean([1.0, 2.0], [[True, False, True]])
    with pytest.raises(ValueError, match="infinite"):
        masked_quantiles_all_types([1.0, np.inf], [[True, True]], [0.5])
