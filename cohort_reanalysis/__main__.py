"""``python -m cohort_reanalysis``: the command line (see ``cohort-reanalysis --help``)."""

from __future__ import annotations

from cohort_reanalysis.presentation._cli import main

if __name__ == "__main__":
    raise SystemExit(main())
