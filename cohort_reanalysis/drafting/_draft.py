"""Drafting a claims file from a paper's text: every stated number, with its quote.

The draft is a claims document (a JSON-able dict, format claims@2): one claim per number the
text states about its cohort, each with the sentence it is printed in (found verbatim in the
text), the section and paragraph, the number exactly as printed, its comparator and unit;
APA-style test results, estimates with CIs and mean ± SD with n become summary claims that
are checked at once. A claim whose quantity was guessed from the table carries
``"draft": "quantity guessed"``; one the reviewer must complete carries
``quantity: null`` and ``"draft": "needs quantity"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..cohort import Cohort, load_dataset
from ..verification.claims import (
    FORMAT,
    NEEDS_QUANTITY,
    QUANTITY_GUESSED,
    ClaimsError,
    ClaimSet,
    parse_claims,
)
from ._apa import find_tests, normalise
from ._intake import SKIPPED, Document, Sentence, read_text
from ._numbers import find_numbers, significance_level
from ._quantity import Columns, Guess, guess_count, guess_quantity

__all__ = ["Draft", "draft", "draft_claims"]

_CITATION = re.compile(r"\bet al\.|\((?:19|20)[0-9]{2}\)")


@dataclass
class Draft:
    """A drafted claims document, and every number it could not turn into a valid claim."""

    document: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @property
    def claims(self) -> ClaimSet:
        """The draft as the claims parser reads it: the document as written."""
        return parse_claims(self.document)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "text"


def _skip(sentence: Sentence, has_sections: bool) -> bool:
    if sentence.section == "front matter" and not has_sections:
        pass  # a text without headings: everything in it is read
    elif SKIPPED.match(sentence.section) or SKIPPED.match(sentence.label or "-"):
        return True
    if sentence.text.lstrip().startswith("|"):
        return True  # a table row: the table is transcribed, not drafted as claims
    return bool(_CITATION.search(sentence.text))


class _Ids:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next(self, sentence: Sentence) -> str:
        base = _slug(
            sentence.section if not sentence.label else f"{sentence.section} {sentence.label}"
        )
        self.counts[base] = self.counts.get(base, 0) + 1
        return f"{base}.{self.counts[base]}"


def _valid(item: dict[str, Any], key: str, dataset: str) -> str | None:
    try:
        parse_claims({"format": FORMAT, "dataset": dataset, key: [item]})
    except ClaimsError as err:
        return str(err)
    return None


def draft(
    text: str,
    *,
    cohort: Cohort | None = None,
    dataset: str | None = None,
    version: str = "paper",
) -> Draft:
    """Draft the claims of a paper's text.

    Parameters
    ----------
    text : str
        The paper: plain text, Markdown or HTML.
    cohort : Cohort, optional
        The patient table; with it, quantities are guessed where unambiguous.
    dataset : str, optional
        A dataset name or folder: its table is the cohort, its name the draft's dataset.
    version : str
        The version of the paper the quotes come from (``"preprint"``, ``"journal"``).

    Examples
    --------
    >>> d = draft("3. Results\\n\\nWe enrolled 61 patients (t(28) = 2.20, p = .036).")
    >>> [c["reported"] for c in d.document["claims"]], d.document["summary_claims"][0]["test"]
    (['61'], 't')
    """
    name = "draft"
    if dataset is not None:
        if cohort is None:
            cohort = load_dataset(dataset)
        name = _slug(str(dataset).rstrip("/").rsplit("/", 1)[-1]).replace("-", "_")
    elif cohort is not None and cohort.name:
        name = cohort.name
    cols = None if cohort is None else Columns.of(cohort)
    doc = read_text(text)
    claims, summaries, problems = _draft_sentences(doc, cols, version, name)
    document: dict[str, Any] = {"format": FORMAT, "dataset": name, "claims": claims}
    if summaries:
        document["summary_claims"] = summaries
    return Draft(document, problems)


def draft_claims(
    text: str, *, cohort: Cohort | None = None, dataset: str | None = None
) -> ClaimSet:
    """The drafted claims of a paper's text, as a :class:`ClaimSet`.

    Every number the text states about its cohort becomes a claim quoting its sentence
    verbatim; APA-style test results and estimates with CIs become summary claims. A
    quantity is guessed only where the cohort's columns leave one reading, and marked so.

    Parameters
    ----------
    text : str
        The paper, as plain text, Markdown or HTML (tags stripped, entities decoded).
    cohort : Cohort, optional
        The paper's table; with it, unambiguous quantities are guessed.
    dataset : str, optional
        The dataset name the claims file names (default: that of ``cohort``, or "draft").

    Returns
    -------
    ClaimSet
        A valid claims file's content, ready to verify and for the reviewer to complete.

    Examples
    --------
    >>> cs = draft_claims("Results: The mean age was 63.3 years (range: 42 to 89 years).")
    >>> [(c.reported, c.unit, c.quantity) for c in cs.claims]
    [('63.3', 'years', None), ('42 to 89', 'years', None)]
    """
    return draft(text, cohort=cohort, dataset=dataset).claims


def _draft_sentences(
    doc: Document, cols: Columns | None, version: str, dataset: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    alpha = significance_level(doc.text)
    ids = _Ids()
    claims: list[dict[str, Any]] = []
    summaries: list[dict[str, Any]] = []
    problems: list[str] = []
    level: float | None = None
    has_sections = any(s.section != "front matter" for s in doc.sentences)
    for sentence in doc.sentences:
        if _skip(sentence, has_sections):
            continue
        original = sentence.text
        flat = normalise(original)
        location = f"{version}, {sentence.location}"
        common = {"quote": original, "location": location}
        tests = find_tests(original)
        for result in tests:
            item = {"id": ids.next(sentence), **common, "kind": "test_statistic", **result.fields()}
            summaries.append(item)
        findings = find_numbers(original, flat, [(r.start, r.end) for r in tests], alpha)
        carried = Guess()
        previous_end = 0
        for f in findings:
            local, before = flat[previous_end : f.start], flat[: f.start]
            previous_end = f.end
            if f.kind in ("estimate_ci", "mean_sd"):
                item = {"id": ids.next(sentence), **common, "kind": f.kind}
                if f.unit:
                    item["unit"] = f.unit
                item.update(f.fields)
                if f.kind == "estimate_ci":
                    if "confidence_level" in f.fields:
                        level = float(f.fields["confidence_level"])  # type: ignore[arg-type]
                    elif level is not None:
                        item["confidence_level"] = level
                        item["note"] = "confidence level as printed for the text's earlier CI"
                    else:
                        item["note"] = "confidence level not printed; read as 95%"
                summaries.append(item)
                continue
            item = {
                "id": ids.next(sentence),
                **common,
                "versions": [version],
                "reported": f.reported,
                "comparator": f.comparator,
                "unit": f.unit,
                "quantity": None,
            }
            quantity, scale = None, None
            if cols is not None:
                quantity = guess_count(f, flat[f.end :], before, cols)
                if quantity is None:
                    quantity, scale = guess_quantity(f, local, before, carried, cols)
            if quantity is not None:
                item["quantity"] = quantity
                if scale not in (None, 1.0):
                    item["scale"] = scale
                item["draft"] = QUANTITY_GUESSED
            else:
                item["draft"] = NEEDS_QUANTITY
            if f.note:
                item["note"] = f.note
            claims.append(item)
    return _settle(claims, summaries, problems, dataset)


def _settle(
    claims: list[dict[str, Any]],
    summaries: list[dict[str, Any]],
    problems: list[str],
    dataset: str,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """The drafted claims the parser accepts: all at once if it takes them all (the usual
    case, and one parse), else claim by claim (see :func:`_keep`)."""
    try:
        parse_claims(
            {"format": FORMAT, "dataset": dataset, "claims": claims, "summary_claims": summaries}
        )
    except ClaimsError:
        kept: list[dict[str, Any]] = []
        kept_summaries: list[dict[str, Any]] = []
        for item in claims:
            _keep(item, "claims", kept, problems, dataset)
        for item in summaries:
            _keep(item, "summary_claims", kept_summaries, problems, dataset)
        return kept, kept_summaries, problems
    return claims, summaries, problems


def _keep(
    item: dict[str, Any], key: str, into: list[dict[str, Any]], problems: list[str], dataset: str
) -> None:
    """Add a drafted claim; one the parser refuses is kept without its guess, or reported."""
    error = _valid(item, key, dataset)
    if error is not None and key == "claims" and item.get("quantity") is not None:
        item = {**item, "quantity": None, "draft": NEEDS_QUANTITY}
        item.pop("scale", None)
        error = _valid(item, key, dataset)
    if error is None:
        into.append(item)
    else:
        problems.append(f"{item['quote']!r}: {error}")
