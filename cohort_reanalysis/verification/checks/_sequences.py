"""How far a failing case is from passing: GRIM and GRIMMER on neighbouring reported values
(scrutiny's ``*_map_seq()``) and on the splits of a known total n (``*_map_total_n()``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .._reported import parse_number
from ._grim import grim
from ._grimmer import grimmer
from ._shared import whole

__all__ = [
    "SequenceAudit",
    "TotalNAudit",
    "grim_seq",
    "grim_total_n",
    "grimmer_seq",
    "grimmer_total_n",
]


@dataclass(frozen=True)
class SequenceAudit:
    """Neighbours of a case, each varied alone, and the steps to the nearest that passes.

    Attributes
    ----------
    consistent : bool or None
        The case itself.
    hits : mapping of str to tuple
        For each varied input (``"mean"``, ``"sd"``, ``"n"``), the neighbouring values that
        pass, as printed (a mean or SD) or as integers (n).
    steps_up, steps_down : mapping of str to int or None
        Steps (in the last printed digit, or in n) to the nearest passing neighbour above
        and below; None if none passes within ``dispersion`` steps.
    steps : mapping of str to int or None
        The smaller of the two (scrutiny's ``diff_x``, ``diff_n``, ...).

    Examples
    --------
    >>> a = grim_seq("5.19", 28)
    >>> a.steps["mean"], a.hits["mean"], a.steps["n"]
    (1, ('5.14', '5.18', '5.21'), 1)
    """

    consistent: bool | None
    hits: Mapping[str, tuple[Any, ...]]
    steps_up: Mapping[str, int | None]
    steps_down: Mapping[str, int | None]
    steps: Mapping[str, int | None]


def _neighbours(text: str, dispersion: int) -> list[tuple[int, str]]:
    number = parse_number(text)
    out = []
    for k in (*range(-dispersion, 0), *range(1, dispersion + 1)):
        value = number.value + k * number.step
        if value < 0 and number.value >= 0:
            continue  # a mean or SD of non-negative data does not cross zero
        out.append((k, f"{value:.{number.decimals}f}" + ("%" if number.is_percent else "")))
    return out


def _sequence(run: Callable[..., Any], fields: dict[str, Any], dispersion: int) -> SequenceAudit:
    dispersion = whole(dispersion, "dispersion", minimum=1)
    hits: dict[str, tuple[Any, ...]] = {}
    up: dict[str, int | None] = {}
    down: dict[str, int | None] = {}
    for name, value in fields.items():
        tried: list[tuple[int, Any]]
        if name == "n":
            n = whole(value, "n", minimum=1)
            tried = [(k, n + k) for k in range(-dispersion, dispersion + 1) if k and n + k >= 1]
        else:
            tried = _neighbours(value, dispersion)
        passing = [(k, v) for k, v in tried if run(**{**fields, name: v}).consistent]
        hits[name] = tuple(v for _, v in passing)
        up[name] = min((k for k, _ in passing if k > 0), default=None)
        below = [-k for k, _ in passing if k < 0]
        down[name] = min(below, default=None)
    steps = {
        name: min((s for s in (up[name], down[name]) if s is not None), default=None)
        for name in fields
    }
    return SequenceAudit(run(**fields).consistent, hits, up, down, steps)


def grim_seq(mean: str, n: int | str, *, dispersion: int = 5, **options: Any) -> SequenceAudit:
    """GRIM on the ``dispersion`` neighbours of the mean (in its last digit) and of n on each
    side, one varied at a time, as scrutiny's ``grim_map_seq()`` and ``audit_seq()``.

    Parameters
    ----------
    mean, n
        As printed (``n`` a whole number), as for :func:`grim`.
    dispersion : int
        Neighbours tried on each side of each input (default 5).
    **options
        Passed to :func:`grim` (``items``, ``rounding``, ...).

    Returns
    -------
    SequenceAudit

    Examples
    --------
    >>> grim_seq("5.19", 28).steps_up  # 5.21; 161/31 = 5.194
    {'mean': 2, 'n': 3}
    """
    return _sequence(lambda **f: grim(**f, **options), {"mean": mean, "n": n}, dispersion)


def grimmer_seq(
    mean: str, sd: str, n: int | str, *, dispersion: int = 5, **options: Any
) -> SequenceAudit:
    """GRIMMER on the neighbours of the mean, the SD and n, one at a time (scrutiny's
    ``grimmer_map_seq()``).

    Parameters
    ----------
    mean, sd, n
        As printed (``n`` a whole number), as for :func:`grimmer`.
    dispersion : int
        Neighbours tried on each side of each input (default 5).
    **options
        Passed to :func:`grimmer` (``items``, ``rounding``, ...).

    Returns
    -------
    SequenceAudit

    Examples
    --------
    >>> grimmer_seq("5.23", "2.55", 35).steps
    {'mean': 3, 'sd': 1, 'n': 4}
    """
    return _sequence(
        lambda **f: grimmer(**f, **options), {"mean": mean, "sd": sd, "n": n}, dispersion
    )


@dataclass(frozen=True)
class TotalNAudit:
    """Two groups' means checked over the splits of their known total n.

    Attributes
    ----------
    scenarios : tuple of (int, int, str, bool)
        ``(n1, n2, direction, consistent)``: group 1 has ``n1``; ``"forth"`` gives the first
        mean ``n1`` and the second ``n2``, ``"back"`` the other way round; ``consistent`` is
        True when both means pass (a check that does not apply counts as passing).
    hits : int
        How many scenarios pass.
    hit_rate : float
        ``hits / len(scenarios)``.

    Examples
    --------
    >>> a = grim_total_n("3.43", "5.67", 36)
    >>> a.hits, len(a.scenarios), [s[:3] for s in a.scenarios if s[3]][:1]
    (2, 22, [(15, 21, 'back')])
    """

    scenarios: tuple[tuple[int, int, str, bool], ...]
    hits: int
    hit_rate: float


def _total_n(
    run: Callable[[tuple[str, ...], int], Any],
    first: tuple[str, ...],
    second: tuple[str, ...],
    total_n: int | str,
    dispersion: int,
) -> TotalNAudit:
    total = whole(total_n, "total_n", minimum=2)
    dispersion = whole(dispersion, "dispersion", minimum=0)
    half = total // 2
    scenarios = []
    for n1 in range(max(1, half - dispersion), min(total - 1, half + dispersion) + 1):
        n2 = total - n1
        for direction, (a, b) in (("forth", (n1, n2)), ("back", (n2, n1))):
            ok = all(run(x, k).consistent is not False for x, k in ((first, a), (second, b)))
            scenarios.append((n1, n2, direction, ok))
    hits = sum(s[3] for s in scenarios)
    return TotalNAudit(tuple(scenarios), hits, hits / len(scenarios))


def grim_total_n(
    mean1: str, mean2: str, total_n: int | str, *, dispersion: int = 5, **options: Any
) -> TotalNAudit:
    """GRIM for two groups whose sizes are unknown but add up to ``total_n``: every split
    within ``dispersion`` of half, each way round (scrutiny's ``grim_map_total_n()``).

    Parameters
    ----------
    mean1, mean2, total_n
        As printed (``n`` a whole number), as for :func:`grim`.
    dispersion : int
        How far group 1 may lie from half of ``total_n`` (default 5).
    **options
        Passed to :func:`grim` (``items``, ``rounding``, ...).

    Returns
    -------
    TotalNAudit

    Examples
    --------
    >>> grim_total_n("3.43", "5.67", 36).hit_rate
    0.09090909090909091
    """
    return _total_n(lambda x, k: grim(x[0], k, **options), (mean1,), (mean2,), total_n, dispersion)


def grimmer_total_n(
    mean1: str,
    sd1: str,
    mean2: str,
    sd2: str,
    total_n: int | str,
    *,
    dispersion: int = 5,
    **options: Any,
) -> TotalNAudit:
    """GRIMMER for two groups whose sizes add up to ``total_n`` (scrutiny's
    ``grimmer_map_total_n()``).

    Parameters
    ----------
    mean1, sd1, mean2, sd2, total_n
        As printed (``n`` a whole number), as for :func:`grimmer`.
    dispersion : int
        How far group 1 may lie from half of ``total_n`` (default 5).
    **options
        Passed to :func:`grimmer` (``items``, ``rounding``, ...).

    Returns
    -------
    TotalNAudit

    Examples
    --------
    >>> grimmer_total_n("3.43", "1.20", "5.67", "1.50", 36).hits >= 0
    True
    """
    return _total_n(
        lambda x, k: grimmer(x[0], x[1], k, **options),
        (mean1, sd1),
        (mean2, sd2),
        total_n,
        dispersion,
    )
