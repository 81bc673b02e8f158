"""Reading claims files: the top level, JSON decoding, hostile input, the bundled files."""

from __future__ import annotations

import ast
import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from claim_docs import (
    FORMAT,
    MATSUOKA,
    META,
    SOURCES,
    expect_error,
    make_claim,
    make_doc,
    with_quantity,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.verification import claims as claims_package
from cohort_reanalysis.verification.claims import (
    ROLES,
    ClaimsError,
    ClaimSet,
    check_variables,
    load_claims,
    parse_claims,
)


@pytest.mark.parametrize(
    ("doc", "field", "rule"),
    [
        ([], None, "expected a JSON object"),
        ("claims", None, "expected a JSON object"),
        (None, None, "expected a JSON object"),
        (make_doc(extra=1), "extra", "unknown field"),
        ({"dataset": "demo", "claims": []}, "format", "missing required field"),
        ({"format": FORMAT, "claims": []}, "dataset", "missing required field"),
        (make_doc(format="cohort-reanalysis/claims@3"), "format", "unsupported format"),
        (make_doc(dataset="Demo Set"), "dataset", "must match"),
        (make_doc(dataset=3), "dataset", "expected a string"),
        ({"format": FORMAT, "dataset": "demo"}, None, "needs 'claims' or 'summary_claims'"),
        (make_doc(claims={}), "claims", "expected a JSON array"),
        (make_doc(summary_claims="x"), "summary_claims", "expected a JSON array"),
        ({1: 2}, None, "keys must be strings"),
    ],
)
def test_top_level_errors(doc: object, field: str | None, rule: str) -> None:
    expect_error(doc, field=field, rule=rule)


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "claims.json"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  "format": "cohort-reanalysis/claims@1",\n  "dataset": "d",\n}\n')
    with pytest.raises(ClaimsError) as info:
        load_claims(path)
    err = info.value
    assert err.file == str(path)
    assert "malformed JSON at line 4 column 1" in err.rule
    assert str(path) in str(err) and "\n" not in str(err)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ('{"format": "a", "format": "b"}', "duplicate key 'format'"),
        ('{"format": NaN}', "NaN is not a JSON value"),
        ('{"format": -Infinity}', "-Infinity is not a JSON value"),
        ("[" * 100_000 + "]" * 100_000, "malformed JSON"),
        ("", "malformed JSON at line 1 column 1"),
        ('{"format": ' + "9" * 5000 + "}", "malformed JSON"),
    ],
)
def test_non_standard_json_is_rejected(tmp_path: Path, text: str, rule: str) -> None:
    with pytest.raises(ClaimsError, match=re.escape(rule)):
        load_claims(write(tmp_path, text))


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ClaimsError, match="not UTF-8"):
        load_claims(write(tmp_path, b'{"format": "\xff"}'))
    with pytest.raises(ClaimsError, match="cannot read file") as info:
        load_claims(tmp_path / "absent.json")
    assert info.value.file == str(tmp_path / "absent.json")


def test_python_code_in_a_claims_file_is_malformed_not_run(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    code = f"__import__('os').system('touch {target}')"
    path = write(tmp_path, f'{{"format": "{FORMAT}", "dataset": "d", "claims": [{code}]}}')
    with pytest.raises(ClaimsError, match="malformed JSON at line 1 column"):
        load_claims(path)
    assert not target.exists()


def test_python_code_in_string_fields_stays_inert(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    code = f"__import__('os').system('touch {target}')"
    # As a reported value it is not a printed number.
    doc = make_doc(make_claim(reported=code))
    with pytest.raises(ClaimsError, match="not a printed number"):
        load_claims(write(tmp_path, json.dumps(doc)))
    assert not target.exists()
    # As a variable or a condition's text value it is kept as an inert string ...
    doc = with_quantity(
        statistic="mean",
        variable=code,
        subset=[{"variable": "sex", "op": "==", "value": code}],
    )
    cs = load_claims(write(tmp_path, json.dumps(doc)))
    assert not target.exists()
    quantity = cs.claims[0].quantity
    assert quantity is not None and quantity.subset[0].value == code
    # ... that no cohort has as a column.
    with pytest.raises(ClaimsError, match="unknown variable"):
        check_variables(cs, ROLES)
    assert not target.exists()


def test_parser_modules_never_evaluate() -> None:
    modules = sorted(Path(claims_package.__file__).parent.glob("*.py"))
    assert len(modules) > 1
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        called = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert not called & {"eval", "exec", "compile", "__import__"}, module.name


def test_matsuoka_claims_cover_the_stated_numbers() -> None:
    cs = load_claims(MATSUOKA)
    by_id = {c.id: c for c in cs.claims}
    expected = {
        "abstract.n_enrolled": ("n", "61", "="),
        "abstract.mean_before": ("mean", "7.49", "="),
        "abstract.mean_after": ("mean", "6.7", "="),
        "abstract.pvalue_all": ("pvalue", "0.0001", "<"),
        "abstract.moderate_mean_reduction": ("mean_change", "0.58", "="),
        "abstract.moderate_pvalue": ("pvalue", "0.0000002", "<"),
        "abstract.severe_mean_reduction": ("mean_change", "1.55", "="),
        "abstract.severe_pvalue": ("pvalue", "0.0122", "="),
        "abstract.median_followup": ("median", "35", "="),
        "abstract.followup_range": ("range", "6-68", "="),
        "results.median_followup": ("median", "35.5", "="),
        "results.followup_iqr": ("quartiles", "15.25 45.75", "="),
        "results.corr_duration_reduction": ("correlation", "0.041", "="),
        "results.n_male": ("count", "42", "="),
        "results.n_female": ("count", "16", "="),
        "results.mean_age": ("mean", "63.3", "="),
        "results.age_range": ("range", "42 to 89", "="),
        "results.median_dose": ("median", "2", "="),
        "results.high_dose_mean_reduction": ("mean_change", "1.72", "="),
        "results.low_dose_mean_reduction": ("mean_change", "1.12", "="),
        "results.dose_trend_pvalue": ("pvalue", "0.05", ">"),
    }
    for claim_id, (statistic, reported, comparator) in expected.items():
        claim = by_id[claim_id]
        assert claim.quantity is not None, claim_id
        assert (claim.quantity.statistic, claim.reported, claim.comparator) == (
            statistic,
            reported,
            comparator,
        ), claim_id
    assert by_id["abstract.no_serious_adverse_events"].quantity is None
    # The stated methods: paired t for the before/after p-values, Pearson for the correlation.
    for claim_id in ("abstract.pvalue_all", "abstract.moderate_pvalue", "abstract.severe_pvalue"):
        quantity = by_id[claim_id].quantity
        assert quantity is not None and quantity.method.test == "paired_t"
    corr = by_id["results.corr_duration_reduction"].quantity
    assert corr is not None and corr.method.correlation == "pearson"
    assert corr.direction == "reduction" and (corr.x, corr.y) == ("followup", "change")
    # Doses: printed in billions, the table in millions.
    assert by_id["results.median_dose"].scale == 1000
    # Every variable is a role the dataset's metadata maps.
    meta = json.loads((MATSUOKA.parent / "metadata.json").read_text(encoding="utf-8"))
    roles = {c["role"] for c in meta["columns"]} | {"change"}
    check_variables(cs, roles)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_quotes_are_copied_from_the_sources() -> None:
    preprint = SOURCES / "004_28f57e7d270adcc8.txt"
    journal = SOURCES / "002_582b283b84ee7953.txt"
    meta = SOURCES / "000_44165ed488028c22.txt"
    if not (preprint.exists() and journal.exists() and meta.exists()):
        pytest.skip("shared/sources is not beside this clone")
    texts = {
        "preprint": _squash(preprint.read_text(encoding="utf-8")),
        "journal": _squash(journal.read_text(encoding="utf-8")),
    }
    # Whitespace is ignored: the source text breaks lines and pages inside sentences, and the
    # journal prints "≥ 6.2%" where the preprint prints "≥6.2%".
    for claim in load_claims(MATSUOKA).claims:
        for version in claim.versions:
            assert _squash(claim.quote) in texts[version], (claim.id, version)
    meta_text = _squash(meta.read_text(encoding="utf-8"))
    for item in load_claims(META).summary_claims:
        assert _squash(item.quote) in meta_text, item.id


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)

FIELD_NAMES = st.sampled_from(
    [
        "format",
        "dataset",
        "claims",
        "summary_claims",
        "id",
        "quote",
        "location",
        "versions",
        "reported",
        "comparator",
        "unit",
        "scale",
        "quantity",
        "note",
        "statistic",
        "variable",
        "subset",
        "direction",
        "method",
        "x",
        "y",
        "level",
        "prob",
        "groups",
        "op",
        "value",
        "test",
        "alternative",
        "correlation",
        "quantile_type",
        "sd_ddof",
        "stated",
        "kind",
        "estimate",
        "ci_low",
        "ci_high",
        "confidence_level",
        "n",
        "claimed_significant",
        "mean",
        "sd",
        "items",
        "statistic",
        "df",
        "p",
        "parts",
        "total",
        "count",
        "of",
    ]
)


def _parses_or_claims_error(obj: object) -> None:
    try:
        result = parse_claims(obj)
    except ClaimsError as err:
        assert "\n" not in str(err)
    else:
        assert isinstance(result, ClaimSet)
        # Whatever parses survives a round trip unchanged.
        assert parse_claims(json.loads(json.dumps(result.to_dict()))) == result


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_fuzz_random_json_values(obj: object) -> None:
    _parses_or_claims_error(obj)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


_VALID = json.loads(MATSUOKA.read_text(encoding="utf-8"))
_VALID["claims"] = _VALID["claims"][:12]
_VALID["summary_claims"] = json.loads(META.read_text(encoding="utf-8"))["summary_claims"][:3]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fuzz_mutated_valid_files(data: st.DataObject) -> None:
    doc = copy.deepcopy(_VALID)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = data.draw(st.sampled_from(paths))
        if not path:
            doc = data.draw(json_values)
            break
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(json_values)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(FIELD_NAMES)] = data.draw(json_values)
        else:
            parent.append(data.draw(json_values))
    _parses_or_claims_error(doc)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=200), st.binary(max_size=200)))
def test_fuzz_raw_file_contents(content: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        try:
            load_claims(path)
        except ClaimsError:
            pass
