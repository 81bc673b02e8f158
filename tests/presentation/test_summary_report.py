"""The summary report (a dataset without a table) escapes what comes from the claims file
exactly as the audit report does: one escaping for every Markdown the package writes."""

from __future__ import annotations

import json
from pathlib import Path

from cohort_reanalysis import load_claims, verify_summary
from cohort_reanalysis.cohort import dataset_info
from cohort_reanalysis.presentation._markdown import _inline
from cohort_reanalysis.presentation._summary_report import render_summary


def test_markdown_of_the_summary_report_escapes_every_markup_character(tmp_path: Path) -> None:
    source = dataset_info("meta_t1dm_2025").claims_file
    assert source is not None
    doc = json.loads(source.read_text(encoding="utf-8"))
    quote = "_emphasis_ # heading ~~struck~~ ![img](x) &amp; <b>bold</b>"
    doc["summary_claims"][0]["quote"] = quote
    path = tmp_path / "claims.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    page = render_summary(verify_summary(load_claims(path)), format="markdown")
    assert _inline(quote) in page
    assert quote not in page  # the old escaping left _ # ~ ! & as they were
