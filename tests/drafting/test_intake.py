"""Reading a paper's text: HTML, sections, paragraphs and sentences found verbatim."""

from __future__ import annotations

from cohort_reanalysis.drafting import read_text
from cohort_reanalysis.drafting._intake import plain_text


def test_html_tags_are_stripped_and_entities_decoded() -> None:
    text = plain_text(
        "<html><body><h2>Results</h2><p>The effect: <i>p</i> &lt; .05 &amp; more.</p></body></html>"
    )
    assert "p < .05 & more." in text and "<" not in text.replace("p < .05", "")
    doc = read_text("<h2>Results</h2><p>We saw 61 patients.</p>")
    assert [(s.text, s.section) for s in doc.sentences] == [("We saw 61 patients.", "Results")]


def test_every_sentence_is_found_verbatim_at_its_offsets() -> None:
    raw = (
        "# Methods\n\nWe enrolled 61 patients (e.g. adults). Mean age was 63.3 years."
        "\n\n## 2.1. Follow-up\n\nFollow-up was 35 months."
    )
    doc = read_text(raw)
    assert [s.text for s in doc.sentences] == [
        "We enrolled 61 patients (e.g. adults).",
        "Mean age was 63.3 years.",
        "Follow-up was 35 months.",
    ]
    assert all(doc.text[s.start : s.end] == s.text for s in doc.sentences)
    assert [s.section for s in doc.sentences] == ["Methods", "Methods", "2.1. Follow-up"]


def test_run_in_labels_and_paragraph_numbers_name_the_location() -> None:
    raw = (
        "Abstract: Background: Little is known. Methods: We enrolled 61 patients."
        "\n\n3. Results\n\nFirst.\n\nSecond 12 months."
    )
    doc = read_text(raw)
    assert [s.location for s in doc.sentences] == [
        "Abstract, Background",
        "Abstract, Methods",
        "3. Results, paragraph 1",
        "3. Results, paragraph 2",
    ]


def test_a_sentence_broken_across_a_page_is_one_sentence() -> None:
    raw = "Results\n\nPatients demonstrated a trend\n\ntoward greater reduction (p > 0.05). Next."
    doc = read_text(raw)
    assert (
        doc.sentences[0].text
        == "Patients demonstrated a trend\n\ntoward greater reduction (p > 0.05)."
    )
