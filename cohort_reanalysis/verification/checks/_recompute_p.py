"""statcheck's test (Nuijten et al. 2016; Epskamp & Nuijten): p recomputed from a rounded
test statistic, and decision errors."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from .._interval import COMPARATORS, Comparator, interval
from .._reported import NOT_SIGNIFICANT, parse_number
from .._rounding import Rounding, rules
from ._p_values import p_range, p_value
from ._result import SummaryCheck
from ._shared import fmt, gap_log10, overlaps, positive_number

__all__ = ["Alternative", "Test", "recompute_p"]

Test = Literal["t", "z", "F", "chi2", "r"]
Alternative = Literal["two-sided", "greater", "less"]


def _df_values(test: str, df: object) -> tuple[float, ...]:
    if test == "z":
        if df is not None:
            raise ValueError(f"a z test has no degrees of freedom, got df={df!r}")
        return ()
    if test == "F":
        parts: Sequence[object]
        if isinstance(df, str):
            parts = df.replace(",", " ").split()
        elif isinstance(df, Sequence):
            parts = df
        else:
            raise ValueError(f"an F test needs df as (df1, df2), got {df!r}")
        if len(parts) != 2:
            raise ValueError(f"an F test needs df as (df1, df2), got {df!r}")
        return (positive_number(parts[0], "df1"), positive_number(parts[1], "df2"))
    if df is None:
        raise ValueError(f"a {test} test needs its degrees of freedom")
    return (positive_number(df, "df"),)


def _significance_claim(
    p: Decimal, comparator: str, alpha: float, equal_is_significant: bool
) -> bool | None:
    """What a reported p says about significance (statcheck's table); None if it says nothing."""
    a = Decimal(repr(alpha))
    if comparator == "=":
        return p <= a if equal_is_significant else p < a
    if comparator in ("<", "<="):
        return True if p <= a else None
    return False if p >= a else None


def recompute_p(
    test: Test,
    statistic: str,
    df: float | str | tuple[float | str, float | str] | None,
    reported_p: str,
    comparator: Comparator = "=",
    *,
    alternative: Alternative = "two-sided",
    alpha: float = 0.05,
    rounding: Rounding = "up_or_down",
    threshold: float | None = None,
    symmetric: bool | None = None,
    inclusive_rounding: bool = False,
    p_equal_alpha_significant: bool = True,
    one_sided_fallback: bool = True,
    statistic_comparator: Comparator = "=",
) -> SummaryCheck:
    """Recompute a p-value from a printed test statistic, as statcheck does.

    The printed statistic stands for an interval (``"2.20"`` for [2.195, 2.205]); the p-values
    of its ends bound the p that the true statistic had. The reported p (itself an interval, or
    a threshold with ``comparator``) is consistent if the two overlap. An inconsistency is a
    decision error when the reported p claims significance at ``alpha`` and the p of the
    printed statistic does not, or the reverse (statcheck's rule, with ``p == alpha`` counted
    as significant unless ``p_equal_alpha_significant`` is False). When a two-sided t or z
    test is inconsistent, the one-sided reading (p halved) is tried and reported in ``detail``
    and ``values["one_sided_consistent"]``; ``consistent`` stays about the stated test.

    Parameters
    ----------
    test : {"t", "z", "F", "chi2", "r"}
        ``"r"`` is Pearson's correlation, tested as R's ``cor.test`` and statcheck do: t =
        r sqrt(df / (1 - r^2)) on ``df = n - 2``.
    statistic : str
        As printed, e.g. ``"-2.20"``.
    df : number, str, pair, or None
        ``df`` for t, chi2 and r, ``(df1, df2)`` for F, None for z. Taken as exact (a Welch
        df printed as ``"27.5"`` is not widened).
    reported_p : str
        As printed, e.g. ``"0.03"``, ``".001"``, ``"1.2e-5"``; or ``"ns"`` (``"n.s."``): not
        significant, read as p > ``alpha`` (p >= ``alpha`` when ``p_equal_alpha_significant``
        is False), as statcheck reads it.
    comparator : {"=", "<", ">", "<=", ">="}
        ``p < .001`` is ``reported_p=".001", comparator="<"``; ``"ns"`` takes ``"="``.
    alternative : {"two-sided", "greater", "less"}
        For t, z and r. F and chi2 tests take the upper tail and accept only "two-sided".
    alpha : float, default 0.05
        The significance level a decision error is judged at.
    rounding : str, default "up_or_down"
        How the statistic and the p-value were rounded (``"up_or_down"``: a tie at 5 either
        way; ``"half_up"``, ``"half_even"``, ``"truncate"``, ...).
    threshold : float, optional
        For ``up_from``, ``down_from`` and ``up_from_or_down_from`` only: the digit (in
        tenths of a step, strictly between 0 and 10) from which a value rounds up
        (scrutiny's ``threshold``; default 5).
    symmetric : bool, optional
        For ``up``, ``down``, ``up_from``, ``down_from`` and their unions only: negative
        numbers round as the mirror image of positive ones (scrutiny's ``symmetric``;
        default False).
    inclusive_rounding : bool, default False
        Widen a threshold (``p < .05``) by its own rounding interval, admitting values that
        print as the threshold itself.
    p_equal_alpha_significant : bool, default True
        Whether ``p == alpha`` counts as significant (statcheck's rule).
    one_sided_fallback : bool, default True
        When a two-sided t, z or r test is inconsistent, also try the one-sided reading (p
        halved) and report it in ``detail`` and ``values["one_sided_consistent"]``.
    statistic_comparator : {"=", "<", ">", "<=", ">="}
        For a statistic printed as a threshold, ``F(1, 20) < 1`` (``statistic="1"``,
        ``statistic_comparator="<"``): the statistic lies anywhere beyond it, and p anywhere
        between the p of the threshold and 0 or 1. The threshold is exact unless
        ``inclusive_rounding``, as for p. For a two-sided t, z or r, ``t < 1`` bounds the size
        of t (-1 < t < 1), as statcheck reads it; ``t > 2`` is t above 2.

    Returns
    -------
    SummaryCheck
        ``check`` is ``"recompute_p"``; ``consistent`` whether the reported p fits the p of
        the printed statistic; ``detail`` the sentences of what was found (a decision
        error, the one-sided reading); ``values`` the recomputed p and its range under
        rounding, and the flags (``decision_error``, ``one_sided_consistent``).

    Examples
    --------
    >>> r = recompute_p("t", "1.02", 48, ".05", "<")
    >>> r.consistent, r.values["decision_error"]
    (False, 1.0)
    >>> recompute_p("F", "1", "1, 20", ".05", "<", statistic_comparator="<").consistent
    False
    """
    if test not in ("t", "z", "F", "chi2", "r"):
        raise ValueError(f"unknown test {test!r}; expected 't', 'z', 'F', 'chi2' or 'r'")
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"unknown alternative {alternative!r}")
    if test in ("F", "chi2") and alternative != "two-sided":
        raise ValueError(
            f"an {test} test has one p (the upper tail); alternative must be "
            f"'two-sided', got {alternative!r}"
        )
    if comparator not in COMPARATORS:
        raise ValueError(f"unknown comparator {comparator!r}")
    if statistic_comparator not in COMPARATORS:
        raise ValueError(f"unknown statistic comparator {statistic_comparator!r}")
    if not (0 < alpha < 1):
        raise ValueError(f"alpha must lie between 0 and 1, got {alpha!r}")
    how = rules(rounding, threshold=threshold, symmetric=symmetric)
    dfs = _df_values(test, df)
    stat = parse_number(statistic)
    if test in ("F", "chi2") and stat.value < 0:
        raise ValueError(f"an {test} statistic cannot be negative: {stat.text!r}")
    if test == "r" and (stat.is_percent or abs(stat.value) > 1):
        raise ValueError(f"a correlation lies between -1 and 1: {stat.text!r}")
    said = reported_p.strip() if isinstance(reported_p, str) else reported_p
    not_significant = isinstance(said, str) and said.casefold() in NOT_SIGNIFICANT
    if not_significant:  # "ns": p above alpha, the threshold taken as exact
        if comparator != "=":
            raise ValueError(f"{reported_p!r} takes no comparator: it says p is above alpha")
        comparator = ">" if p_equal_alpha_significant else ">="
        reported_p = repr(alpha)
    p_text = parse_number(reported_p)
    if p_text.is_percent or not (0 <= p_text.value <= 1):
        raise ValueError(f"a p-value lies between 0 and 1: {p_text.text!r}")
    stat_iv = interval(
        stat,
        rounding=how,
        comparator=statistic_comparator,
        inclusive_rounding=inclusive_rounding,
    )
    low, high = float(stat_iv.low), float(stat_iv.high)
    bounds_size = (
        statistic_comparator in ("<", "<=")
        and test in ("t", "z", "r")
        and alternative == "two-sided"
        and high > 0
    )
    if bounds_size:  # "t < 1": the size of t, as statcheck reads it
        low = -high
    if test in ("F", "chi2"):
        low = max(low, 0.0)
    if test == "r":  # "1.00" stands for [0.995, 1]: no correlation beyond 1
        low, high = max(low, -1.0), min(high, 1.0)
    p_point = p_value(test, float(stat.value), dfs, alternative)
    p_low, p_high = p_range(test, low, high, dfs, alternative)
    p_iv = interval(
        p_text, rounding=how, comparator=comparator, inclusive_rounding=inclusive_rounding
    )
    consistent = overlaps(p_low, p_high, p_iv)
    claim = _significance_claim(p_text.value, comparator, alpha, p_equal_alpha_significant)
    computed_significant = p_point <= alpha if p_equal_alpha_significant else p_point < alpha
    decision_error = (not consistent) and claim is not None and claim != computed_significant

    df_text = ", ".join(fmt(d, 6) for d in dfs)
    shown = f"{test}({df_text})" if dfs else test
    shown += f" {statistic_comparator} {stat.text}"
    values: dict[str, float] = {
        "statistic": float(stat.value),
        "statistic_low": low,
        "statistic_high": high,
        "p_recomputed": p_point,
        "p_low": p_low,
        "p_high": p_high,
        "reported_p": float(p_text.value),
        "alpha": alpha,
        "decision_error": float(decision_error),
        "log10_distance": gap_log10(p_low, p_high, p_iv),
    }
    for i, d in enumerate(dfs, start=1):
        values["df" if len(dfs) == 1 else f"df{i}"] = d
    tail = "" if test in ("F", "chi2") else f" ({alternative})"
    if statistic_comparator == "=":
        allows = (
            f"{shown} gives p = {fmt(p_point)}{tail}; the statistic's rounding interval "
            f"{stat_iv} allows p from {fmt(p_low)} to {fmt(p_high)}, "
        )
    else:
        size = f" (read as {fmt(low)} < {test} < {fmt(high)})" if bounds_size else ""
        allows = f"{shown}{size} allows p from {fmt(p_low)} to {fmt(p_high)}{tail}, "
    sentences = [
        allows
        + ("which is compatible with" if consistent else "which is not compatible with")
        + (
            f" the reported {said!r}, read as p {comparator} {p_text.text}."
            if not_significant
            else f" the reported p {comparator} {p_text.text} ({p_iv})."
        )
    ]
    if p_text.value == 0 and comparator == "=":
        sentences.append(
            "A p printed as zero is read as rounded (statcheck counts it as an error by default)."
        )
    if decision_error:
        sentences.append(
            f"This is a decision error at alpha = {alpha}: the reported p "
            + ("claims significance" if claim else "claims non-significance")
            + " and the recomputed p ("
            + (fmt(p_point) if statistic_comparator == "=" else f"{fmt(p_low)} to {fmt(p_high)}")
            + ") "
            + ("does not." if claim else "is significant.")
        )
    if (
        not consistent
        and one_sided_fallback
        and test in ("t", "z", "r")
        and (alternative == "two-sided")
    ):
        one_low, one_high = p_low / 2, p_high / 2
        one_ok = overlaps(one_low, one_high, p_iv)
        values.update(
            one_sided_consistent=float(one_ok), p_one_sided_low=one_low, p_one_sided_high=one_high
        )
        sentences.append(
            f"Read as one-sided (p halved: {fmt(one_low)} to {fmt(one_high)}) it "
            + (
                "would be consistent: the test may have been one-sided without saying so."
                if one_ok
                else "is still inconsistent."
            )
        )
    return SummaryCheck("recompute_p", consistent, " ".join(sentences), values)
