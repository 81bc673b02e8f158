"""The public namespace: every exported name resolves, and importing stays light."""

from __future__ import annotations

import subprocess
import sys

import cohort_reanalysis as cr


def test_all_lists_every_lazy_name_and_each_resolves() -> None:
    assert set(cr._LAZY) <= set(cr.__all__)
    assert len(cr.__all__) == len(set(cr.__all__))
    for name in cr.__all__:
        assert getattr(cr, name) is not None, name


def test_import_does_not_pull_in_heavy_modules() -> None:
    code = (
        "import sys, cohort_reanalysis as cr\n"
        "cr.load_dataset('matsuoka2025')\n"
        "heavy = [m for m in ('scipy.stats', 'matplotlib', 'pingouin') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"imported at package import: {out.stdout.strip()}"


def test_import_and_help_do_not_import_pandas() -> None:
    """``import cohort_reanalysis`` and ``cohort-reanalysis --help`` answer at once, and the
    classes and the figure modules load without pandas (figure workers unpickle results
    without it); pandas loads when a table is read."""
    code = (
        "import sys, contextlib, io, cohort_reanalysis as cr\n"
        "from cohort_reanalysis.presentation._cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    status = main(['--help'])\n"
        "import cohort_reanalysis.presentation.figures\n"
        "cr.Cohort, cr.PairedData, cr.paired_change\n"
        "before = 'pandas' in sys.modules\n"
        "cr.load_dataset('matsuoka2025')\n"
        "print(status, before, 'pandas' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "False", "True"]


def test_summary_table_names_are_public() -> None:
    for name in (
        "check_table",
        "grim_arrays",
        "check_summary_table",
        "paired_p_from_summary",
        "split_mean_sd",
        "TableCheck",
        "grim_seq",
        "grim_total_n",
        "grimmer_seq",
        "grimmer_total_n",
    ):
        assert name in cr.__all__ and callable(getattr(cr, name)), name
