"""Reading a claims file: JSON decoded strictly, then validated field by field.

A claims file is JSON (``docs/claims-format.md``). It is decoded with :func:`json.loads`
only and validated into the frozen values of ``_model``; nothing in it is ever evaluated.
The problems of a file raise one :class:`ClaimsError` listing every one of them, each
naming the claim, the field, the offending value and the rule broken. This module walks
the top level; each claim kind has its own parser (``_table_claims``, ``_summary_claims``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ._errors import MISSING, ClaimsError
from ._fields import ID, FieldReader
from ._model import Claim, ClaimSet, SummaryClaim
from ._summary_claims import parse_summary
from ._table_claims import parse_claim
from ._vocabulary import FORMAT, FORMATS

__all__ = ["load_claims", "parse_claims"]


class _DuplicateKeyError(Exception):
    pass


class _ConstantError(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise _ConstantError(name)


def _decode(text: str, file: str | None) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise ClaimsError(
            f"malformed JSON at line {err.lineno} column {err.colno}: {err.msg}", file=file
        ) from None
    except _DuplicateKeyError as err:
        raise ClaimsError(
            f"malformed JSON: duplicate key {err.args[0]!r} in one object", file=file
        ) from None
    except _ConstantError as err:
        raise ClaimsError(
            f"malformed JSON: {err.args[0]} is not a JSON value (numbers must be finite)",
            file=file,
        ) from None
    except RecursionError:
        raise ClaimsError("malformed JSON: nested too deeply", file=file) from None
    except ValueError as err:  # e.g. an integer beyond Python's digit limit
        raise ClaimsError(f"malformed JSON: {err}", file=file) from None


def load_claims(path: str | Path) -> ClaimSet:
    """Read and validate a claims file.

    Parameters
    ----------
    path : str or Path
        A JSON claims file (UTF-8).

    Returns
    -------
    ClaimSet

    Raises
    ------
    ClaimsError
        If the file cannot be read, is not valid JSON (line and column named) or breaks
        any rule of the format.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "claims.json"
    >>> _ = p.write_text('{"format": "cohort-reanalysis/claims@1", "dataset": "d", '
    ...                  '"claims": []}')
    >>> load_claims(p).dataset
    'd'
    """
    source = Path(path)
    try:
        raw = source.read_bytes()
    except OSError as err:
        raise ClaimsError(f"cannot read file: {err.strerror or err}", file=source) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ClaimsError(f"malformed JSON: not UTF-8 (byte {err.start})", file=source) from None
    return parse_claims(_decode(text, str(source)), source=source)


def parse_claims(obj: object, *, source: str | Path | None = None) -> ClaimSet:
    """Validate a decoded claims object (as from ``json.loads``) into a :class:`ClaimSet`.

    Parameters
    ----------
    obj : object
        The decoded JSON document.
    source : str or Path, optional
        Where it came from; named in errors and kept on the result.

    Raises
    ------
    ClaimsError
        Listing every rule broken (unknown or missing field, a field the claim's statistic
        or test does not use, unknown statistic, op, comparator, test or direction,
        duplicate or malformed id, a statistic without the fields it needs, a reported
        value outside the printed-number grammar, ...), in file order.

    Examples
    --------
    >>> cs = parse_claims({"format": "cohort-reanalysis/claims@1", "dataset": "d",
    ...     "claims": [{"id": "age.mean", "quote": "a mean age of 63.3 years",
    ...                 "location": "preprint, 3. Results", "versions": ["preprint"],
    ...                 "reported": "63.3", "comparator": "=", "unit": "years",
    ...                 "quantity": {"statistic": "mean", "variable": "age"}}]})
    >>> cs.claims[0].quantity.statistic
    'mean'
    """
    src = None if source is None else Path(source)
    ctx = FieldReader(None if src is None else str(src))
    top = ctx.mapping(obj, None)
    ctx.keys(
        top,
        required=("format", "dataset"),
        optional=("claims", "summary_claims"),
        prefix=None,
    )
    fmt = top.get("format", FORMAT)
    if "format" in top and (not isinstance(fmt, str) or fmt not in FORMATS):
        expected = " or ".join(repr(f) for f in sorted(FORMATS))
        ctx.note("format", fmt, f"unsupported format; expected {expected}")
        fmt = FORMAT
    dataset = ""
    with ctx.guard():
        if "dataset" in top:
            dataset = ctx.text(top["dataset"], "dataset")
            if not ID.fullmatch(dataset):
                ctx.fail("dataset", dataset, "dataset name must match [a-z0-9_.-]+")
    if "claims" not in top and "summary_claims" not in top:
        ctx.note(None, MISSING, "a claims file needs 'claims' or 'summary_claims'")

    seen: set[str] = set()
    claims: list[Claim | None] = []
    summaries: list[SummaryClaim | None] = []
    with ctx.guard():
        for i, item in enumerate(ctx.array(top.get("claims", []), "claims")):
            with ctx.guard():
                claims.append(parse_claim(item, i, ctx, seen, fmt))
    with ctx.guard():
        for i, item in enumerate(ctx.array(top.get("summary_claims", []), "summary_claims")):
            with ctx.guard():
                summaries.append(parse_summary(item, i, ctx, seen))
    ctx.claim_id = None
    ctx.raise_problems()
    return ClaimSet(
        dataset=dataset,
        claims=tuple(c for c in claims if c is not None),
        summary_claims=tuple(s for s in summaries if s is not None),
        source=src,
        format=fmt,
    )
