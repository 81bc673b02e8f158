"""Renderers of an Audit (text, Markdown, HTML, JSON) and of the ``analyze`` summary.

Edge cases (rows left out, no reported n, markup in quotes, figures) are made by replacing
fields of a real Audit, so the renderers see the real classes.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohort_reanalysis.cohort import Cohort, Exclusion
from cohort_reanalysis.presentation._analyze import analyze_table, render_analysis_text
from cohort_reanalysis.presentation._audit_facts import (
    recomputed_text,
    specification_text,
)
from cohort_reanalysis.presentation._html_report import render_html
from cohort_reanalysis.presentation._json import render_json
from cohort_reanalysis.presentation._markdown import render_markdown
from cohort_reanalysis.presentation._text import render_text

NASTY = '<script>alert("x")</script> a | b *c* [d](e) `f`'


@pytest.fixture(scope="module")
def audit() -> Any:
    from cohort_reanalysis.cohort import load_dataset
    from cohort_reanalysis.verification._audit import verify

    return verify(load_dataset("matsuoka2025"))


@pytest.fixture(scope="module")
def edited(audit: Any) -> Any:
    """The audit with rows left out, no reported n and markup in a quote and a location."""
    first = dataclasses.replace(audit.results[0], quote=NASTY, location="Table | 2")
    return dataclasses.replace(
        audit,
        results=(first, *audit.results[1:]),
        n_reported=None,
        rows_excluded=(Exclusion(3, "hba1c_after missing"), Exclusion(7, "hba1c_before missing")),
    )


# ---------------------------------------------------------------------------- text


def test_text_opens_with_the_facts_and_the_counts(audit: Any) -> None:
    text = render_text(audit)
    lines = text.splitlines()
    assert lines[0] == f"Verification of matsuoka2025: {len(audit.results)} claims"
    head = "\n".join(lines[:10])
    assert "DOI: 10.20944/preprints202503.1601.v1" in head
    assert "Rows: 58 printed; the paper reports n = 61 (3 not printed)." in head
    assert "Left out of the before/after pairs: none" in head
    counts = audit.counts
    for verdict, label in [
        ("not_reproduced", "not reproduced"),
        ("reproduced", "reproduced"),
        ("not_checkable", "not checkable"),
    ]:
        if counts[verdict]:
            assert f"{counts[verdict]} {label}" in head


def test_text_fits_100_columns_and_names_every_claim(audit: Any) -> None:
    text = render_text(audit)
    assert max(len(line) for line in text.splitlines()) <= 100
    for r in audit.results:
        assert r.id in text
    narrow = render_text(audit, width=60)
    # Only unbreakable words (ids, long numbers) may overflow a narrow terminal.
    for line in narrow.splitlines():
        assert len(line) <= 60 or " " not in line.strip()


def test_text_sections_follow_the_verdict_order(audit: Any) -> None:
    text = render_text(audit)
    positions = [
        text.find(f"\n{h} (")
        for h, v in [
            ("NOT REPRODUCED", "not_reproduced"),
            ("REPRODUCED UNDER AN ALTERNATIVE", "reproduced_under_alternative"),
            ("NOT CHECKABLE", "not_checkable"),
            ("REPRODUCED", "reproduced"),
        ]
        if audit.counts[v]
    ]
    assert all(p > 0 for p in positions)
    assert positions == sorted(positions)


def test_text_states_rows_left_out_and_a_missing_reported_n(edited: Any) -> None:
    head = "\n".join(render_text(dataclasses.replace(edited, doi=None)).splitlines()[:8])
    assert "DOI: none given" in head
    assert "the paper states no n" in head
    assert "Left out of the before/after pairs (2): row 3: hba1c_after missing; row 7:" in head


# ---------------------------------------------------------------------------- markdown


def test_markdown_one_table_row_per_claim_with_its_verdict(audit: Any) -> None:
    md = render_markdown(audit)
    table = md.split("## Claims", 1)[1].split("## Details", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == len(audit.results)
    labels = {
        "reproduced": "reproduced |",
        "reproduced_under_alternative": "reproduced under an alternative |",
        "not_reproduced": "not reproduced |",
        "not_checkable": "not checkable |",
    }
    for r in audit.results:
        row = next(line for line in rows if f"`{r.id}`" in line)
        assert labels[r.verdict.value] in row
        assert md.count('<a id="claim-') == len(audit.results)
    assert "## Verdicts" in md.split("## Claims")[0]


def test_markdown_escapes_markup_and_keeps_tables_intact(edited: Any) -> None:
    md = render_markdown(edited)
    assert re.search(r"(?<!\\)<script", md) is None  # escaped "\<" is literal in CommonMark
    assert "Table \\| 2" in md
    table = md.split("## Claims", 1)[1].split("## Details", 1)[0]
    widths = {len(re.findall(r"(?<!\\)\|", line)) for line in table.splitlines() if line}
    assert len(widths) == 1  # every row has the same number of cells


# ---------------------------------------------------------------------------- html


def test_html_is_self_contained_and_escaped(edited: Any) -> None:
    page = render_html(edited)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "&lt;script&gt;" in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//(?!doi\.org/)""", page)
    assert "<link" not in page
    assert "Left out of the before/after pairs (2)" in page
    for r in edited.results:
        assert f'id="claim-{r.id.replace(".", "-").replace("_", "-")}"' in page


def test_html_balanced_tags(audit: Any) -> None:
    from html.parser import HTMLParser

    void = {"meta", "img", "br", "hr", "input", "link"}

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag not in void:
                self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
            self.stack.pop()

    checker = Checker()
    checker.feed(render_html(audit))
    assert checker.stack == []


def test_html_embeds_png_and_inlines_svg(audit: Any) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
    svg = '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    page = render_html(audit, figures={"paired_change": png, "dose_groups": svg})
    encoded = re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert encoded is not None and base64.b64decode(encoded.group(1)) == png
    assert "<?xml" not in page and "<!DOCTYPE svg>" not in page
    assert '<svg xmlns="http://www.w3.org/2000/svg"></svg>' in page
    assert "paired change" in page and "dose groups" in page  # names the registry lacks
    with pytest.raises(ValueError, match="neither PNG bytes nor SVG"):
        render_html(audit, figures={"bad": b"GIF89a"})


def test_html_puts_verdicts_before_figures_and_captions_what_they_show(audit: Any) -> None:
    from cohort_reanalysis.presentation.figures import FIGURE_NAMES
    from cohort_reanalysis.presentation.figures._registry import FIGURE_DESCRIPTIONS

    png = b"\x89PNG\r\n\x1a\n" + bytes(8)
    page = render_html(audit, figures={"audit": png, "dose_response": png})
    # A reviewer reads the verdicts first: the claims table comes before any figure.
    assert page.index("<h2>Claims</h2>") < page.index("<h2>Figures</h2>")
    assert page.index("</table>") < page.index("<figure>")
    assert page.index("<h2>Figures</h2>") < page.index("<h2>Details</h2>")
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert captions == [
        html.escape(FIGURE_DESCRIPTIONS["audit"]),
        html.escape(FIGURE_DESCRIPTIONS["dose_response"]),
    ]
    assert "under the stated method" in captions[0]
    # Every figure has a sentence of its own, not its file name.
    for name in FIGURE_NAMES:
        text = FIGURE_DESCRIPTIONS[name]
        assert text.endswith(".") and len(text.split()) >= 8, name
        assert text.rstrip(".").lower() != name.replace("_", " "), name


# ---------------------------------------------------------------------------- json


def test_json_is_the_audit_dict_without_nan(audit: Any) -> None:
    text = render_json(audit)
    assert "NaN" not in text and "Infinity" not in text
    obj = json.loads(text)
    assert obj == json.loads(json.dumps(audit.to_dict()))
    assert list(obj)[:5] == ["dataset", "doi", "n_rows", "claims", "counts"]


# ---------------------------------------------------------------------------- numbers shown


class _R:
    def __init__(self, reported: str, recomputed: Any, statistic: str | None = None) -> None:
        self.reported, self.recomputed, self.statistic = reported, recomputed, statistic


@pytest.mark.parametrize(
    ("reported", "value", "statistic", "shown"),
    [
        ("7.49", 7.4931034482758605, "mean", "7.493"),
        ("6.7", 6.7, "mean", "6.7"),
        ("0", 0.6251151027915717, "correlation", "0.625"),  # "> 0": 3 significant digits
        ("0.0001", 1.0632174912832678e-06, "pvalue", "1.06e-06"),
        ("0.0122", 0.019488644366100913, "pvalue", "0.01949"),
        ("61", 58.0, "n", "58"),
        ("15.25 45.75", (15.25, 45.75), "quartiles", "15.25 to 45.75"),
        ("7.49", None, "mean", "—"),
    ],
)
def test_recomputed_text(reported: str, value: Any, statistic: str, shown: str) -> None:
    assert recomputed_text(_R(reported, value, statistic)) == shown


def test_specification_text_turns_boundaries_into_conditions() -> None:
    spec = {"boundary: before <= 8": "<", "boundary: dose >= 1000": ">=", "rows": "all rows"}
    assert specification_text(spec) == "before < 8; dose >= 1000; rows = all rows"
    assert specification_text({}) == "—"


# ---------------------------------------------------------------------------- analyze


def _cohort(before: list[float], after: list[float]) -> Cohort:
    frame = pd.DataFrame({"b": before, "a": after})
    return Cohort.from_frame(frame, columns={"before": "b", "after": "a"}, measure=None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(-50, 50, allow_nan=False)),
            st.one_of(st.none(), st.floats(-50, 50, allow_nan=False)),
        ),
        min_size=3,
        max_size=25,
    )
)
def test_analyze_accounts_for_every_row(pairs: list[tuple[float | None, float | None]]) -> None:
    before = [np.nan if b is None else b for b, _ in pairs]
    after = [np.nan if a is None else a for _, a in pairs]
    complete = [i for i, (b, a) in enumerate(pairs) if b is not None and a is not None]
    if not complete:
        with pytest.raises(ValueError, match="no complete pairs"):
            analyze_table(_cohort(before, after))
        return
    out = analyze_table(_cohort(before, after))
    g = out["groups"]["all"]
    assert g["n"] + g["n_excluded"] == len(pairs)
    assert g["rows"] == [i + 1 for i in complete]
    assert [x["row"] for x in g["excluded"]] == [
        i + 1 for i in range(len(pairs)) if i not in complete
    ]
    change = np.array(after)[complete] - np.array(before)[complete]
    assert g["mean_change"] == pytest.approx(change.mean(), abs=1e-9)
    # JSON-ready: no NaN anywhere, and json refuses NaN.
    json.dumps(out, allow_nan=False)
    for value in _leaves(out):
        assert not (isinstance(value, float) and not math.isfinite(value))


def test_analyze_sign_flip_swaps_before_and_after() -> None:
    b, a = [7.1, 8.0, 9.4, 6.6, 7.7], [6.5, 7.9, 8.1, 6.9, 7.0]
    one = analyze_table(_cohort(b, a))["groups"]["all"]
    two = analyze_table(_cohort(a, b))["groups"]["all"]
    assert two["mean_change"] == pytest.approx(-one["mean_change"])
    assert two["statistic"] == pytest.approx(-one["statistic"])
    assert two["pvalue"] == pytest.approx(one["pvalue"])
    assert two["wilcoxon_pvalue"] == pytest.approx(one["wilcoxon_pvalue"])
    assert (two["ci_low"], two["ci_high"]) == pytest.approx((-one["ci_high"], -one["ci_low"]))


def test_analyze_group_level_named_all_is_refused() -> None:
    frame = pd.DataFrame({"b": [7.0, 8.0, 9.0], "a": [6.0, 7.5, 8.0], "g": ["all", "x", "x"]})
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a", "group": "g"})
    with pytest.raises(ValueError, match="'all'"):
        analyze_table(cohort, group="group")


def test_analyze_text_has_a_row_per_group_within_100_columns() -> None:
    frame = pd.DataFrame(
        {"b": [7.0, 8.0, 9.0, 7.5, np.nan], "a": [6.0, 7.5, 8.0, 7.4, 6.0], "g": list("xxyyx")}
    )
    cohort = Cohort.from_frame(frame, columns={"before": "b", "after": "a", "group": "g"})
    text = render_analysis_text(analyze_table(cohort, group="group"))
    lines = text.splitlines()
    assert "row 5: b missing" in "\n".join(lines[:3])
    assert any(line.startswith("all ") for line in lines)
    assert any(line.startswith("x ") for line in lines)
    assert any(line.startswith("y ") for line in lines)
    assert max(len(line) for line in lines) <= 100


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]
