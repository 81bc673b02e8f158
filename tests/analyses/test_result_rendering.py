"""What students and reviewers read: every public result on the bundled dataset renders as
text and HTML, escapes what it prints, fits a terminal, names each tidy row once, and prints
numbers as people write them."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis._format import count_noun, format_plain
from cohort_reanalysis.analyses._dose import dose_response
from cohort_reanalysis.analyses._followup import followup_effect
from cohort_reanalysis.analyses._paired import paired_change
from cohort_reanalysis.analyses._result import AnalysisResult
from cohort_reanalysis.analyses._rtm import regression_to_mean
from cohort_reanalysis.analyses._subgroups import severity_subgroups
from cohort_reanalysis.analyses._table_one import table_one
from cohort_reanalysis.cohort import Cohort, load_dataset

# Every public analysis with the options that change what it prints (three strata make three
# between-strata tests; two bands make Welch's t; bounds make a TOST).
ANALYSES: dict[str, Callable[[Cohort], Any]] = {
    "paired_change": paired_change,
    "table_one": table_one,
    "severity_subgroups": severity_subgroups,
    "severity_subgroups, 3 strata": lambda c: severity_subgroups(c, cutoffs=[7, 8.5]),
    "dose_response": dose_response,
    "dose_response, 3 groups": lambda c: dose_response(
        c, thresholds=[500, 1000], direction="reduction"
    ),
    "followup_effect": followup_effect,
    "followup_effect, 2 bands": lambda c: followup_effect(
        c, bands=24, quantile_type=6, equivalence_bounds=(-0.01, 0.01)
    ),
    "regression_to_mean": regression_to_mean,
    "regression_to_mean, selected": lambda c: regression_to_mean(c, reliability=0.9, cutoff=6.3),
}
NEGATIVE_ZERO = re.compile(r"(?<![\w.])[-−]0(?![.\d])")


@pytest.fixture(scope="module")
def msc() -> Cohort:
    return load_dataset("matsuoka2025")


@pytest.fixture(scope="module")
def results(msc: Cohort) -> dict[str, Any]:
    return {name: run(msc) for name, run in ANALYSES.items()}


def _hostile_cohort() -> Cohort:
    """Markup in every name a result prints: the measure, its unit and the columns' units."""
    rng = np.random.default_rng(7)
    n = 16
    frame = pd.DataFrame(
        {
            "b": rng.normal(9.0, 1.5, n).round(1),
            "a": rng.normal(8.0, 1.5, n).round(1),
            "d": rng.choice([100.0, 500.0, 1000.0, 2000.0], n),
            "f": rng.integers(3, 60, n).astype(float),
        }
    )
    return Cohort.from_frame(
        frame,
        columns={
            "before": "b",
            "after": "a",
            "dose": {"name": "d", "unit": "<u>cells</u>"},
            "followup": {"name": "f", "unit": "<i>months</i>"},
        },
        measure="<script>x</script>",
        unit="a&b",
    )


def _all_text(result: Any) -> str:
    parts = [str(result), result._repr_html_(), result.explain()]
    frame = result.to_frame()
    for column in ("quantity", "method", "note", "characteristic", "value"):
        if column in frame:
            parts += [str(v) for v in frame[column]]
    return "\n".join(parts)


@pytest.mark.parametrize("name", list(ANALYSES))
def test_html_renders_and_str_fits_100_columns(results: dict[str, Any], name: str) -> None:
    result = results[name]
    page = result._repr_html_()
    assert page.startswith("<div>") and page.endswith("</div>") and "<table" in page
    lines = str(result).splitlines()
    # The title is never wrapped (it carries the stratum rule); everything else fits.
    too_wide = [line for line in lines[1:] if len(line) > 100]
    assert not too_wide, too_wide


@pytest.mark.parametrize("name", list(ANALYSES))
def test_quantity_names_are_unique(results: dict[str, Any], name: str) -> None:
    result = results[name]
    quantities = [e.quantity for e in result._estimates()]
    duplicated = sorted({q for q in quantities if quantities.count(q) > 1})
    assert not duplicated, duplicated
    frame = result.to_frame()
    key = "quantity" if "quantity" in frame else "characteristic"
    assert frame[key].is_unique


@pytest.mark.parametrize("name", list(ANALYSES))
def test_no_negative_zero_no_float_cutoffs_no_plural_brackets(
    results: dict[str, Any], name: str
) -> None:
    text = _all_text(results[name])
    assert not NEGATIVE_ZERO.findall(text)
    assert "(s)" not in text
    for written in ("8.0 %", "1000.0 million", "12.0 months", "500.0 ", "24.0 months", "7.0 %"):
        assert written not in text


@pytest.mark.parametrize("name", list(ANALYSES))
def test_everything_printed_is_escaped(name: str) -> None:
    result = ANALYSES[name](_hostile_cohort())
    page = result._repr_html_()
    for tag in ("<script>", "<u>", "<i>"):
        assert tag not in page
    assert "&lt;" in page


def test_between_strata_tests_are_named_by_their_test(results: dict[str, Any]) -> None:
    frame = results["followup_effect"].to_frame()
    assert [q for q in frame["quantity"] if "differs" in q] == [
        "change differs between bands (Kruskal–Wallis)",
        "change differs between bands (one-way ANOVA)",
        "change differs between bands (Welch ANOVA)",
    ]
    three = results["severity_subgroups, 3 strata"].to_frame()["quantity"]
    assert "change differs between strata (Kruskal–Wallis)" in set(three)
    dose = results["dose_response, 3 groups"].to_frame()["quantity"]
    assert "reduction differs between dose groups (one-way ANOVA)" in set(dose)
    two = results["followup_effect, 2 bands"].to_frame()["quantity"]
    assert "difference in mean change between bands" in set(two)


def test_kendall_tau_of_dose_is_zero_with_p_one_everywhere(results: dict[str, Any]) -> None:
    # R: cor.test(dose, change, method = "kendall") gives tau = 0, p = 1 (msc_cor_dose_kendall).
    for name in ("dose_response", "dose_response, 3 groups"):
        result = results[name]
        kendall = result.correlations["kendall"]
        assert kendall.estimate == 0.0 and kendall.pvalue == 1.0
        row = next(r for r in result._rendered_rows() if r[0].startswith("Kendall"))
        assert row[1] == "0" and row[3] == "0" and row[5] == "1.000"
        assert "p = 1.000" in str(result) and ">1.000</td>" in result._repr_html_()


def test_shared_formatters() -> None:
    assert [count_noun(k, "value") for k in (0, 1, 6)] == ["0 values", "1 value", "6 values"]
    assert count_noun(3, "stratum", "strata") == "3 strata"
    assert [format_plain(x) for x in (35.5, 15.25, 45.75, 6.0, -0.0, 1e-5)] == [
        "35.5",
        "15.25",
        "45.75",
        "6",
        "0",
        "0.00001",
    ]


def test_results_are_analysis_results(results: dict[str, Any]) -> None:
    assert all(isinstance(r, AnalysisResult) for r in results.values())


@pytest.mark.parametrize("name", [n for n in ANALYSES if n != "table_one"])
def test_every_result_says_where_its_data_come_from(results: dict[str, Any], name: str) -> None:
    result = results[name]
    # The DOI comes from the bundled metadata (the preprint's), not from this code.
    assert "doi:10.20944/preprints202503.1601.v1" in " ".join(str(result).split())
    assert "preprints202503.1601.v1" in result._repr_html_()


def test_strata_and_tables_in_memory_keep_or_state_their_source(msc: Cohort) -> None:
    import pandas as pd

    from cohort_reanalysis import paired_change

    pairs = msc.pair()
    assert pairs.select(pairs.before > 8).source == pairs.source
    frame = pd.DataFrame({"b": [1.0, 2.0, 3.0], "a": [1.5, 2.5, 2.0]})
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a"})
    assert str(paired_change(cohort)).endswith("Data: a table given in memory.")


def _flat(text: str) -> str:
    from html import unescape

    return " ".join(unescape(text).split()).lower()


def test_readme_example_warns_where_it_is_read(msc: Cohort) -> None:
    # The README's own call: "selected above 8" applied to 58 patients, 46 of them not above 8.
    res = regression_to_mean(msc, reliability=0.8, cutoff=8.0)
    assert int(np.sum(msc.pair().before <= 8.0)) == 46
    warning = "46 baseline values are not above the cutoff 8; the selection model assumes all are"
    assert warning in res.warnings
    for shown in (str(res), res._repr_html_(), res.explain()):
        assert warning.lower() in _flat(shown)


def test_reasons_for_missing_values_are_printed_beside_the_dash(msc: Cohort) -> None:
    res = regression_to_mean(msc)
    assert res.expected_change is None and res.corrected_slope is None
    for shown in (str(res), res._repr_html_()):
        flat = _flat(shown)
        assert "not computed: expected change from rtm alone: needs a selection cutoff" in flat
        assert "not computed: blomqvist corrected slope: needs a test–retest reliability" in flat
    assert "needs a selection cutoff and a test–retest reliability" in _flat(res.explain())
    assert "needs a test–retest reliability." in _flat(res.explain())
    one = paired_change(msc.pair().select(np.arange(58) < 1))
    assert one.statistic is None
    for shown in (str(one), one._repr_html_(), one.explain()):
        assert "a single pair has no spread" in _flat(shown)
    assert "1 row used" in str(one)


@pytest.mark.parametrize("name", list(ANALYSES))
def test_every_caveat_is_in_str_html_and_explain(results: dict[str, Any], name: str) -> None:
    result = results[name]
    missing = [e for e in result._estimates() if e.estimate is None and e.statistic is None]
    assert len(result.not_computed) >= len([e for e in missing if e.pvalue is None])
    for caveat in result.caveats():
        # explain() words the caveat in its own sentences or appends it; either way it is said.
        body = caveat.split(": ", 2)[-1].rstrip(".").lower()
        for where, shown in (("str", str(result)), ("html", result._repr_html_())):
            assert caveat.rstrip(".").lower() in _flat(shown), (where, caveat)
        assert body in _flat(result.explain()), caveat
