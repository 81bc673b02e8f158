"""``cohort-reanalysis draft PAPER``: a claims file (or a whole dataset folder) from a paper.

``draft PAPER [--table TABLE.csv | --dataset NAME] [--out claims.json | --out DIR] [--verify]``

- PAPER is plain text, Markdown or HTML (UTF-8). Without ``--out`` the drafted claims file
  (claims@2) goes to stdout; ``--out FILE.json`` writes it there.
- ``--table`` or ``--dataset`` give the patient table: quantities are guessed where the
  sentence and the table's columns leave one reading, and marked ``"quantity guessed"``.
  A table without a ``.cohort.json`` sidecar has its roles guessed from its header.
- ``--out DIR`` (a folder: an existing one, or a path without ``.json``) writes the whole
  dataset folder: the table printed in the text, transcribed (``patients.csv``), its
  ``metadata.json`` (roles and units guessed and said so, every repair a transcription
  note) and ``claims.json``, drafted against that table. A text without a table gives
  summary-level claims only.
- ``--verify`` verifies the draft at once and reports, claim by claim, what was checked and
  what the reviewer must still fill in: on stdout when the claims go to a file, else on
  stderr (stdout stays the claims file).

Every file is written atomically (a temporary file in the same folder, then renamed), only
inside the folder named; the folder is read back as a dataset before anything is moved into
place. Each problem is one line on stderr, and the exit status is 2.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .._atomic import atomic_folder, write_atomic
from ._cli_parser import PROG

__all__ = ["add_draft_parser", "run_draft"]

_EXAMPLES = """\
examples:
  cohort-reanalysis draft paper.txt > claims.json
  cohort-reanalysis draft paper.html --table patients.csv --out claims.json --verify
  cohort-reanalysis draft datasets/matsuoka2025/sources/preprint.txt --dataset matsuoka2025
  cohort-reanalysis draft preprint.txt --out my_dataset/ --verify   # table, metadata, claims

A drafted claim carries "draft": "quantity guessed" (confirm it) or "needs quantity"
(quantity null: fill it in; verify reports it not_checkable, and --fail-on not_checkable
catches any left).
"""


def add_draft_parser(commands: Any) -> None:
    """Register ``draft`` on the command line's subparsers."""
    draft = commands.add_parser(
        "draft",
        help="draft a claims file (or a dataset folder) from a paper's text",
        description=(
            "Draft a claims file from a paper's text: every number it states about its\n"
            "cohort with its quote and location, and APA-style test results, checked at once."
        ),
        epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    draft.add_argument("paper", metavar="PAPER", help="the paper: plain text, Markdown or HTML")
    table = draft.add_mutually_exclusive_group()
    table.add_argument(
        "--table", metavar="TABLE.csv", help="the patient table, to guess quantities from"
    )
    table.add_argument(
        "--dataset", metavar="NAME", help="a bundled dataset or dataset folder: its table and name"
    )
    draft.add_argument(
        "--out",
        metavar="FILE|DIR",
        help="write the claims to FILE (.json), or the whole dataset folder to DIR",
    )
    draft.add_argument(
        "--verify", action="store_true", help="verify the draft and say what is left to fill in"
    )
    draft.set_defaults(command="draft")


# ----------------------------------------------------------------------------- the command


def run_draft(args: argparse.Namespace) -> int:
    """Run ``draft``; every problem the user can cause is one line each and exit status 2."""
    from ..cohort import CohortValidationError
    from ..verification.claims import ClaimsError

    try:
        return _run(args)
    except (ClaimsError, CohortValidationError) as err:
        return _fail(err.lines())
    except FileNotFoundError as err:
        return _fail([f"{err.filename}: no such file"])
    except (ValueError, OSError, LookupError) as err:
        text = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
        return _fail([text])


def _fail(lines: Iterable[str]) -> int:
    for line in lines:
        print(f"{PROG}: error: {' '.join(line.split())}", file=sys.stderr)
    return 2


def _note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run(args: argparse.Namespace) -> int:
    from ..drafting import draft

    text = _read_paper(Path(args.paper))
    out = None if args.out is None else Path(args.out)
    folder = out is not None and (out.is_dir() or out.suffix.lower() != ".json")
    if folder and (args.table is not None or args.dataset is not None):
        raise ValueError(
            "--out DIR writes the table transcribed from PAPER; --table and --dataset go with "
            "--out FILE.json or stdout"
        )
    if out is not None and not folder and out.is_dir():
        raise ValueError(f"{out}: a folder; --out FILE.json writes a claims file")
    if folder:
        assert out is not None
        return _draft_folder(text, Path(args.paper), out, verify=args.verify)
    cohort = _cohort(args)
    drafted = draft(text, cohort=cohort, dataset=args.dataset)
    _report_problems(drafted.problems)
    claims = drafted.claims  # the draft loads as written
    payload = _json(drafted.document)
    if out is None:
        sys.stdout.write(payload)
        sys.stdout.flush()
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(out, payload)
    if args.verify:
        report = _verification(claims, cohort)
        if out is None:
            _note(report)
        else:
            print(report)
    return 0


def _read_paper(path: Path) -> str:
    if path.is_dir():
        raise ValueError(f"{path}: a folder, not a paper's text")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ValueError(
            f"{path}: not UTF-8 text (byte {err.start}); save the paper as UTF-8 text or HTML"
        ) from None


def _cohort(args: argparse.Namespace) -> Any:
    """The table named by ``--table`` or ``--dataset``, or None."""
    from ..cohort import Cohort, load_dataset

    if args.dataset is not None:
        return load_dataset(args.dataset)
    if args.table is None:
        return None
    path = Path(args.table)
    if path.is_dir():
        raise ValueError(f"{path}: a folder, not a table file (use --dataset for a folder)")
    if not path.is_file():
        raise FileNotFoundError(2, "no such file", str(path))
    name = _slug(path.stem)
    if path.with_name(path.stem + ".cohort.json").is_file():
        return Cohort.read(path, name=name)
    return _guessed_cohort(path, name)


def _guessed_cohort(path: Path, name: str) -> Any:
    """A table without a sidecar, its roles guessed from its header (and said so)."""
    from ..cohort import Cohort, CohortValidationError, Problem
    from ..cohort._io import read_raw_table
    from ..drafting._folder import table_roles
    from ..drafting._table import guess_column

    raw = read_raw_table(path).cells
    roles = table_roles([str(c) for c in raw.columns])
    if not {"before", "after"} <= set(roles):
        raise CohortValidationError(
            [
                Problem(
                    "no before and after columns could be told from the header "
                    f"({', '.join(map(repr, map(str, raw.columns)))}); give the table a "
                    "sidecar (cohort-reanalysis describe explains it) or use --dataset"
                )
            ],
            file=str(path),
        )
    before = guess_column(roles["before"].replace("_", " "), None)
    measure, unit = before.get("measure"), before.get("unit")
    shown = ", ".join(f"{column} as {role}" for role, column in roles.items())
    of = f" (measure {measure}{', ' + unit if unit else ''})" if measure else ""
    _note(f"{path}: no sidecar; roles guessed from the header: {shown}{of}")
    return Cohort.read(path, columns=roles, name=name, measure=measure, unit=unit)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_.-]+", "_", text.casefold()).strip("_.-") or "draft"


def _report_problems(problems: Iterable[str]) -> None:
    for problem in problems:
        _note(f"{PROG}: note: a number left out of the draft: {' '.join(problem.split())}")


def _json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# ----------------------------------------------------------------------------- files


def _draft_folder(text: str, paper: Path, out: Path, *, verify: bool) -> int:
    """Write table, metadata and claims into ``out``, read back as a dataset first."""
    from ..cohort import CohortValidationError, load_dataset
    from ..drafting import draft, find_table
    from ..drafting._folder import CLAIMS_FILE, DATA_FILE, dataset_files

    if out.exists() and not out.is_dir():
        raise ValueError(f"{out}: exists and is not a folder")
    name = _slug(out.resolve().name)
    table = find_table(text)
    if table is not None and not {"before", "after"} <= {c["role"] for c in table.columns}:
        labels = ", ".join(repr(c["label"]) for c in table.columns)
        _note(f"{paper}: a table ({labels}) without before and after columns; not transcribed")
        table = None
    files = dataset_files(name, table, title=f"Drafted from {paper.name}")
    with atomic_folder(out) as staging:
        for file, data in files.items():
            write_atomic(staging / file, data)
        cohort = None
        if table is not None:
            try:  # the table as a dataset reads it, checksum too
                cohort = load_dataset(staging)
            except CohortValidationError as err:
                raise CohortValidationError(err.problems, file=out / DATA_FILE) from None
            for bad in table.unreadable:
                _note(f"{paper}: line {bad['line']}: not read as a table row: {bad['text']!r}")
        drafted = draft(text, cohort=cohort)
        document = {**drafted.document, "dataset": name}
        _report_problems(drafted.problems)
        write_atomic(staging / CLAIMS_FILE, _json(document))
        claims = load_dataset_claims(staging)
    wrote = ", ".join(sorted([*files, CLAIMS_FILE]))
    _note(f"wrote {out}: {wrote}")
    if verify:
        if cohort is not None:
            cohort = load_dataset(out)
        print(_verification(claims, cohort))
    return 0


def load_dataset_claims(folder: Path) -> Any:
    """The claims file of a dataset folder, as :func:`load_claims` reads it."""
    from ..cohort import dataset_info
    from ..verification.claims import load_claims

    info = dataset_info(folder)
    assert info.claims_file is not None
    return load_claims(info.claims_file)


# ----------------------------------------------------------------------------- --verify


def _verification(claims: Any, cohort: Any) -> str:
    """What each drafted claim could check, and what the reviewer must still fill in."""
    from ..verification._audit import verify, verify_summary

    lines: list[str] = []
    table = verify(cohort, claims) if cohort is not None and claims.claims else None
    by_id = {} if table is None else {r.id: r for r in table.results}
    guessed = needs = 0
    for claim in claims.claims:
        printed = claim.reported or claim.quote
        if claim.unit and not printed.endswith(claim.unit):
            printed += claim.unit if claim.unit == "%" else f" {claim.unit}"
        if claim.comparator not in (None, "="):
            printed = f"{claim.comparator} {printed}"
        result = by_id.get(claim.id)
        if claim.quantity is None:
            needs += 1
            lines.append(f"  {claim.id}: {printed}: not_checkable; fill in its quantity")
        elif result is not None:
            guessed += claim.draft == "quantity guessed"
            what = f"{claim.quantity.statistic} of {', '.join(sorted(claim.variables())) or 'rows'}"
            lines.append(
                f"  {claim.id}: {printed}: {result.verdict.value} as the {what}; "
                "confirm the guessed quantity"
            )
    summary = verify_summary(claims) if claims.summary_claims else None
    for r in () if summary is None else summary.results:
        lines.append(f"  {r.id}: {r.kind}: {r.status}; {r.explanation}")
    head = (
        f"draft of {claims.dataset}: {len(claims.claims)} claims ({guessed} quantities "
        f"guessed to confirm, {needs} to fill in), {len(claims.summary_claims)} summary claims "
        "checked at once"
    )
    return "\n".join([head, *lines])
