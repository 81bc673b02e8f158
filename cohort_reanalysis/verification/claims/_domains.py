"""The values a printed statistic can take: each statistic's domain, checked on reading.

A p-value lies in [0, 1], a correlation in [-1, 1], an SD, an SE or a count is not negative,
a count is a whole number, a ratio is positive, and every printed number is finite (as a
float: ``"1e999"`` is not). A claim whose printed value lies outside its statistic's domain
cannot be true of any table, so the claims file is refused when it is read, naming the claim
and the field (see :func:`domain_problem`). Each statistic's domain is declared once, here:
``_TABLE`` for claims about the table (by ``quantity.statistic``), ``_SUMMARY`` for the
fields of summary claims (by kind and field). A per-cent sign divides by 100 before a bound
is compared (``"72%"`` is the proportion 0.72).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .._reported import ReportedNumber, ReportedPair, parse_reported

__all__ = ["Domain", "domain_problem", "summary_domain", "table_domain"]


@dataclass(frozen=True)
class Domain:
    """The real values a statistic can take: between ``low`` and ``high`` (None: unbounded;
    ``low_open`` excludes ``low`` itself), and whole numbers only if ``integral``.

    Examples
    --------
    >>> Domain("a p-value", Decimal(0), Decimal(1)).words()
    'a p-value lies in [0, 1]'
    """

    what: str
    low: Decimal | None = None
    high: Decimal | None = None
    low_open: bool = False
    integral: bool = False

    def holds(self, number: ReportedNumber) -> bool:
        value = number.value / 100 if number.is_percent else number.value
        if self.integral and (number.is_percent or value != value.to_integral_value()):
            return False
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return self.high is None or value <= self.high

    def words(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.what} lies in [{self.low}, {self.high}]"
        bound = "is not negative" if not self.low_open else "is positive"
        whole = " and a whole number" if self.integral else ""
        return f"{self.what} {bound}{whole}"


_ANY = None
_P = Domain("a p-value", Decimal(0), Decimal(1))
_R = Domain("a correlation", Decimal(-1), Decimal(1))
_PROPORTION = Domain("a proportion", Decimal(0), Decimal(1))
_SPREAD = Domain("an SD or SE", Decimal(0))
_COUNT = Domain("a count", Decimal(0), integral=True)
_DF = Domain("degrees of freedom", Decimal(0))
_CHI2 = Domain("a chi-squared or F statistic", Decimal(0))
_RATIO = Domain("a ratio (and its CI)", Decimal(0), low_open=True)

#: Statistic of a claim about the table -> its domain (absent: any real number).
_TABLE: dict[str, Domain] = {
    "n": _COUNT,
    "count": _COUNT,
    "sd": _SPREAD,
    "se": _SPREAD,
    "pvalue": _P,
    "correlation": _R,
    "proportion": _PROPORTION,
    "df": _DF,
}
#: Summary kind -> field -> its domain (test_statistic's ``statistic``: by test, below).
_SUMMARY: dict[str, dict[str, Domain]] = {
    "mean_sd": {"sd": _SPREAD},
    "test_statistic": {"p": _P},
    "counts": {"parts": _COUNT, "total": _COUNT},
    "count": {"count": _COUNT},
}
_STATISTIC_BY_TEST: dict[str, Domain] = {"chi2": _CHI2, "F": _CHI2, "r": _R}


def table_domain(statistic: str, method_test: str | None = None) -> Domain | None:
    """The domain of a claim about the table, by its statistic (None: any real number).

    Examples
    --------
    >>> table_domain("pvalue").what, table_domain("mean") is None
    ('a p-value', True)
    >>> table_domain("statistic", "chi2").what
    'a chi-squared or F statistic'
    """
    if statistic == "statistic" and method_test == "chi2":
        return _CHI2
    return _TABLE.get(statistic, _ANY)


def summary_domain(kind: str, field: str, fields: Mapping[str, Any]) -> Domain | None:
    """The domain of one field of a summary claim of ``kind`` (None: any real number).

    Examples
    --------
    >>> summary_domain("test_statistic", "statistic", {"test": "r"}).what
    'a correlation'
    >>> summary_domain("estimate_ci", "ci_low", {"scale": "ratio"}).low_open
    True
    """
    if kind == "test_statistic" and field == "statistic":
        return _STATISTIC_BY_TEST.get(str(fields.get("test")), _ANY)
    if kind == "estimate_ci" and field in ("estimate", "ci_low", "ci_high"):
        return _RATIO if fields.get("scale") == "ratio" else _ANY
    return _SUMMARY.get(kind, {}).get(field, _ANY)


def domain_problem(text: str, domain: Domain | None) -> str | None:
    """Why a printed value cannot be a value of its statistic, or None if it can be.

    Every number must be finite as a float; then each must lie in ``domain``.

    Examples
    --------
    >>> domain_problem("1e3", table_domain("pvalue"))
    "'1e3' is outside the domain: a p-value lies in [0, 1]"
    >>> domain_problem("1e999", None)
    "'1e999' is not a finite number"
    >>> domain_problem("12%", table_domain("proportion")) is None
    True
    """
    try:
        parsed = parse_reported(text)
    except ValueError:
        return None  # the grammar is checked (and reported) elsewhere
    numbers = parsed.numbers if isinstance(parsed, ReportedPair) else (parsed,)
    for number in numbers:
        if not math.isfinite(float(number.value)):
            return f"{number.text!r} is not a finite number"
    for number in numbers:
        if domain is not None and not domain.holds(number):
            return f"{number.text!r} is outside the domain: {domain.words()}"
    return None
