"""How verdicts are shown, defined once for every report and figure: the order a reader
sees them in, their labels, their colours and marks.

The verdict names are :class:`~cohort_reanalysis.verification._verdicts.Verdict`'s. The
summary-level statuses of a dataset without a table (consistent, inconsistent, not
applicable) are shown as the verdicts they correspond to.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..verification._verdicts import Verdict

__all__ = [
    "STATUS_ORDER",
    "STATUS_VERDICTS",
    "VERDICT_ACCENTS",
    "VERDICT_BACKGROUNDS",
    "VERDICT_LABELS",
    "VERDICT_MARKERS",
    "VERDICT_MARKS",
    "VERDICT_ORDER",
    "background_css",
]

#: Verdicts in the order a reader should see them: what fails first.
VERDICT_ORDER: tuple[str, ...] = (
    Verdict.NOT_REPRODUCED.value,
    Verdict.REPRODUCED_UNDER_ALTERNATIVE.value,
    Verdict.NOT_CHECKABLE.value,
    Verdict.REPRODUCED.value,
)

#: Each verdict in words.
VERDICT_LABELS: Mapping[str, str] = {
    Verdict.REPRODUCED.value: "reproduced",
    Verdict.REPRODUCED_UNDER_ALTERNATIVE.value: "reproduced under an alternative",
    Verdict.NOT_REPRODUCED.value: "not reproduced",
    Verdict.NOT_CHECKABLE.value: "not checkable",
}

#: Light backgrounds of a verdict's rows and badges (HTML reports, notebook tables).
VERDICT_BACKGROUNDS: Mapping[str, str] = {
    Verdict.REPRODUCED.value: "#e3f2e1",
    Verdict.REPRODUCED_UNDER_ALTERNATIVE.value: "#fff3d6",
    Verdict.NOT_REPRODUCED.value: "#fbe0e0",
    Verdict.NOT_CHECKABLE.value: "#eeeeee",
}

#: Strong colours of a verdict's border in the HTML report's details.
VERDICT_ACCENTS: Mapping[str, str] = {
    Verdict.REPRODUCED.value: "#6ab04c",
    Verdict.REPRODUCED_UNDER_ALTERNATIVE.value: "#e1a500",
    Verdict.NOT_REPRODUCED.value: "#d64545",
    Verdict.NOT_CHECKABLE.value: "#999999",
}

#: Marks of the Markdown report.
VERDICT_MARKS: Mapping[str, str] = {
    Verdict.REPRODUCED.value: "✅",
    Verdict.REPRODUCED_UNDER_ALTERNATIVE.value: "🟡",
    Verdict.NOT_REPRODUCED.value: "❌",
    Verdict.NOT_CHECKABLE.value: "⚪",
}

#: Colour (Okabe–Ito bluish green, orange, vermillion) and marker of each verdict the audit
#: figure places; the marker keeps verdicts apart in grayscale. A claim that is not
#: checkable has no number to place.
VERDICT_MARKERS: Mapping[str, tuple[str, str]] = {
    Verdict.REPRODUCED.value: ("#009E73", "o"),
    Verdict.REPRODUCED_UNDER_ALTERNATIVE.value: ("#E69F00", "s"),
    Verdict.NOT_REPRODUCED.value: ("#D55E00", "X"),
}

#: Summary-level statuses in the order a reader should see them.
STATUS_ORDER: tuple[str, ...] = ("inconsistent", "consistent", "not applicable")

#: The verdict whose look each summary-level status takes.
STATUS_VERDICTS: Mapping[str, str] = {
    "consistent": Verdict.REPRODUCED.value,
    "inconsistent": Verdict.NOT_REPRODUCED.value,
    "not applicable": Verdict.NOT_CHECKABLE.value,
}


def background_css() -> str:
    """One CSS rule per verdict, giving its class its background.

    Examples
    --------
    >>> background_css().split("}")[0]
    '.reproduced{background:#e3f2e1'
    """
    return "\n".join(
        f".{verdict}{{background:{colour}}}" for verdict, colour in VERDICT_BACKGROUNDS.items()
    )
