"""Regression to the mean (RTM): how much of a before/after change chance alone would produce.

Three tools, for a cohort with no control group: Oldham's correlation (equal to the
Pitman–Morgan test), the expected change under no treatment effect for patients selected by
their baseline (Barnett et al. 2005), and Blomqvist's corrected slope. Their formulas and
references are in ``_rtm_formulas``; the result is in ``_rtm_result``.
"""

from __future__ import annotations

import math
from types import MappingProxyType

import numpy as np

from .._format import count_noun
from ..cohort import Cohort, PairedData
from ._correlation import CorrelationResult, correlate
from ._kernel import one_sample_t, p_from_t, t_interval
from ._rtm_formulas import (
    PitmanMorgan,
    Selection,
    blomqvist_slope,
    check_reliability,
    expected_rtm_change,
    pitman_morgan,
)
from ._rtm_result import RegressionToMeanResult
from ._strata import format_cutoff, resolve_pairs

__all__ = [
    "RegressionToMeanResult",
    "blomqvist_slope",
    "expected_rtm_change",
    "pitman_morgan",
    "regression_to_mean",
]


def regression_to_mean(
    data: Cohort | PairedData,
    *,
    reliability: float | None = None,
    cutoff: float | None = None,
    selected: Selection = "above",
    population_mean: float | None = None,
    population_sd: float | None = None,
    confidence_level: float = 0.95,
) -> RegressionToMeanResult:
    """Regression to the mean: Oldham/Pitman–Morgan, expected RTM change, Blomqvist's slope.

    Parameters
    ----------
    data : Cohort or PairedData
        The cohort's before/after pair (rows missing either left out and listed).
    reliability : float, optional
        Test–retest reliability of one measurement, in (0, 1] (between-patient variance over
        total variance, e.g. an intraclass correlation from a repeatability study). Needed for
        the expected RTM change and Blomqvist's slope. It cannot be estimated from a
        before/after table in which a treatment came between the measurements.
    cutoff : float, optional
        The baseline threshold patients were selected on (e.g. 6.2 for "HbA1c ≥ 6.2 %"; the
        bundled ``matsuoka2025`` cohort was enrolled so). Giving it declares that the patients
        were selected on their baseline: the result then warns that this biases Oldham's test
        (it rejects too often with no effect) and points to Blomqvist's slope test, which
        allows for the selection. It also warns when some baseline values lie on the wrong
        side of it (the formula assumes every patient was selected).
    selected : {"above", "below"}, default "above"
        Which side of ``cutoff`` the patients came from.
    population_mean, population_sd : float, optional
        Mean and SD of the baseline in the population selected from. By default each is
        estimated from the baseline values analysed (said so in the output; see explain()).
    confidence_level : float, default 0.95

    Returns
    -------
    RegressionToMeanResult
        Its warnings and the reasons for any quantity not computed are printed by ``str()``,
        the HTML repr and ``explain()``.

    Raises
    ------
    ValueError
        For bad options, or when no complete pair is left to analyse.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> res = regression_to_mean(load_dataset("matsuoka2025"), reliability=0.9, cutoff=6.2)
    >>> res.expected_change < 0
    True
    """
    level = float(confidence_level)
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1), got {confidence_level!r}")
    rho = None if reliability is None else check_reliability(reliability)
    if selected not in ("above", "below"):
        raise ValueError(f"selected must be 'above' or 'below', got {selected!r}")
    if cutoff is not None and not math.isfinite(float(cutoff)):
        raise ValueError(f"cutoff must be finite, got {cutoff!r}")
    if population_sd is not None and not (float(population_sd) > 0.0):
        raise ValueError(f"population_sd must be positive, got {population_sd!r}")
    pairs, _ = resolve_pairs(data, (), who="regression_to_mean")
    n = pairs.n
    if n == 0:
        left = "; ".join(f"row {x.row}: {x.reason}" for x in pairs.excluded)
        raise ValueError(f"no complete pairs to analyse ({left})")
    x = np.asarray(pairs.before, dtype=np.float64)
    y = np.asarray(pairs.after, dtype=np.float64)
    d = y - x
    reasons: dict[str, str] = {}

    # Oldham and Pitman–Morgan: computed by different formulas, equal by algebra.
    oldham: CorrelationResult | None = None
    pm: PitmanMorgan | None = None
    try:
        oldham = correlate((x + y) / 2.0, d, method="pearson", confidence_level=level)
    except ValueError as exc:
        reasons["oldham"] = (
            str(exc)
            .replace("x is", "the mean of before and after is")
            .replace("y is", "the change is")
        )
    try:
        pm = pitman_morgan(x, y, confidence_level=level)
    except ValueError as exc:
        reasons["pitman_morgan"] = str(exc)
    r_xy: float | None = None
    if n >= 3 and x.std() > 0 and y.std() > 0:
        r_xy = float(np.corrcoef(x, y)[0, 1])

    # Observed mean change and its t interval.
    mean_d = float(d.mean())
    se: float | None = None
    obs_ci: tuple[float | None, float | None] = (None, None)
    if n < 2:
        reasons["observed_ci"] = "n = 1: no spread"
    else:
        try:
            se = one_sample_t(d).se
        except ValueError:
            reasons["observed_ci"] = "every change is equal (SD 0)"
        else:
            obs_ci = t_interval(mean_d, se, n - 1.0, level)

    # Barnett et al. expected change under no treatment effect.
    mu = sigma = None
    source = "given"
    expected = net = None
    net_ci: tuple[float | None, float | None] = (None, None)
    net_t = net_df = net_p = None
    selection_note = ""
    if cutoff is None or rho is None:
        missing = [
            w
            for w, v in (("a selection cutoff", cutoff), ("a test–retest reliability", rho))
            if v is None
        ]
        reasons["expected_change"] = (
            f"needs {' and '.join(missing)}: these come from the study "
            "design and from repeatability studies, not from this table"
        )
    else:
        estimated = []
        mu = float(population_mean) if population_mean is not None else float(x.mean())
        if population_mean is None:
            estimated.append("mean")
        if population_sd is not None:
            sigma = float(population_sd)
        elif n >= 2 and float(x.std(ddof=1)) > 0.0:
            sigma = float(x.std(ddof=1))
            estimated.append("SD")
        if estimated:
            source = f"{' and '.join(estimated)} estimated from the {n} baseline values analysed"
        if sigma is None:
            reasons["expected_change"] = (
                "the baseline SD cannot be estimated from these values "
                "(n < 2 or all equal); pass population_sd"
            )
        else:
            c = float(cutoff)
            expected = expected_rtm_change(c, reliability=rho, mean=mu, sd=sigma, selected=selected)
            net = mean_d - expected
            wrong = int(np.sum(x <= c) if selected == "above" else np.sum(x >= c))
            if wrong:
                side = "above" if selected == "above" else "below"
                selection_note = (
                    f"{count_noun(wrong, 'baseline value')} {'is' if wrong == 1 else 'are'} not "
                    f"{side} the cutoff {format_cutoff(c)}; "
                    "the selection model assumes all are"
                )
            if se is not None and obs_ci[0] is not None and obs_ci[1] is not None:
                net_ci = (obs_ci[0] - expected, obs_ci[1] - expected)
                net_t = net / se
                net_df = float(n - 1)
                net_p = p_from_t(net_t, net_df)
            else:
                reasons["net_change"] = reasons.get("observed_ci", "no standard error")

    # Slope of change on baseline, and Blomqvist's correction.
    from ._linear_model import ols

    slope = slope_se = slope_lo = slope_hi = slope_t = slope_df = slope_p = None
    corrected = corr_lo = corr_hi = corr_t = corr_p = None
    try:
        fit = ols(d, {"baseline": x}, confidence_level=level)
        i = fit.index("baseline")
        slope, slope_se = fit.coef[i], fit.se[i]
        slope_lo, slope_hi = fit.ci_low[i], fit.ci_high[i]
        slope_t, slope_df, slope_p = fit.statistic[i], float(fit.df_resid), fit.pvalue[i]
    except ValueError as exc:
        reasons["slope"] = str(exc)
    if slope is None:
        reasons["corrected_slope"] = "no observed slope: " + reasons["slope"]
    elif rho is None:
        reasons["corrected_slope"] = "needs a test–retest reliability"
    else:
        corrected = blomqvist_slope(slope, rho)
        if slope_lo is not None and slope_hi is not None:
            # The map is increasing in b, so it carries the interval over end to end.
            corr_lo, corr_hi = blomqvist_slope(slope_lo, rho), blomqvist_slope(slope_hi, rho)
        if slope_se is not None and slope_se > 0.0 and slope_df is not None:
            # H0 "no true slope" is b = rho - 1, so this t rejects exactly when the mapped CI
            # excludes 0. It conditions on the baseline, so selection on the baseline does not
            # bias it (tests/analyses/test_rtm_selection.py measures its size).
            corr_t = (slope - (rho - 1.0)) / slope_se
            corr_p = p_from_t(corr_t, slope_df)

    return RegressionToMeanResult(
        n=n,
        measure=pairs.measure,
        unit=pairs.unit,
        confidence_level=level,
        oldham=oldham,
        pitman_morgan=pm,
        correlation_before_after=r_xy,
        reliability=rho,
        cutoff=None if cutoff is None else float(cutoff),
        selected=selected,
        population_mean=mu,
        population_sd=sigma,
        population_source=source,
        expected_change=expected,
        observed_change=mean_d,
        observed_ci_low=obs_ci[0],
        observed_ci_high=obs_ci[1],
        net_change=net,
        net_ci_low=net_ci[0],
        net_ci_high=net_ci[1],
        net_statistic=net_t,
        net_df=net_df,
        net_pvalue=net_p,
        slope=slope,
        slope_se=slope_se,
        slope_ci_low=slope_lo,
        slope_ci_high=slope_hi,
        slope_statistic=slope_t,
        slope_df=slope_df,
        slope_pvalue=slope_p,
        corrected_slope=corrected,
        corrected_ci_low=corr_lo,
        corrected_ci_high=corr_hi,
        corrected_statistic=corr_t,
        corrected_pvalue=corr_p,
        rows=np.asarray(pairs.rows),
        excluded=tuple(pairs.excluded),
        pairs=pairs,
        reasons=MappingProxyType(reasons),
        selection_note=selection_note,
    )
