"""What the command line accepts: its commands, options, help texts and examples."""

from __future__ import annotations

import argparse
from typing import NoReturn

from ..verification._verdicts import Verdict

__all__ = ["PROG", "VERDICTS", "UsageError", "build_parser"]

PROG = "cohort-reanalysis"
VERDICTS = tuple(verdict.value for verdict in Verdict)


class UsageError(Exception):
    """A command-line usage error, printed as one line (exit 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        hint = f" (see '{self.prog} --help')"
        raise UsageError(message + hint)


_DESCRIPTION = """\
Re-analyse patient-level tables printed in clinical papers, and check every number the
paper states against a recomputation.
"""

_EPILOG = """\
examples:
  cohort-reanalysis datasets
  cohort-reanalysis describe matsuoka2025
  cohort-reanalysis verify matsuoka2025 --format html --out report.html --figures figures/
  cohort-reanalysis analyze my_table.csv --before hba1c_0 --after hba1c_12 --group sex
  cohort-reanalysis draft paper.txt --table my_table.csv --out claims.json --verify
  cohort-reanalysis init my_table.csv && cohort-reanalysis verify my_table

exit status: 0 success, 1 when --fail-on finds a claim with that verdict,
             2 bad usage or bad data (one line on stderr).
"""


def build_parser() -> _Parser:
    parser = _Parser(
        prog=PROG,
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from .._version import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    datasets = commands.add_parser(
        "datasets",
        help="list the bundled datasets",
        description="List the bundled datasets: name, printed rows, reported n, DOI and title.",
        epilog="example:\n  cohort-reanalysis datasets\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    datasets.set_defaults(command="datasets")

    describe = commands.add_parser(
        "describe",
        help="describe a dataset or table: provenance, columns, missing cells, Table 1",
        description=(
            "Describe a dataset: where it comes from, its columns with roles, units and missing\n"
            "cells, the rows printed against the n the paper reports, and Table 1."
        ),
        epilog=(
            "examples:\n"
            "  cohort-reanalysis describe matsuoka2025\n"
            "  cohort-reanalysis describe path/to/dataset_folder\n"
            "  cohort-reanalysis describe table.csv      # needs its sidecar table.cohort.json\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    describe.add_argument(
        "target",
        metavar="NAME|PATH",
        help="a bundled dataset name, a dataset folder, or a CSV with a .cohort.json sidecar",
    )
    describe.set_defaults(command="describe")

    verify = commands.add_parser(
        "verify",
        help="check every claim of a dataset against a recomputation",
        description=(
            "Recompute every number a paper states about its cohort and give each claim a\n"
            "verdict: reproduced, reproduced_under_alternative, not_reproduced or not_checkable."
        ),
        epilog=(
            "examples:\n"
            "  cohort-reanalysis verify matsuoka2025\n"
            "  cohort-reanalysis verify matsuoka2025 --format json > audit.json\n"
            "  cohort-reanalysis verify matsuoka2025 --format html \\\n"
            "      --out report/matsuoka2025.html --figures report/figures\n"
            "  cohort-reanalysis verify matsuoka2025 --fail-on not_reproduced   # exit 1 if any\n"
            "  cohort-reanalysis verify my_table.csv --claims my_claims.json \\\n"
            "      --before sbp_0 --after sbp_12 --id patient\n"
            "  cohort-reanalysis verify my_folder --claims other_claims.json\n"
            "  cohort-reanalysis verify matsuoka2025 --multiverse multiverse.csv \\\n"
            "      --format html --out report.html     # with specification curves\n"
            "  cohort-reanalysis verify papers/ --jobs 2 --format json > corpus.json\n"
            "  cohort-reanalysis verify paper_a paper_b --executor dask://127.0.0.1:8786\n"
            "\n"
            "several datasets: exit status 2 if any failed (its reasons on stderr, the others\n"
            "reported all the same), else 1 if --fail-on finds a claim, else 0.\n"
            "--figures draws on one worker process per core (up to 4), started by the\n"
            "platform's default method; COHORT_REANALYSIS_START_METHOD=spawn, forkserver or\n"
            "fork picks another.\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument(
        "target",
        nargs="+",
        metavar="NAME|PATH|TABLE",
        help="a bundled dataset name, a dataset folder, or a table file (with --claims); "
        "several datasets, or a folder of dataset folders, are verified as a corpus",
    )
    verify.add_argument(
        "--claims",
        metavar="FILE",
        help="verify these claims instead of the dataset's own (needed with a table file)",
    )
    for role in ("before", "after", "id", "sex", "dose", "followup", "group"):
        verify.add_argument(
            f"--{role}",
            metavar="COL",
            help=f"with a table file: the {role} column (else guessed, and said on stderr)",
        )
    verify.add_argument(
        "--format",
        choices=("text", "markdown", "html", "json", "jsonl"),
        default="text",
        help="report format (default: text; jsonl: one dataset's JSON object per line)",
    )
    verify.add_argument("--out", metavar="FILE", help="write the report to FILE, not stdout")
    verify.add_argument(
        "--figures",
        metavar="DIR",
        help="draw the figures into DIR (and embed them in an HTML report)",
    )
    verify.add_argument(
        "--fail-on",
        metavar="VERDICT",
        choices=VERDICTS,
        help=(
            "exit 1 if any claim has this verdict (one of: " + ", ".join(VERDICTS) + "); for a "
            "dataset without a patient table, reproduced/not_reproduced/not_checkable mean "
            "consistent/inconsistent/not applicable"
        ),
    )
    from ._cli_corpus import add_corpus_options
    from ._cli_multiverse import add_multiverse_option

    add_multiverse_option(verify)
    add_corpus_options(verify)
    verify.set_defaults(command="verify")

    init = commands.add_parser(
        "init",
        help="write a dataset folder for your own table, roles and units guessed",
        description=(
            "Write a dataset folder for a table: the table, a metadata.json whose column roles\n"
            "and units are guessed (and marked as guesses; stderr says what was guessed), and\n"
            "a claims file without claims, to fill in. The folder loads and verifies as written."
        ),
        epilog=(
            "examples:\n"
            "  cohort-reanalysis init my_table.csv                  # writes ./my_table/\n"
            "  cohort-reanalysis init my_table.xlsx --out papers/smith2024\n"
            "  cohort-reanalysis verify papers/smith2024\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument("table", metavar="TABLE", help="the table (CSV, TSV; Excel or Parquet too)")
    init.add_argument(
        "--out",
        metavar="DIR",
        help="the folder to write (default: the table's name in the current folder); "
        "refused if it exists and is not empty",
    )
    init.set_defaults(command="init")

    analyze = commands.add_parser(
        "analyze",
        help="paired before/after analysis of your own table",
        description=(
            "Paired change (after - before) of your own table: paired t-test with 95% CI and\n"
            "the Wilcoxon signed-rank test, overall and per group; with --group, Welch's t and\n"
            "the rank-sum test of the change between the groups. Rows missing a value are\n"
            "left out and listed by their row number in the file (first data row = 1)."
        ),
        epilog=(
            "examples:\n"
            "  cohort-reanalysis analyze table.csv --before hba1c_0 --after hba1c_12\n"
            "  cohort-reanalysis analyze table.csv --before w0 --after w12 --group arm \\\n"
            "      --measure weight --unit kg --format json\n"
            "  cohort-reanalysis analyze table.csv --before b --after a --dose dose"
            " --followup months\n"
            "  cohort-reanalysis analyze table_fr.csv --before b --after a --decimal ,\n"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    analyze.add_argument("csv", metavar="CSV", help="the table (CSV, TSV; Excel or Parquet too)")
    analyze.add_argument("--before", required=True, metavar="COL", help="column before")
    analyze.add_argument("--after", required=True, metavar="COL", help="column after")
    analyze.add_argument(
        "--group", metavar="COL", help="analyse each level of COL too, and compare them"
    )
    analyze.add_argument("--dose", metavar="COL", help="correlate the change with the dose")
    analyze.add_argument(
        "--followup", metavar="COL", help="correlate the change with the follow-up time"
    )
    analyze.add_argument(
        "--format", choices=("text", "json"), default="text", help="output (default: text)"
    )
    analyze.add_argument("--measure", metavar="NAME", help="what is measured, e.g. HbA1c")
    analyze.add_argument("--unit", metavar="UNIT", help="its unit, e.g. %% or kg")
    analyze.add_argument(
        "--decimal", metavar="CHAR", default=".", help="decimal mark of the file (default: .)"
    )
    analyze.add_argument("--encoding", metavar="ENC", help="text encoding (default: UTF-8)")
    analyze.set_defaults(command="analyze")

    from ._cli_draft import add_draft_parser

    add_draft_parser(commands)

    from ._cli_check import add_check_command

    add_check_command(commands)
    return parser
