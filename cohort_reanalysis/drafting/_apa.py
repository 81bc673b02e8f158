"""APA-style test results in a sentence: ``t(28) = 2.20, p = .036`` and its variants.

What is read follows statcheck (Nuijten et al. 2016; its ``R/regex.R`` and tests): t, F, r,
chi-square and z, df in parentheses (``t (28)``, ``F(2, 30)``, ``χ2(1, N = 120)``) or run on
(``t28``), the test statistic with its comparator, then a comma and ``p`` with its comparator,
or ``ns``. Unicode minus signs and dashes, ``≤``/``≥``, thin and no-break spaces are read as
their ASCII forms, but every printed number is kept as printed (a Unicode minus included, as
the printed-number grammar allows). A statistic with a semicolon before ``p``, square
brackets, two df for t, df for z, a "p" above 1 or a correlation above 1 is not read, as
statcheck does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["TestResult", "find_tests", "normalise"]

_SPACES = "\u00a0\u2009\u202f\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u200a"
#: One-to-one replacements, so offsets in the normalised text are offsets in the original.
_TRANSLATE = str.maketrans(
    {
        **{c: " " for c in _SPACES},
        "\u2013": "-",
        "\u2014": "-",
        "\u2012": "-",
        "\u2010": "-",
        "\u2011": "-",
        "\u2212": "-",
        "\ufe63": "-",
        "\uff0d": "-",
    }
)
_CMP = r"(?:<=|>=|=<|=>|<|>|=|\u2264|\u2265|\u2266|\u2267)"
_NUM = r"-?\s?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]+)?(?:[eE]-?[0-9]+)?"
_DFN = r"[0-9]+(?:\.[0-9]+)?"
_TEST = re.compile(
    r"(?<![A-Za-z0-9_])"
    r"(?P<name>t|F|r|z|Z|chi2|chi-square|chi-squared|chi\^2|chi_2|chi\s?2|\u03c72|\u03c7\u00b2|"
    r"\u03c7\s2|X2|x2|X\u00b2)"
    r"(?:\s*\(\s*(?P<df1>" + _DFN + r")(?:\s*,\s*(?P<df2>" + _DFN + r"))?"
    r"(?:\s*,\s*N\s*=\s*[0-9,]+)?\s*\)|(?P<dfrun>[0-9]+(?:\.[0-9]+)?(?=\s*" + _CMP + r")))?"
    r"\s*(?P<scmp>" + _CMP + r")\s*(?P<stat>" + _NUM + r")"
    r"\s*,\s*(?:(?:p|P)\s*(?P<pcmp>" + _CMP + r")\s*(?P<p>ns|n\.s\.|" + _NUM + r")|"
    r"(?P<ns>ns|n\.s\.))"
)
_COMPARATOR = {
    "=": "=",
    "<": "<",
    ">": ">",
    "<=": "<=",
    ">=": ">=",
    "=<": "<=",
    "=>": ">=",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2266": "<=",
    "\u2267": ">=",
}
_ONE_SIDED = re.compile(r"(?i)\bone[- ]?(?:tailed|sided)\b|\bdirectional\b")


@dataclass(frozen=True)
class TestResult:
    """One test result as printed: the fields of a ``test_statistic`` summary claim."""

    start: int
    end: int
    test: str
    df: str | None
    statistic: str
    statistic_comparator: str
    p: str
    comparator: str
    one_sided: bool

    def fields(self) -> dict[str, object]:
        out: dict[str, object] = {"test": self.test}
        if self.df is not None:
            out["df"] = self.df
        out.update(
            statistic=self.statistic,
            statistic_comparator=self.statistic_comparator,
            p=self.p,
            comparator=self.comparator,
        )
        if self.one_sided:
            out["alternative"] = (
                "greater" if not self.statistic.startswith(("-", "\u2212")) else "less"
            )
        return out


def normalise(text: str) -> str:
    """``text`` with Unicode spaces, minus signs and dashes as ASCII, length unchanged.

    >>> normalise("t(28)\\u2009=\\u2009\\u22122.20")
    't(28) = -2.20'
    """
    return text.translate(_TRANSLATE)


def _printed(original: str) -> str:
    """A number as printed, without the spaces or thousands commas the grammar lacks."""
    return re.sub(r"[\s,]", "", original)


def _test_name(name: str) -> str:
    if name in ("t", "F", "r"):
        return name
    if name in ("z", "Z"):
        return "z"
    return "chi2"


def find_tests(text: str) -> list[TestResult]:
    """Every APA-style test result in ``text`` (one sentence, or more), in order.

    >>> [r.fields() for r in find_tests("The effect was significant, t(28) = 2.20, p = .03.")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'test': 't', 'df': '28', 'statistic': '2.20', 'statistic_comparator': '=',
      'p': '.03', 'comparator': '='}]
    """
    flat = normalise(text)
    one_sided = bool(_ONE_SIDED.search(flat))
    out = []
    for m in _TEST.finditer(flat):
        stat = _printed(text[m.start("stat") : m.end("stat")])
        if not re.search(r"[0-9]", stat):
            continue
        test = _test_name(m.group("name"))
        df1 = m.group("df1") or m.group("dfrun")
        df2 = m.group("df2")
        if test == "z" and df1 is not None:
            continue  # statcheck: a z has no df
        if test == "chi2" and df2 is not None and not re.search(r",\s*N", m.group(0)):
            continue
        if test == "chi2":
            df2 = None
        if test in ("t", "r") and df2 is not None:
            continue
        if test == "F" and df2 is None:
            continue
        if test != "z" and df1 is None:
            continue
        if m.group("ns") is not None:
            p, pcmp = m.group("ns"), "="
        else:
            p = _printed(text[m.start("p") : m.end("p")])
            pcmp = _COMPARATOR[m.group("pcmp")]
            if p.casefold() not in ("ns", "n.s."):
                if not re.search(r"[0-9]", p) or float(p.replace("\u2212", "-")) > 1:
                    continue
            elif pcmp != "=":
                continue
        if test == "r" and abs(float(stat.replace("\u2212", "-"))) > 1:
            continue
        df = None if test == "z" else (df1 if df2 is None else f"{df1}, {df2}")
        out.append(
            TestResult(
                m.start(),
                m.end(),
                test,
                df,
                stat,
                _COMPARATOR[m.group("scmp")],
                p,
                pcmp,
                one_sided,
            )
        )
    return out
