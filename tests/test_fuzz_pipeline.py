"""Fuzzing the whole pipeline (issue 18, items 6 and 8): tables in every format, claims files
and metadata, through load -> every analysis -> verify -> every renderer.

Asserted for every input: a public function raises only the exception types its docstring's
``Raises`` section names (a subclass counts as its base); every row of a loaded table is
either used by an analysis or listed as left out, and each "<column> missing" reason is true
of the cell; JSON output parses; HTML output holds no unescaped text from a file. Small
``max_examples`` keep the module to a few seconds; the format round trips (Excel is slow to
write) are marked ``slow``.
"""

from __future__ import annotations

import builtins
import inspect
import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import cohort_reanalysis as cr
from cohort_reanalysis.presentation._html_report import render_html
from cohort_reanalysis.presentation._json import render_json
from cohort_reanalysis.presentation._markdown import render_markdown
from cohort_reanalysis.presentation._summary_report import render_summary
from cohort_reanalysis.presentation._text import render_text
from cohort_reanalysis.verification.claims import FORMAT, STATISTICS, parse_claims

FAST = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
#: Text that would be markup if it reached HTML unescaped.
INJECTED = '<i18 x="1">&amp;\x1b[31m'

# ----------------------------------------------------------------------------- documented


def documented(func: Callable[..., Any]) -> tuple[type[BaseException], ...]:
    """The exception types a numpydoc ``Raises`` section names."""
    doc = inspect.getdoc(func) or ""
    found = re.search(r"^Raises\n-+\n(.*?)(?=^\S[^\n]*\n-+\n|\Z)", doc, re.M | re.S)
    if found is None:
        return ()
    names = re.findall(r"^([A-Za-z_][\w.]*)(?:,\s*([A-Za-z_][\w.]*))*\s*$", found.group(1), re.M)
    module = inspect.getmodule(func)
    out: list[type[BaseException]] = []
    for group in names:
        for name in filter(None, group):
            kind = getattr(builtins, name, None) or getattr(cr, name, None)
            kind = kind or getattr(module, name.split(".")[-1], None)
            assert isinstance(kind, type), f"{func.__qualname__}: Raises names {name!r}"
            out.append(kind)
    return tuple(out)


def call(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)``, or None if it raised one of its documented exceptions;
    any other exception fails the test, naming the function."""
    allowed = documented(func)
    try:
        return func(*args, **kwargs)
    except Exception as err:
        if allowed and isinstance(err, allowed):
            return None
        raise AssertionError(
            f"{func.__qualname__} raised {type(err).__name__} (documented: "
            f"{', '.join(a.__name__ for a in allowed) or 'none'}): {err}"
        ) from err


# ----------------------------------------------------------------------------- tables

EDGE = [0.0, -0.0, 1.0, 7.5, 7.500000000000001, 8.0, 1e-300, 5e-324, 1e15, -3.0, 1000.0]
numbers = st.one_of(
    st.sampled_from(EDGE),
    st.floats(-50, 50, allow_nan=False, width=32).map(float),
    st.integers(-5, 2500).map(float),
)
cells = st.one_of(numbers, st.none())


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    column = st.lists(cells, min_size=n, max_size=n)
    before = draw(column)
    after = draw(st.one_of(column, st.just([None if b is None else b + 0.5 for b in before])))
    return pd.DataFrame(
        {
            "b": before,
            "a": after,
            "dose": draw(column),
            "months": draw(column),
            "sex": draw(st.lists(st.sampled_from(["F", "M", None]), min_size=n, max_size=n)),
            "age": draw(column),
        }
    )


ROLES = {"before": "b", "after": "a", "dose": "dose", "followup": "months", "sex": "sex"}
ANALYSES: list[tuple[Callable[..., Any], dict[str, Any]]] = [
    (cr.paired_change, {}),
    (cr.table_one, {}),
    (cr.severity_subgroups, {}),
    (cr.dose_response, {}),
    (cr.followup_effect, {}),
    (cr.regression_to_mean, {}),
    (cr.regression_to_mean, {"reliability": 0.8, "cutoff": 8.0}),
]


def cohort_of(frame: pd.DataFrame, roles: dict[str, str] = ROLES) -> cr.Cohort | None:
    cohort: cr.Cohort | None = call(cr.Cohort.from_frame, frame, columns=roles, name="fuzz")
    return cohort


def check_rows_accounted_for(cohort: cr.Cohort, result: Any) -> None:
    rows = {int(r) for r in cohort.rows}
    used = {int(r) for r in result.rows}
    left = {int(e.row): e.reason for e in result.excluded}
    assert not used & set(left), f"rows both used and left out: {used & set(left)}"
    assert used | set(left) == rows, f"rows neither used nor left out: {rows - used - set(left)}"
    where = {int(r): i for i, r in enumerate(cohort.rows)}
    for row, reason in left.items():
        for part in reason.split(", "):
            name = part.removesuffix(" missing")
            if name != part and cohort.column(name) is not None:
                value = cohort.values(name)[where[row]]
                assert value is None or (isinstance(value, float) and math.isnan(value)), (
                    f"row {row}: {reason!r} but {name} is {value!r}"
                )


@settings(FAST, max_examples=15)
@given(frames())
@example(
    pd.DataFrame(
        {
            "b": [7.0, 8.0, 9.0],
            "a": [7.5, 8.5, 9.5],
            "dose": [1.0, 2, 3],
            "months": [1.0, 2, 3],
            "sex": ["F", "M", "F"],
            "age": [1.0, 2, 3],
        }
    )
)
def test_every_analysis_raises_only_documented_errors_and_accounts_for_every_row(
    frame: pd.DataFrame,
) -> None:
    cohort = cohort_of(frame)
    if cohort is None:
        return
    for func, options in ANALYSES:
        result = call(func, cohort, **options)
        if result is None:
            continue
        check_rows_accounted_for(cohort, result)
        assert isinstance(result.to_frame(), pd.DataFrame)
        assert isinstance(result.explain(), str) and isinstance(result._repr_html_(), str)


@FAST
@given(frames(), st.sets(st.sampled_from(sorted(ROLES)), max_size=5))
def test_analyses_of_a_cohort_without_some_roles_raise_documented_errors(
    frame: pd.DataFrame, dropped: set[str]
) -> None:
    roles = {role: col for role, col in ROLES.items() if role not in dropped}
    cohort = cohort_of(frame, roles) if {"before", "after"} <= set(roles) else None
    if cohort is None:
        return
    for func, options in ANALYSES:
        call(func, cohort, **options)


# ----------------------------------------------------------------------------- claims

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.just(INJECTED)
PRINTED = st.sampled_from(
    [
        "7.49",
        "0",
        "1",
        "1e2",
        "1e-1",
        "0.05",
        "-0.57",
        "58",
        "6.3 to 12.4",
        "12%",
        "1e999",
        "1e1000",
        "1.1 × 10^-6",
        ".5",
        "2",
        "-1",
        "0.0000002",
    ]
)
VARIABLES = st.sampled_from(["before", "after", "change", "dose", "followup", "age", "b", "zz"])


@st.composite
def quantities(draw: st.DrawFn) -> dict[str, Any]:
    q: dict[str, Any] = {"statistic": draw(st.sampled_from(sorted(STATISTICS)))}
    for key, values in (
        ("variable", VARIABLES),
        ("x", VARIABLES),
        ("y", VARIABLES),
        ("prob", st.sampled_from([0.25, 0.5, 2])),
        ("direction", st.sampled_from(["change", "reduction"])),
        ("subset", st.just([{"variable": "before", "op": "<=", "value": 8}])),
        ("method", st.sampled_from([{}, {"test": "wilcoxon"}, {"sd_ddof": 0}])),
    ):
        if draw(st.booleans()):
            q[key] = draw(values)
    return q


@st.composite
def claims_docs(draw: st.DrawFn) -> dict[str, Any]:
    claims = []
    for i in range(draw(st.integers(0, 5))):
        claims.append(
            {
                "id": f"c{i}",
                "quote": draw(TEXT),
                "location": draw(TEXT),
                "versions": ["preprint"],
                "reported": draw(PRINTED),
                "comparator": draw(st.sampled_from(["=", "<", ">="])),
                "unit": draw(st.none() | TEXT),
                "quantity": draw(st.none() | quantities()),
            }
        )
    summary = []
    for i in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["mean_sd", "counts", "estimate_ci", "test_statistic"]))
        fields: dict[str, Any] = {
            "mean_sd": {"mean": draw(PRINTED), "sd": draw(PRINTED), "n": draw(st.integers(1, 60))},
            "counts": {"parts": [draw(PRINTED), draw(PRINTED)], "total": draw(PRINTED)},
            "estimate_ci": {
                "estimate": draw(PRINTED),
                "ci_low": draw(PRINTED),
                "ci_high": draw(PRINTED),
                "scale": "difference",
            },
            "test_statistic": {
                "test": "t",
                "statistic": draw(PRINTED),
                "df": "10",
                "p": draw(PRINTED),
            },
        }[kind]
        summary.append(
            {"id": f"s{i}", "quote": draw(TEXT), "location": "l", "kind": kind, **fields}
        )
    return {"format": FORMAT, "dataset": "fuzz", "claims": claims, "summary_claims": summary}


def _check_renderings(audit: Any) -> None:
    for text in (render_text(audit), render_markdown(audit)):
        assert isinstance(text, str)
    parsed = json.loads(render_json(audit))
    assert isinstance(parsed, dict)
    html = render_html(audit)
    assert "<i18" not in html, "unescaped input in the HTML report"


@FAST
@given(frames(), claims_docs())
def test_claims_through_verify_and_every_renderer(frame: pd.DataFrame, doc: dict[str, Any]) -> None:
    claim_set = call(parse_claims, doc, source="fuzz.json")
    if claim_set is None:
        return
    summary = call(cr.verify_summary, claim_set)
    if summary is not None:
        for fmt in ("text", "markdown", "html", "json"):
            out = render_summary(summary, format=fmt)
            if fmt == "json":
                json.loads(out)
            if fmt == "html":
                assert "<i18" not in out
    cohort = cohort_of(frame)
    if cohort is None:
        return
    audit = call(cr.verify, cohort, claim_set)
    if audit is None:
        return
    assert len(audit.results) == len(claim_set.claims)
    _check_renderings(audit)


def test_an_audit_with_injected_provenance_and_quotes_renders_escaped() -> None:
    frame = pd.DataFrame({"b": [7.0, 8.0, 9.0], "a": [6.5, 8.0, 8.0]})
    prov = cr.Provenance(citation=INJECTED, title=INJECTED, doi=INJECTED, url=INJECTED)
    cohort = cr.Cohort.from_frame(frame, columns={"before": "b", "after": "a"}, provenance=prov)
    claim = {
        "id": "c",
        "quote": INJECTED,
        "location": INJECTED,
        "versions": ["p"],
        "reported": "7.49",
        "comparator": "=",
        "unit": INJECTED,
        "quantity": {"statistic": "mean", "variable": "before"},
        "note": INJECTED,
    }
    doc = {"format": FORMAT, "dataset": "x", "claims": [claim]}
    _check_renderings(cr.verify(cohort, parse_claims(doc)))


# ----------------------------------------------------------------------------- files


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_a_random_claims_file_raises_only_claims_errors(data: bytes) -> None:
    with _tmp() as folder:
        path = folder / "claims.json"
        path.write_bytes(data)
        call(cr.load_claims, path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "name",
                "data_file",
                "claims_file",
                "columns",
                "doi",
                "sha256",
                "reported_n",
                "damaged_rows",
                "x",
            ]
        ),
        st.none() | st.integers(-3, 70) | TEXT | st.just(["b"]) | st.just({"before": "b"}),
        max_size=6,
    )
)
def test_random_metadata_raises_only_documented_errors(meta: dict[str, Any]) -> None:
    with _tmp() as folder:
        (folder / "patients.csv").write_text("b,a\n7.5,6.4\n8,7\n", encoding="utf-8")
        (folder / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
        call(cr.load_dataset, folder)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frames(), st.sampled_from([".csv", ".xlsx", ".parquet"]))
def test_every_format_reads_through_the_one_path(frame: pd.DataFrame, suffix: str) -> None:
    with _tmp() as folder:
        path = folder / f"t{suffix}"
        if suffix == ".csv":
            frame.to_csv(path, index=False)
        elif suffix == ".xlsx":
            frame.to_excel(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        cohort = call(cr.Cohort.read, path, columns=ROLES)
        if cohort is not None:
            for func, options in ANALYSES:
                result = call(func, cohort, **options)
                if result is not None:
                    check_rows_accounted_for(cohort, result)


class _tmp:
    def __enter__(self) -> Path:
        import tempfile

        self._dir = tempfile.TemporaryDirectory()
        return Path(self._dir.name)

    def __exit__(self, *exc: object) -> None:
        self._dir.cleanup()
