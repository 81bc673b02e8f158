"""``cohort-reanalysis analyze`` and ``verify`` import neither scipy.stats nor scipy.optimize.

(Drawing the figures does: their kernel density estimate is ``scipy.stats.gaussian_kde``.)

``import scipy.stats`` alone costs 0.5-0.9 s and scipy.optimize about 0.5 s, more than the
analyses themselves; the scalar distribution functions they need come from scipy.special,
Shapiro–Wilk from :mod:`cohort_reanalysis.analyses._normality` and the one root the effect-size
intervals need from ``_paired._bracketed_root``. Each check runs in a fresh interpreter, since
this test process has long imported both for its oracles.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cohort_reanalysis.cohort import dataset_info

# The last line a check prints: which of the heavy modules were imported.
_REPORT = "import sys; print([m for m in ('scipy.stats', 'scipy.optimize') if m in sys.modules])"


def _run(code: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=600
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout.strip().splitlines()


def _patients_csv() -> Path:
    path = dataset_info("matsuoka2025").data_file
    if path is None or not path.is_file():
        pytest.skip("bundled matsuoka2025 table not found")
    return path


def _analyze(csv: Path, group: str) -> list[str]:
    """The command's text output, then whether scipy.stats was imported."""
    args = [
        "analyze", str(csv), "--before", "hba1c_before", "--after", "hba1c_after",
        "--group", group, "--dose", "dose_million", "--followup", "months",
    ]  # fmt: skip
    code = (
        "import contextlib, io\n"
        "from cohort_reanalysis.presentation._cli import main\n"
        "for fmt in ('json', 'text'):\n"
        "    buf = io.StringIO()\n"
        "    with contextlib.redirect_stdout(buf):\n"
        f"        main({args!r} + ['--format', fmt])\n"
        "print(buf.getvalue())\n" + _REPORT
    )
    return _run(code)


def test_analyze_command_stays_light() -> None:
    # paired_change per group (Shapiro-Wilk), dose_response (rank correlations, Welch's t,
    # Kruskal-Wallis and the ANOVAs between dose groups), the follow-up analysis.
    *text, imported = _analyze(_patients_csv(), "sex")
    assert "Kendall tau-b" in "\n".join(text) and "follow-up" in "\n".join(text)
    assert imported == "[]"


def test_verify_commands_stay_light() -> None:
    # The specification search (Kendall's S above 2000 rows) and the summary-level checks
    # (t, F, chi-squared and normal tails) take what they need from scipy.special.
    code = (
        "import contextlib, io\n"
        "from cohort_reanalysis.presentation._cli import main\n"
        "for name in ('matsuoka2025', 'meta_t1dm_2025'):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert main(['verify', name, '--format', 'json']) == 0\n" + _REPORT
    )
    assert _run(code)[-1] == "[]"
