"""What the drafting benchmark runs on: the bundled sources of matsuoka2025, and its scores.

Recall and precision are scored by the function the drafting test uses
(``tests/drafting/test_recall.py::score``), loaded from that file so that the benchmark and
the test count a hit the same way. The long text is the preprint repeated to about 300 kB
(a long paper), each copy under its own numbered heading.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "datasets" / "matsuoka2025"
SOURCES = FOLDER / "sources"
LONG_TEXT_CHARS = 300_000


def _score_function() -> Any:
    path = ROOT / "tests" / "drafting" / "test_recall.py"
    spec = importlib.util.spec_from_file_location("_bench_test_recall", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


def preprint() -> str:
    return (SOURCES / "preprint.txt").read_text(encoding="utf-8")


def long_text(chars: int = LONG_TEXT_CHARS) -> str:
    """The preprint repeated until the text holds at least ``chars`` characters."""
    one = preprint()
    copies = -(-chars // len(one))
    return "\n\n".join(f"{i + 1}. Part {i + 1}\n\n{one}" for i in range(copies))


def quality() -> list[dict[str, Any]]:
    """Recall, quantity recall and precision of the draft of each bundled source."""
    from cohort_reanalysis.drafting import draft

    score = _score_function()
    hand = json.loads((FOLDER / "claims.json").read_text(encoding="utf-8"))["claims"]
    rows = []
    for version, file in (("preprint", "preprint.txt"), ("journal", "abstract.txt")):
        text = (SOURCES / file).read_text(encoding="utf-8")
        drafted = draft(text, dataset="matsuoka2025", version=version)
        claims = drafted.document["claims"]
        # As the test scores them: the preprint against every hand-written claim, the
        # journal abstract against those the journal prints.
        expected = hand if version == "preprint" else [h for h in hand if version in h["versions"]]
        if version == "journal":  # the journal prints "HbA1c ≥ 6.2%" for the preprint's "≥6.2%"
            for c in [*expected, *claims]:
                c["quote"] = re.sub(r"([\u2265\u2264<>]) ", r"\1", c["quote"])
        s = score(claims, expected)
        rows.append(
            {
                "source": f"{version} ({file})",
                "recall": s["recall"],
                "quantity_recall": s["quantity_recall"],
                "precision": s["precision"],
                "hand_written": s["hand"],
                "drafted": s["drafted"],
                "summary_claims": len(drafted.document.get("summary_claims", [])),
                "missed": s["missed"],
            }
        )
    return rows
