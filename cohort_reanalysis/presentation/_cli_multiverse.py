"""``verify NAME --multiverse FILE.csv``: the multiverse of one dataset's claims as a tidy CSV,
and, in the HTML report, the specification curves of the claims whose value moves most.

The CSV is :func:`~cohort_reanalysis.multiverse`'s frame, one row per claim and
specification (written atomically): ``claim``; one column per choice (empty where a claim's
space has no such choice); ``value`` and ``value_2`` (the second number of a claim that
states two, such as a range or an interval; empty otherwise; both empty where there is no
value); ``reproduces`` (``True``/``False``: whether the value prints as reported under that
specification's rounding); ``departures`` (how many choices differ from the stated method)
and ``failure`` (why there is no value). Values are at full precision (``repr`` of the
float). The verify report itself (text, Markdown, HTML, JSON) is unchanged, but for the
figures of an HTML report: with ``--format html``, the specification curves of the
:data:`CURVES` claims with the largest relative range of values (``(high - low) / |stated
value|``) are embedded after the other figures.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping
from concurrent.futures import Executor
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "CURVES",
    "add_multiverse_option",
    "check_multiverse_option",
    "moving_claims",
    "multiverse_csv",
    "run_multiverse",
]

#: How many specification curves the HTML report shows.
CURVES = 3


def add_multiverse_option(verify: argparse.ArgumentParser) -> None:
    """``--multiverse FILE.csv`` of ``verify``."""
    verify.add_argument(
        "--multiverse",
        metavar="FILE.csv",
        help="write every claim's value under every specification of its declared space to "
        "FILE.csv (one row per claim and specification); with --format html, the report "
        f"shows the specification curves of the {CURVES} claims whose value moves most",
    )


def check_multiverse_option(args: argparse.Namespace) -> None:
    """Refuse a ``--multiverse`` file that cannot be written, before any work is done."""
    from .._atomic import check_output_file

    target = getattr(args, "multiverse", None)
    if target is None:
        return
    if Path(target).suffix.lower() != ".csv":
        raise ValueError(f"--multiverse {target}: the file must end in .csv")
    check_output_file(target, option="--multiverse")


def run_multiverse(
    args: argparse.Namespace, cohort: Any, claims: Any, executor: Executor | None
) -> dict[str, bytes | str]:
    """Compute the multiverse, write it to ``args.multiverse``; return the specification
    curves to embed in an HTML report (none for the other formats)."""
    from .._atomic import write_atomic
    from ..verification._multiverse import multiverse

    frame = multiverse(cohort, claims, executor=executor)
    path = Path(args.multiverse)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, multiverse_csv(frame))
    if args.format != "html":
        return {}
    return curve_figures(frame, moving_claims(frame))


def multiverse_csv(frame: pd.DataFrame) -> str:
    """The multiverse frame as CSV text: a two-number value in ``value`` and ``value_2``.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, multiverse
    >>> text = multiverse_csv(multiverse(load_dataset("student1908_sleep")))
    >>> text.splitlines()[0].startswith("claim,"), ",value,value_2,reproduces," in text
    (True, True)
    >>> first = text.splitlines()[1]  # the first claim (n) under the stated method
    >>> first.startswith("n_patients,all rows,"), first.endswith(",10.0,,True,0,")
    (True, True)

    """
    first, second = [], []
    for value in frame["value"]:
        pair = value if isinstance(value, tuple) else (value, math.nan)
        first.append(_exact(pair[0]))
        second.append(_exact(pair[1]))
    out = frame.copy()
    position = list(out.columns).index("value")
    out["value"] = first
    out.insert(position + 1, "value_2", second)
    text: str = out.to_csv(index=False, lineterminator="\n")
    return text


def _exact(value: Any) -> str:
    """A number as the shortest text that reads back as the same float; "" for none."""
    number = float(value)
    return "" if math.isnan(number) else repr(number)


def moving_claims(frame: pd.DataFrame, k: int = CURVES) -> list[str]:
    """The ``k`` claims whose value moves most over their space: by the range of values
    computed over the stated method's value (its largest absolute number where that is 0),
    largest first; claims whose value does not move are left out.

    Examples
    --------
    >>> from cohort_reanalysis import load_dataset, multiverse
    >>> moving_claims(multiverse(load_dataset("matsuoka2025")), k=2)  # doctest: +ELLIPSIS
    ['...', '...']
    """
    from ..verification._multiverse import summarize_multiverse

    summary = summarize_multiverse(frame)
    scored: list[tuple[float, int, str]] = []
    for order, (claim, row) in enumerate(summary.iterrows()):
        low, high = float(row["low"]), float(row["high"])
        if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
            continue
        part = frame[frame["claim"] == claim]
        stated = part[part["departures"] == 0]["value"]
        scale = _magnitude(stated.iloc[0]) if len(stated) else 0.0
        if not math.isfinite(scale) or scale == 0.0:
            scale = max(abs(low), abs(high))
        scored.append(((high - low) / scale, -order, str(claim)))
    scored.sort(reverse=True)
    return [claim for _, _, claim in scored[:k]]


def curve_figures(frame: pd.DataFrame, claims: list[str]) -> dict[str, bytes | str]:
    """PNG specification curves, keyed by the caption the HTML report gives them."""
    from .figures import plot_specification_curve
    from .figures._files import encode_figures

    figures = {
        f"specification curve of {claim}": plot_specification_curve(frame, claim)
        for claim in claims
    }
    return encode_figures(figures)


def _magnitude(value: Any) -> float:
    numbers = value if isinstance(value, tuple) else (value,)
    found = [abs(float(x)) for x in numbers if math.isfinite(float(x))]
    return max(found) if found else math.nan


def merge_figures(
    figures: Mapping[str, bytes | str] | None, curves: Mapping[str, bytes | str]
) -> Mapping[str, bytes | str] | None:
    """The report's figures, then the curves (None if there are neither)."""
    if not curves:
        return figures
    return {**(figures or {}), **curves}
