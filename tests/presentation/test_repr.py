"""How audits read in a terminal and a notebook (``str`` and ``_repr_html_`` of Audit,
ClaimResult and SummaryAudit, rendered by ``presentation/_repr.py``)."""

from __future__ import annotations

import dataclasses

import pytest

from cohort_reanalysis.cohort import dataset_info, load_dataset
from cohort_reanalysis.presentation._verdict_style import (
    STATUS_VERDICTS,
    VERDICT_BACKGROUNDS,
    VERDICT_LABELS,
    VERDICT_MARKERS,
    VERDICT_ORDER,
)
from cohort_reanalysis.verification._audit import Audit, verify, verify_summary
from cohort_reanalysis.verification._verdicts import Verdict


@pytest.fixture(scope="module")
def audit() -> Audit:
    return verify(load_dataset("matsuoka2025"))


def test_footer_prints_the_doi_once_and_rounding_in_words(audit: Audit) -> None:
    doi = "doi:10.20944/preprints202503.1601.v1"
    for text in (str(audit), audit._repr_html_()):
        assert text.count(doi) == 1
        assert "Rounding taken as stated: ordinary rounding" in text
        assert "up_or_down" not in text.splitlines()[-1]
        assert "reproduced under an alternative: 5" in " ".join(text.split())
    bare = dataclasses.replace(audit, citation="Doe J. A study. 2025")
    assert "Source: Doe J. A study. 2025, doi:10.20944/preprints202503.1601.v1." in str(bare)
    assert "Source: matsuoka2025." in str(dataclasses.replace(audit, citation=None, doi=None))


def test_claim_result_reads_well_in_a_terminal_and_a_notebook(audit: Audit) -> None:
    r = audit["abstract.median_followup"]
    text = str(r)
    assert text.splitlines()[0] == (
        "abstract.median_followup: reproduced (reported 35 months, recomputed 35.5)"
    )
    assert r.quote in " ".join(line.strip() for line in text.splitlines())
    for result in audit:
        assert all(len(line) <= 100 for line in str(result).splitlines()), result.id
        page = result._repr_html_()
        assert page.count("<tr>") == 1 + 5 and VERDICT_LABELS[result.verdict.value] in page
    assert "reported 6.3% to 12.4%," in str(audit["results.range_before"])  # one % only
    # Everything is escaped: a quote from a paper is text, not markup.
    hostile = dataclasses.replace(r, quote="<script>alert(1)</script> & HbA1c < 8")
    page = hostile._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; HbA1c &lt; 8" in page
    assert "ClaimResult(" in repr(r) and "joint=" not in repr(r)


def test_every_verdict_has_one_label_colour_and_place_in_the_order() -> None:
    names = {v.value for v in Verdict}
    assert set(VERDICT_LABELS) == set(VERDICT_BACKGROUNDS) == set(VERDICT_ORDER) == names
    assert len(VERDICT_ORDER) == len(names)
    assert set(VERDICT_MARKERS) == names - {"not_checkable"}  # nothing to place
    assert set(STATUS_VERDICTS.values()) <= names


def test_summary_audit_rows_take_the_colour_of_their_verdict() -> None:
    summary = verify_summary(dataset_info("meta_t1dm_2025").claims_file)
    page = summary._repr_html_()
    for r in summary.results:
        assert r.id in page
    for status, n in summary.counts.items():
        colour = VERDICT_BACKGROUNDS[STATUS_VERDICTS[status]]
        assert page.count(f"<tr style='background:{colour}'>") == n
    assert all(len(line) <= 100 for line in str(summary).splitlines()[1:])
