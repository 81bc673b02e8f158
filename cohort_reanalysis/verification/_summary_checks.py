"""Summary-level checks for claims that come without a patient table.

Each check takes numbers as printed (strings, so that their precision is known) and returns
one result shape, :class:`SummaryCheck`. The checks follow published methods:

- :func:`grim`: GRIM (Brown & Heathers 2017), can a mean of whole numbers be this mean?
- :func:`grimmer`: GRIMMER (Anaya 2016) in Allard's analytic form, as implemented by the
  R package scrutiny (``grimmer_scalar()``), with exact rational arithmetic.
- :func:`recompute_p`: statcheck's test (Nuijten et al. 2016; Epskamp & Nuijten), p recomputed
  from a rounded test statistic, and decision errors.
- :func:`ci_consistency`: an estimate and its confidence interval, checked for symmetry on the
  right scale and for the P value they imply (Altman & Bland 2011, BMJ 343:d2304 "How to
  obtain the P value from a confidence interval"; its twin d2090 goes the other way).
- :func:`counts_add_up`: parts that must sum to a total.

Every printed number is read as an interval (see ``_interval``), under ``rounding``
(``"up_or_down"`` by default: ordinary rounding, a tie going either way).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import pandas as pd

from .._html import html_table
from ._interval import COMPARATORS, Comparator, Interval, interval
from ._reported import NOT_SIGNIFICANT, ReportedNumber, parse_number
from ._rounding import Rounding

__all__ = [
    "SummaryCheck",
    "ci_consistency",
    "counts_add_up",
    "grim",
    "grimmer",
    "recompute_p",
]

Test = Literal["t", "z", "F", "chi2", "r"]
Alternative = Literal["two-sided", "greater", "less"]
Scale = Literal["difference", "ratio"]

# GRIMMER enumerates the whole-number totals that fit the mean; beyond this many, the reported
# precision says next to nothing and the loop would only burn time.
_MAX_CANDIDATE_SUMS = 1_000_000


@dataclass(frozen=True)
class SummaryCheck:
    """The outcome of one summary-level check.

    Attributes
    ----------
    check : str
        Which check: ``"grim"``, ``"grimmer"``, ``"recompute_p"``, ``"ci_consistency"``,
        ``"counts_add_up"``.
    consistent : bool or None
        True if the printed numbers can all be true together, False if they cannot, None if
        the check does not apply (the reason is in ``detail``).
    detail : str
        One or more plain sentences: what was found and why.
    values : Mapping[str, float]
        The numbers behind the verdict, at full precision (flags as 1.0/0.0).

    Examples
    --------
    >>> r = grim("5.19", 28)
    >>> r.consistent, r.values["n"]
    (False, 28.0)
    """

    check: str
    consistent: bool | None
    detail: str
    values: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A private copy, so that a caller's dict cannot change a result after the fact.
        object.__setattr__(self, "values", {k: float(v) for k, v in self.values.items()})

    @property
    def status(self) -> str:
        """``"consistent"``, ``"inconsistent"`` or ``"not applicable"``."""
        if self.consistent is None:
            return "not applicable"
        return "consistent" if self.consistent else "inconsistent"

    def explain(self) -> str:
        """The verdict and its reasons in plain language."""
        return f"{self.check}: {self.status}. {self.detail}"

    def to_frame(self) -> pd.DataFrame:
        """One row per value: ``check``, ``status``, ``quantity``, ``value``."""
        rows = [(self.check, self.status, k, v) for k, v in self.values.items()]
        return pd.DataFrame(rows, columns=["check", "status", "quantity", "value"])

    def __str__(self) -> str:
        return self.explain()

    def _repr_html_(self) -> str:
        rows = [[k, f"{v:.6g}"] for k, v in self.values.items()]
        return html_table(
            ["quantity", "value"], rows, caption=f"{self.check}: {self.status}", footer=self.detail
        )


# ----------------------------------------------------------------------------- helpers


def _whole(value: object, name: str, *, minimum: int) -> int:
    """An integer given as int or as printed digits; bools and fractions are refused."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if isinstance(value, int):
        out = value
    elif isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        out = int(value.strip())
    elif isinstance(value, float) and value.is_integer():
        out = int(value)
    else:
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if out < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {out}")
    return out


def _positive_number(value: object, name: str) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if isinstance(value, (int, float)):
        out = float(value)
    elif isinstance(value, str):
        out = float(parse_number(value).value)
    else:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    if not (math.isfinite(out) and out > 0):
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return out


def _whole_range(iv: Interval, scale: int | Fraction = 1) -> tuple[int, int]:
    """The integers k with k / scale in the interval (empty when first > last)."""
    low = Fraction(iv.low) * scale
    high = Fraction(iv.high) * scale
    first = math.ceil(low)
    if first == low and not iv.low_closed:
        first += 1
    last = math.floor(high)
    if last == high and not iv.high_closed:
        last -= 1
    return first, last


def _fraction_range(
    low: Fraction, high: Fraction, low_closed: bool, high_closed: bool
) -> tuple[int, int]:
    first = math.ceil(low)
    if first == low and not low_closed:
        first += 1
    last = math.floor(high)
    if last == high and not high_closed:
        last -= 1
    return first, last


def _fmt(x: float, digits: int = 4) -> str:
    return f"{x:.{digits}g}"


def _mean_interval(number: ReportedNumber, rounding: Rounding) -> Interval:
    iv = interval(number, rounding=rounding)
    # A per-cent of n is a mean of 0/1 data: divide by 100 exactly.
    return iv.scaled(Decimal("0.01")) if number.is_percent else iv


# ----------------------------------------------------------------------------- GRIM


def grim(
    mean: str,
    n: int | str,
    *,
    items: int = 1,
    rounding: Rounding = "up_or_down",
) -> SummaryCheck:
    """GRIM: can ``n`` whole-number responses (on ``items`` items) have this printed mean?

    A mean of ``n * items`` whole numbers is a multiple of ``1 / (n * items)``; the check asks
    whether any such multiple prints as ``mean`` (Brown & Heathers 2017, Social Psychological
    and Personality Science 8:363). A per-cent (``"52.3%"``) is read as a proportion of ``n``.
    When ``n * items >= 10**decimals`` every printed mean is possible and the check does not
    apply (``consistent`` is None).

    Parameters
    ----------
    mean : str
        The mean as printed; its decimals, trailing zeros included, are its precision.
    n : int
        Sample size.
    items : int
        Number of whole-number items averaged per respondent (default 1).
    rounding : str
        Rounding procedure assumed for the mean (see ``_reported``).

    Examples
    --------
    >>> grim("5.19", 28).consistent, grim("5.21", 28).consistent
    (False, True)
    >>> grim("5.19", 169).consistent is None
    True
    """
    number = parse_number(mean)
    n = _whole(n, "n", minimum=1)
    items = _whole(items, "items", minimum=1)
    total = n * items
    iv = _mean_interval(number, rounding)
    first, last = _whole_range(iv, total)
    decimals = number.decimals + (2 if number.is_percent else 0)
    value = Fraction(number.value) / (100 if number.is_percent else 1)
    below = math.floor(value * total)
    nearest = min((below, below + 1), key=lambda s: abs(Fraction(s, total) - value))
    values = {
        "mean": float(value),
        "n": n,
        "items": items,
        "granularity": 1 / total,
        "mean_low": float(iv.low),
        "mean_high": float(iv.high),
        "consistent_sums": max(last - first + 1, 0),
        "nearest_possible_mean": nearest / total,
    }
    what = f"{number.text} with n = {n}" + (f" and {items} items" if items > 1 else "")
    if total >= 10**decimals:
        return SummaryCheck(
            "grim",
            None,
            f"GRIM does not apply to {what}: with n×items = {total} ≥ 10^{decimals}, means "
            f"are spaced 1/{total} apart, finer than the printed precision, so every mean "
            f"printed with {decimals} decimals is possible.",
            values,
        )
    if first <= last:
        return SummaryCheck(
            "grim",
            True,
            f"{what} is GRIM-consistent: a total of {first} gives {first}/{total} = "
            f"{_fmt(first / total, 6)}, which lies in {iv} and prints as {number.text} "
            f"under {rounding} rounding.",
            values,
        )
    below_low = math.floor(Fraction(iv.low) * total)
    return SummaryCheck(
        "grim",
        False,
        f"{what} is GRIM-inconsistent: no whole-number total over {total} gives a mean in "
        f"{iv}; the nearest possible means are {below_low}/{total} = "
        f"{_fmt(below_low / total, 6)} and {below_low + 1}/{total} = "
        f"{_fmt((below_low + 1) / total, 6)}.",
        values,
    )


# ----------------------------------------------------------------------------- GRIMMER


def _min_sum_of_squares(s: int, n: int) -> int:
    """The smallest sum of squares of n integers adding up to s: as equal as possible."""
    q, r = divmod(s, n)
    return r * (q + 1) ** 2 + (n - r) * q**2


def _max_sum_of_squares(s: int, n: int, low: int, high: int) -> int:
    """The largest sum of squares of n integers in [low, high] adding up to s: as many at
    the ends as the sum allows (a convex sum is largest at the extremes). ``s`` must lie in
    [n low, n high]."""
    width, spare = high - low, s - n * low  # shifted to [0, width], adding up to spare
    at_top, rest = divmod(spare, width) if width else (0, 0)
    if at_top >= n:
        at_top, rest = n, 0
    shifted = at_top * width**2 + rest**2
    return shifted + 2 * low * spare + n * low**2


def grimmer(
    mean: str,
    sd: str,
    n: int | str,
    *,
    items: int = 1,
    bounds: tuple[int, int] | None = None,
    rounding: Rounding = "up_or_down",
) -> SummaryCheck:
    """GRIMMER: can ``n`` whole-number responses have this printed mean *and* SD?

    Follows Allard's analytic GRIMMER as scrutiny implements it (``grimmer_scalar()``, after
    its fix of issue #85): for each whole-number total ``s`` that fits the mean (GRIM), the
    respondents' totals have an integer sum of squares ``Q`` with
    ``SD**2 = (Q - s**2/n) / ((n - 1) * items**2)``. The SD is possible only if some integer
    ``Q`` gives an SD inside the SD's rounding interval (test 1; scrutiny's test 2, re-rounding
    those SDs, is implied here because the arithmetic is exact), with ``Q`` of the same parity
    as ``s`` (test 3: ``x**2`` and ``x`` are both odd or both even), and, an extra necessary
    condition, ``Q`` no smaller than the sum of squares of the most even split of ``s``
    (minimum spread). The SD is the sample SD (divisor ``n - 1``).

    Given the scale's ``bounds`` (each item scored from ``low`` to ``high``, e.g. ``(1, 7)``),
    the mean must lie on the scale, and ``Q`` no larger than the sum of squares of the most
    extreme split of ``s`` (maximum spread: as many respondents at the ends as the total
    allows). An SD of 3 on a 1-5 scale with mean 4 is then impossible: the most spread such
    data can be has an SD of 1.73 (five respondents).

    These are necessary conditions: a pass does not prove that such data exist.

    Examples
    --------
    >>> grimmer("5.23", "2.55", 35).consistent, grimmer("5.23", "2.55", 31).consistent
    (False, True)
    >>> grimmer("4.00", "3.00", 5).consistent, grimmer("4.00", "3.00", 5, bounds=(1, 5)).consistent
    (True, False)
    """
    m = parse_number(mean)
    s_printed = parse_number(sd)
    if m.is_percent or s_printed.is_percent:
        raise ValueError(
            f"GRIMMER takes a mean and SD of whole numbers, not per-cents: "
            f"{m.text!r}, {s_printed.text!r}"
        )
    if s_printed.value < 0:
        raise ValueError(f"an SD cannot be negative: {s_printed.text!r}")
    n = _whole(n, "n", minimum=1)
    items = _whole(items, "items", minimum=1)
    total = n * items
    values: dict[str, float] = {
        "mean": float(m.value),
        "sd": float(s_printed.value),
        "n": n,
        "items": items,
    }
    if bounds is not None:
        low, high = (_whole(b, "bounds", minimum=-(10**9)) for b in bounds)
        if low > high:
            raise ValueError(f"bounds go from low to high, got {bounds!r}")
        values["bounds_low"], values["bounds_high"] = low, high
    if n < 2:
        return SummaryCheck(
            "grimmer",
            None,
            "GRIMMER does not apply with n = 1: the sample SD of one value is undefined.",
            values,
        )
    mean_iv = interval(m, rounding=rounding)
    first, last = _whole_range(mean_iv, total)
    values["consistent_sums"] = max(last - first + 1, 0)
    if first > last:
        return SummaryCheck(
            "grimmer",
            False,
            f"GRIM-inconsistent before the SD is considered: no whole-number total over "
            f"{total} gives a mean in {mean_iv}.",
            values,
        )
    if bounds is not None:  # totals whose mean lies on the scale
        first, last = max(first, total * low), min(last, total * high)
        if first > last:
            return SummaryCheck(
                "grimmer",
                False,
                f"Mean {m.text} lies off the scale from {low} to {high}: no total of "
                f"{total} responses on it gives a mean in {mean_iv}.",
                values,
            )
    if last - first + 1 > _MAX_CANDIDATE_SUMS:
        raise ValueError(
            f"GRIMMER would have to try {last - first + 1} totals for mean "
            f"{m.text!r} with n = {n}; the printed precision is too coarse"
        )
    sd_iv = interval(s_printed, rounding=rounding)
    sd_low, low_closed = Fraction(sd_iv.low), sd_iv.low_closed
    if sd_low < 0:  # an SD cannot be negative, and 0 itself is attainable
        sd_low, low_closed = Fraction(0), True
    sd_high = Fraction(sd_iv.high)
    values["sd_low"], values["sd_high"] = float(sd_low), float(sd_high)
    factor = (n - 1) * items**2
    furthest = 0  # 0: no Q in range, 1: parity, 2: minimum spread, 3: maximum spread
    for s in range(first, last + 1):
        base = Fraction(s * s, n)
        q_first, q_last = _fraction_range(
            base + factor * sd_low**2, base + factor * sd_high**2, low_closed, sd_iv.high_closed
        )
        if q_first > q_last:
            continue
        furthest = max(furthest, 1)
        q = q_first if (q_first - s) % 2 == 0 else q_first + 1
        if q > q_last:
            continue
        furthest = max(furthest, 2)
        # The floor already has the right parity: a sum of squares is congruent to the sum.
        q = max(q, _min_sum_of_squares(s, n))
        if q > q_last:
            continue
        furthest = max(furthest, 3)
        if bounds is not None and q > _max_sum_of_squares(s, n, low * items, high * items):
            continue
        witness_sd = math.sqrt(float((q - base) / factor))
        values.update(
            witness_sum=s, witness_sum_of_squares=q, witness_mean=s / total, witness_sd=witness_sd
        )
        return SummaryCheck(
            "grimmer",
            True,
            f"Mean {m.text} and SD {s_printed.text} with n = {n} pass GRIMMER: a total of {s} "
            f"with a sum of squares of {q} gives mean {_fmt(s / total, 6)} and SD "
            f"{_fmt(witness_sd, 6)}, which print as reported under {rounding} rounding "
            "(a necessary condition, not proof that such data exist).",
            values,
        )
    reason = {
        0: "test 1: no whole-number sum of squares gives an SD inside "
        f"[{_fmt(float(sd_low), 6)}, {_fmt(float(sd_high), 6)}] for any total that fits "
        "the mean",
        1: "test 3: every sum of squares that fits has the wrong parity (odd/even) for its total",
        2: "minimum spread: the SD is smaller than whole numbers with that total can have",
        # Reached only with bounds: without them the first Q past the minimum passes.
        3: f"maximum spread: the SD is larger than responses from {values.get('bounds_low')} "
        f"to {values.get('bounds_high')} with that total can have",
    }[furthest]
    return SummaryCheck(
        "grimmer",
        False,
        f"Mean {m.text} and SD {s_printed.text} with n = {n} are GRIMMER-inconsistent ({reason}).",
        values,
    )


# ----------------------------------------------------------------------------- statcheck


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
        return (_positive_number(parts[0], "df1"), _positive_number(parts[1], "df2"))
    if df is None:
        raise ValueError(f"a {test} test needs its degrees of freedom")
    return (_positive_number(df, "df"),)


def _p_value(test: str, x: float, df: tuple[float, ...], tail: str) -> float:
    """P of a statistic; 'two-sided' means |x| for t, z and r, the upper tail for F and chi2."""
    # The scipy.special functions scipy.stats' f, chi2, t and norm call for these tails,
    # without the cost of importing scipy.stats.
    from scipy.special import chdtrc, fdtrc, ndtr, stdtr

    if test == "F":
        return float(fdtrc(df[0], df[1], x))
    if test == "chi2":
        return float(chdtrc(df[0], x))
    if test == "r":  # Pearson's r on df = n - 2 is a t, r sqrt(df / (1 - r^2)), as in cor.test
        x = math.copysign(math.inf, x) if abs(x) >= 1 else x * math.sqrt(df[0] / (1 - x * x))
        test = "t"
    if test == "t":
        cdf, sf = stdtr(df[0], x), stdtr(df[0], -x)
        two = 2 * stdtr(df[0], -abs(x))
    else:
        cdf, sf = ndtr(x), ndtr(-x)
        two = 2 * ndtr(-abs(x))
    return float(min(two, 1.0) if tail == "two-sided" else sf if tail == "greater" else cdf)


def _p_range(
    test: str, low: float, high: float, df: tuple[float, ...], tail: str
) -> tuple[float, float]:
    # r maps onto t by an odd, increasing function, so its range maps as t's does.
    if tail == "two-sided" and test in ("t", "z", "r"):
        small = 0.0 if low <= 0 <= high else min(abs(low), abs(high))
        large = max(abs(low), abs(high))
        return _p_value(test, large, df, tail), _p_value(test, small, df, tail)
    if tail == "less":
        return _p_value(test, low, df, tail), _p_value(test, high, df, tail)
    # Upper tail (greater, F, chi2): p falls as the statistic grows.
    return _p_value(test, high, df, tail), _p_value(test, low, df, tail)


def _overlaps(low: float, high: float, iv: Interval) -> bool:
    """Whether the closed range [low, high] meets the interval (exact float/Decimal compare)."""
    below_top = Decimal(low) < iv.high or (iv.high_closed and Decimal(low) == iv.high)
    above_bottom = Decimal(high) > iv.low or (iv.low_closed and Decimal(high) == iv.low)
    return bool(low <= high and below_top and above_bottom)


def _gap_log10(low: float, high: float, iv: Interval) -> float:
    """Orders of magnitude between the range [low, high] and the interval (0 if they meet)."""
    if _overlaps(low, high, iv):
        return 0.0
    a, b = (high, float(iv.low)) if high < iv.low else (float(iv.high), low)
    return abs(math.log10(b) - math.log10(a)) if a > 0 and b > 0 else math.inf


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
    statistic_comparator : {"=", "<", ">", "<=", ">="}
        For a statistic printed as a threshold, ``F(1, 20) < 1`` (``statistic="1"``,
        ``statistic_comparator="<"``): the statistic lies anywhere beyond it, and p anywhere
        between the p of the threshold and 0 or 1. The threshold is exact unless
        ``inclusive_rounding``, as for p. For a two-sided t, z or r, ``t < 1`` bounds the size
        of t (-1 < t < 1), as statcheck reads it; ``t > 2`` is t above 2.

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
        rounding=rounding,
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
    p_point = _p_value(test, float(stat.value), dfs, alternative)
    p_low, p_high = _p_range(test, low, high, dfs, alternative)
    p_iv = interval(
        p_text, rounding=rounding, comparator=comparator, inclusive_rounding=inclusive_rounding
    )
    consistent = _overlaps(p_low, p_high, p_iv)
    claim = _significance_claim(p_text.value, comparator, alpha, p_equal_alpha_significant)
    computed_significant = p_point <= alpha if p_equal_alpha_significant else p_point < alpha
    decision_error = (not consistent) and claim is not None and claim != computed_significant

    df_text = ", ".join(_fmt(d, 6) for d in dfs)
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
        "log10_distance": _gap_log10(p_low, p_high, p_iv),
    }
    for i, d in enumerate(dfs, start=1):
        values["df" if len(dfs) == 1 else f"df{i}"] = d
    tail = "" if test in ("F", "chi2") else f" ({alternative})"
    if statistic_comparator == "=":
        allows = (
            f"{shown} gives p = {_fmt(p_point)}{tail}; the statistic's rounding interval "
            f"{stat_iv} allows p from {_fmt(p_low)} to {_fmt(p_high)}, "
        )
    else:
        size = f" (read as {_fmt(low)} < {test} < {_fmt(high)})" if bounds_size else ""
        allows = f"{shown}{size} allows p from {_fmt(p_low)} to {_fmt(p_high)}{tail}, "
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
            + (_fmt(p_point) if statistic_comparator == "=" else f"{_fmt(p_low)} to {_fmt(p_high)}")
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
        one_ok = _overlaps(one_low, one_high, p_iv)
        values.update(
            one_sided_consistent=float(one_ok), p_one_sided_low=one_low, p_one_sided_high=one_high
        )
        sentences.append(
            f"Read as one-sided (p halved: {_fmt(one_low)} to {_fmt(one_high)}) it "
            + (
                "would be consistent: the test may have been one-sided without saying so."
                if one_ok
                else "is still inconsistent."
            )
        )
    return SummaryCheck("recompute_p", consistent, " ".join(sentences), values)


# ----------------------------------------------------------------------------- CI


def _transformed(iv: Interval, scale: str) -> tuple[float, float]:
    low, high = float(iv.low), float(iv.high)
    if scale == "difference":
        return low, high
    return (math.log(low) if low > 0 else -math.inf), math.log(high)


def _symmetry_gap(
    est: tuple[float, float], lo: tuple[float, float], hi: tuple[float, float]
) -> float:
    """How far the estimate's interval is from the interval of possible CI midpoints (0: meets)."""
    mid_low, mid_high = (lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2
    # Bounds are sums of printed decimals; allow for the float error of those sums.
    tol = 1e-12 * max(1.0, *(abs(v) for v in (*est, mid_low, mid_high) if math.isfinite(v)))
    if est[1] < mid_low - tol:
        return mid_low - est[1]
    if est[0] > mid_high + tol:
        return est[0] - mid_high
    return 0.0


def _null_position(low_iv: Interval, high_iv: Interval, null: Decimal) -> str:
    """'excludes', 'includes' or 'borderline' (an end's rounding interval holds the null)."""
    if low_iv.low > null or (low_iv.low == null and not low_iv.low_closed):
        return "excludes"
    if high_iv.high < null or (high_iv.high == null and not high_iv.high_closed):
        return "excludes"
    low_below = low_iv.high < null or (low_iv.high == null and not low_iv.high_closed)
    high_above = high_iv.low > null or (high_iv.low == null and not high_iv.low_closed)
    return "includes" if low_below and high_above else "borderline"


def ci_consistency(
    estimate: str,
    ci_low: str,
    ci_high: str,
    *,
    confidence_level: float = 0.95,
    scale: Scale = "difference",
    n: int | str | None = None,
    claimed_significant: bool | None = None,
    reported_p: str | None = None,
    reported_p_comparator: Comparator = "=",
    df: float | None = None,
    rounding: Rounding = "up_or_down",
) -> SummaryCheck:
    """Check an estimate and its confidence interval against each other and against claims.

    On the right scale (identity for a difference, log for a ratio) a Wald interval is
    symmetric about its estimate; the check asks whether it is, within the rounding of all
    three printed numbers. It derives the implied standard error ``SE = (high - low) / (2 z)``
    (``z`` the normal quantile of the level, or Student's t with ``df``), the test statistic
    ``estimate / SE`` and its two-sided p (Altman & Bland 2011, BMJ 343:d2304; their
    approximation ``exp(-0.717 z - 0.416 z**2)`` is in ``values["p_altman_bland"]``), with the
    range of each allowed by rounding. It then asks whether the CI excludes the null (0, or 1
    for a ratio), against ``claimed_significant``; an end whose rounding interval holds the
    null (``"-0.98 to 0.00"``) is *borderline*, never a contradiction. A ``reported_p`` is
    compared with the implied p range (approximate when the CI was not a Wald interval).

    ``consistent`` is False if the estimate lies outside its CI, the CI is asymmetric beyond
    rounding, the significance claim contradicts the CI, or the reported p does not fit.

    Parameters
    ----------
    n : int, optional
        Total sample size. Recorded, and used for ``implied_sd_two_equal_groups``
        (``SE * sqrt(n) / 2``, the SD if the estimate is a difference of two equal groups);
        Altman & Bland's method is meant for n of 60 or more.
    df : float, optional
        Degrees of freedom if the CI used Student's t rather than the normal distribution.

    Examples
    --------
    >>> r = ci_consistency("-0.49", "-0.98", "0.00", claimed_significant=False)
    >>> r.consistent, r.values["borderline"]
    (True, 1.0)
    """
    from scipy.special import ndtr, ndtri, stdtr, stdtrit

    if scale not in ("difference", "ratio"):
        raise ValueError(f"unknown scale {scale!r}; expected 'difference' or 'ratio'")
    if not (0 < confidence_level < 1):
        raise ValueError(f"confidence_level must lie between 0 and 1, got {confidence_level!r}")
    numbers = [parse_number(x) for x in (estimate, ci_low, ci_high)]
    est, low, high = numbers
    if scale == "ratio" and any(x.value <= 0 for x in numbers):
        raise ValueError(
            f"a ratio and its CI must be positive: {est.text} ({low.text} to {high.text})"
        )
    ivs = [interval(x, rounding=rounding) for x in numbers]
    t_est, t_low, t_high = (_transformed(iv, scale) for iv in ivs)
    tf = (lambda v: float(v)) if scale == "difference" else (lambda v: math.log(v))
    p_est, p_low, p_high = (tf(x.value) for x in numbers)
    shown = f"{est.text} ({low.text} to {high.text})"

    if df is None:
        critical = float(ndtri(0.5 + confidence_level / 2))
        dist_name = "normal"
    else:
        df = _positive_number(df, "df")
        critical = float(stdtrit(df, 0.5 + confidence_level / 2))
        dist_name = f"t with {_fmt(df)} df"

    def p_of(z: float) -> float:
        if df is None:
            return float(2 * ndtr(-abs(z)))
        return float(2 * stdtr(df, -abs(z)))

    values: dict[str, float] = {
        "estimate": float(est.value),
        "ci_low": float(low.value),
        "ci_high": float(high.value),
        "confidence_level": confidence_level,
        "critical_value": critical,
    }
    sentences: list[str] = []
    problems: list[str] = []

    # 1. Order: some true values must satisfy low <= estimate <= high.
    if t_low[0] > t_est[1] or t_est[0] > t_high[1] or t_low[0] > t_high[1]:
        problems.append("order")
        sentences.append(f"The estimate lies outside its CI: {shown}.")

    # 2. Symmetry on the stated scale.
    gap = _symmetry_gap(t_est, t_low, t_high)
    on = "the log scale" if scale == "ratio" else "the original scale"
    asymmetry = (p_high - p_est) - (p_est - p_low)
    values.update(asymmetry=asymmetry, asymmetry_beyond_rounding=gap, symmetric=float(gap == 0))
    if gap == 0:
        sentences.append(f"{shown} is symmetric on {on} within rounding.")
    else:
        problems.append("asymmetric")
        other = "ratio" if scale == "difference" else "difference"
        note = ""
        if all(x.value > 0 for x in numbers):
            other_gap = _symmetry_gap(*(_transformed(iv, other) for iv in ivs))
            if other_gap == 0:
                note = (
                    f" It is symmetric on {'the log' if other == 'ratio' else 'the original'}"
                    f" scale: is the scale '{other}'?"
                )
        sentences.append(
            f"{shown} is not symmetric on {on}: the upper arm exceeds the lower by "
            f"{_fmt(asymmetry)}, {_fmt(gap)} beyond what rounding allows; it is not a Wald "
            f"interval on this scale.{note}"
        )

    # 3. Implied SE, z and p (Altman & Bland), with their ranges under rounding.
    width = p_high - p_low
    se = width / (2 * critical)
    width_min = max(t_high[0] - t_low[1], 0.0)
    width_max = t_high[1] - t_low[0]
    abs_min = 0.0 if t_est[0] <= 0 <= t_est[1] else min(abs(t_est[0]), abs(t_est[1]))
    abs_max = max(abs(t_est[0]), abs(t_est[1]))
    z_min = abs_min / (width_max / (2 * critical)) if width_max > 0 else math.inf
    z_max = abs_max / (width_min / (2 * critical)) if width_min > 0 else math.inf
    p_min, p_max = p_of(z_max), p_of(z_min)
    values.update(se=se, se_max=width_max / (2 * critical), p_low=p_min, p_high=p_max)
    if se > 0:
        z = p_est / se
        p = p_of(z)
        values.update(z=z, p=p, p_altman_bland=math.exp(-0.717 * abs(z) - 0.416 * z * z))
        sentences.append(
            f"Implied SE = {_fmt(se)}, z = {_fmt(z)}, two-sided p = {_fmt(p)} ({dist_name}; "
            f"from {_fmt(p_min)} to {_fmt(p_max)} within rounding)."
        )
    elif width == 0:
        sentences.append(
            f"The CI has zero printed width, so the SE is only bounded: SE ≤ "
            f"{_fmt(values['se_max'])}, |z| ≥ {_fmt(z_min)}, p ≤ {_fmt(p_max)}. A CI narrower "
            "than the printed precision is possible but unusually precise."
        )
    if n is not None:
        n_int = _whole(n, "n", minimum=1)
        values["n"] = n_int
        if scale == "difference" and width >= 0:
            values["implied_sd_two_equal_groups"] = se * math.sqrt(n_int) / 2
            values["implied_sd_two_equal_groups_max"] = values["se_max"] * math.sqrt(n_int) / 2
        if n_int < 60 and df is None:
            sentences.append(f"With n = {n_int} (< 60) the CI may be t-based; pass df.")

    # 4. Does the CI exclude the null, and does that fit the claim?
    null = Decimal(0) if scale == "difference" else Decimal(1)
    position = _null_position(ivs[1], ivs[2], null)
    values.update(
        excludes_null=float(position == "excludes"), borderline=float(position == "borderline")
    )
    described = {
        "excludes": f"excludes the null value {null}",
        "includes": f"includes the null value {null}",
        "borderline": f"touches the null value {null} at the printed precision (borderline)",
    }[position]
    if claimed_significant is None:
        sentences.append(f"The CI {described}.")
    else:
        values["claimed_significant"] = float(claimed_significant)
        claim = "significant" if claimed_significant else "not significant"
        contradiction = (claimed_significant and position == "includes") or (
            not claimed_significant and position == "excludes"
        )
        if contradiction:
            problems.append("significance")
            sentences.append(
                f"The CI {described}, which contradicts the claim that the result is {claim}."
            )
        else:
            sentences.append(
                f"The CI {described}, which fits the claim that the result is {claim}."
            )

    # 5. A reported p against the implied p range.
    if reported_p is not None:
        rp = parse_number(reported_p)
        rp_iv = interval(rp, rounding=rounding, comparator=reported_p_comparator)
        fits = _overlaps(p_min, p_max, rp_iv)
        values.update(reported_p=float(rp.value), reported_p_fits=float(fits))
        if not fits:
            problems.append("p")
        sentences.append(
            f"The reported p {reported_p_comparator} {rp.text} "
            + ("fits" if fits else "does not fit")
            + f" the implied p range ({_fmt(p_min)} to {_fmt(p_max)})"
            + ("." if fits else "; the CI may not be a Wald interval, but this is worth a look.")
        )
    return SummaryCheck("ci_consistency", not problems, " ".join(sentences), values)


# ----------------------------------------------------------------------------- counts


def counts_add_up(parts: Mapping[str, int | str], total: int | str) -> SummaryCheck:
    """Check that counts of parts add up to the stated total.

    Examples
    --------
    >>> counts_add_up({"men": 30, "women": 28}, 58).consistent
    True
    """
    if not parts:
        raise ValueError("counts_add_up needs at least one part")
    counts = {name: _whole(v, f"part {name!r}", minimum=0) for name, v in parts.items()}
    stated = _whole(total, "total", minimum=0)
    summed = sum(counts.values())
    terms = " + ".join(f"{v} ({k})" for k, v in counts.items())
    values: dict[str, float] = {f"part:{k}": v for k, v in counts.items()}
    values.update(sum=summed, total=stated, difference=summed - stated)
    if summed == stated:
        return SummaryCheck("counts_add_up", True, f"{terms} = {summed}, as stated.", values)
    return SummaryCheck(
        "counts_add_up",
        False,
        f"{terms} = {summed}, but the stated total is {stated} "
        f"({'over' if summed > stated else 'short'} by {abs(summed - stated)}).",
        values,
    )
