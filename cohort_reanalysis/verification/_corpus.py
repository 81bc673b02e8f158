"""A corpus of papers verified at once: :func:`verify_corpus` gives a :class:`CorpusAudit`.

Each dataset (a bundled name, or a dataset folder; a folder of dataset folders stands for
each folder in it that holds a ``metadata.json``) is verified as ``verify NAME`` verifies
one: its own claims file, against its table (an :class:`~._audit.Audit`), or summary-level
checks when it has no table (a :class:`~._audit.SummaryAudit`). A dataset that cannot be
verified (a bad table, a bad claims file, no such folder) is an entry that failed, with one
line per problem; the others are verified all the same. The datasets are verified on an
executor if one is given (a process pool, or Dask's ``client.get_executor()``), in chunks
of datasets; the result is identical with or without one, in the order the datasets were
given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._audit import Audit, SummaryAudit
from ._rounding import ROUNDINGS
from ._verdicts import Verdict

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["CorpusAudit", "CorpusEntry", "corpus_datasets", "verify_corpus"]

_VERDICTS = tuple(v.value for v in Verdict)
_STATUSES = ("consistent", "inconsistent", "not applicable")
#: About this many tasks per corpus on an executor: enough to keep every worker busy to
#: the end, few enough that sending a task costs little beside verifying its datasets.
_TASKS = 64


@dataclass(frozen=True)
class CorpusEntry:
    """One dataset of a corpus: its audit, or why it could not be verified.

    Attributes
    ----------
    source : str
        The dataset as given: a bundled name or a folder's path.
    audit : Audit, SummaryAudit or None
        The audit (a table's claims), the summary-level checks (no table), or None if the
        dataset failed.
    problems : tuple of str
        Why it failed, one line per problem (each names the file and the rule); empty if
        it was verified.

    Examples
    --------
    >>> entry = verify_corpus(["no_such_dataset"]).entries[0]
    >>> entry.failed, entry.to_dict()["dataset"]
    (True, 'no_such_dataset')
    """

    source: str
    audit: Audit | SummaryAudit | None
    problems: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """Whether the dataset could not be verified."""
        return self.audit is None

    @property
    def dataset(self) -> str:
        """The dataset's name (its source, if it failed)."""
        return self.source if self.audit is None else self.audit.dataset

    @property
    def error(self) -> str | None:
        """The problems in one line (``"; "`` between them), or None if it was verified."""
        return "; ".join(self.problems) if self.problems else None

    def to_dict(self) -> dict[str, Any]:
        """The single-dataset object of ``verify --format json``, or ``{dataset, error}``."""
        if self.audit is None:
            return {"dataset": self.source, "error": self.error}
        return self.audit.to_dict()


@dataclass(frozen=True)
class CorpusAudit:
    """The verdicts on every dataset of a corpus, in the order given.

    Examples
    --------
    >>> corpus = verify_corpus(["student1908_sleep", "meta_t1dm_2025", "no_such_dataset"])
    >>> [(e.dataset, e.failed) for e in corpus]
    [('student1908_sleep', False), ('meta_t1dm_2025', False), ('no_such_dataset', True)]
    >>> corpus.counts["datasets"], corpus.counts["verified"], corpus.counts["failed"]
    (3, 2, 1)
    """

    entries: tuple[CorpusEntry, ...]
    rounding: str = "up_or_down"

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[CorpusEntry]:
        return iter(self.entries)

    def __getitem__(self, dataset: str) -> CorpusEntry:
        """The entry of a dataset, by its name or its source as given."""
        for entry in self.entries:
            if dataset in (entry.dataset, entry.source):
                return entry
        raise KeyError(dataset)

    @property
    def failed(self) -> tuple[CorpusEntry, ...]:
        """The entries that could not be verified."""
        return tuple(e for e in self.entries if e.failed)

    @property
    def counts(self) -> dict[str, Any]:
        """Datasets given, verified and failed; claims per verdict and summary claims per
        status, over every dataset verified (all keys present, 0 where none)."""
        claims = dict.fromkeys(_VERDICTS, 0)
        summary = dict.fromkeys(_STATUSES, 0)
        for entry in self.entries:
            if isinstance(entry.audit, Audit):
                for key, n in entry.audit.counts.items():
                    claims[key] += n
            elif isinstance(entry.audit, SummaryAudit):
                for key, n in entry.audit.counts.items():
                    summary[key] += n
        failed = len(self.failed)
        return {
            "datasets": len(self.entries),
            "verified": len(self.entries) - failed,
            "failed": failed,
            "claims": claims,
            "summary_claims": summary,
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``verify A B ... --format json`` (docs/json-contract.md)."""
        return {"datasets": [e.to_dict() for e in self.entries], "counts": self.counts}

    def to_frame(self) -> pd.DataFrame:
        """One row per dataset: ``dataset``, ``source``, ``kind`` (``table``, ``summary`` or
        ``failed``), claims per verdict and summary claims per status (0 where none), and
        ``error`` (None unless it failed).

        Examples
        --------
        >>> frame = verify_corpus(["student1908_sleep"]).to_frame()
        >>> frame.loc[0, ["dataset", "kind", "error"]].tolist()
        ['student1908_sleep', 'table', None]
        """
        import pandas as pd

        rows = []
        for entry in self.entries:
            row: dict[str, Any] = {"dataset": entry.dataset, "source": entry.source}
            counts: dict[str, int] = {}
            if isinstance(entry.audit, Audit):
                row["kind"] = "table"
                counts = entry.audit.counts
            elif isinstance(entry.audit, SummaryAudit):
                row["kind"] = "summary"
                counts = entry.audit.counts
            else:
                row["kind"] = "failed"
            row.update({key: counts.get(key, 0) for key in (*_VERDICTS, *_STATUSES)})
            row["error"] = entry.error
            rows.append(row)
        columns = ["dataset", "source", "kind", *_VERDICTS, *_STATUSES, "error"]
        return pd.DataFrame.from_records(rows, columns=columns)


def corpus_datasets(paths: Iterable[str | Path]) -> list[str]:
    """The datasets a list of names and folders stands for, in order.

    A folder that holds a ``metadata.json`` is one dataset; a folder that does not stands
    for each folder in it that does (sorted by name); anything else (a bundled name, a
    path that does not exist) stands for itself, and fails, if it must, when verified.

    Examples
    --------
    >>> from cohort_reanalysis.cohort._datasets import _bundled_root
    >>> names = [Path(p).name for p in corpus_datasets([_bundled_root()])]
    >>> "matsuoka2025" in names and "meta_t1dm_2025" in names
    True
    >>> corpus_datasets(["matsuoka2025"])
    ['matsuoka2025']
    """
    out: list[str] = []
    for item in paths:
        path = Path(item)
        if path.is_dir() and not (path / "metadata.json").is_file():
            inside = sorted(p for p in path.iterdir() if (p / "metadata.json").is_file())
            if inside:
                out += [str(p) for p in inside]
                continue
        out.append(str(item))
    return out


def verify_corpus(
    datasets: Iterable[str | Path],
    *,
    executor: Executor | None = None,
    rounding: str = "up_or_down",
) -> CorpusAudit:
    """Verify every dataset of a corpus against its own claims file.

    Parameters
    ----------
    datasets : iterable of str or Path
        Bundled dataset names and dataset folders; a folder of dataset folders stands for
        each folder in it that holds a ``metadata.json`` (sorted by name).
    executor : concurrent.futures.Executor, optional
        Verify the datasets on this executor (a ``ProcessPoolExecutor``, or Dask's
        ``client.get_executor()``), in chunks of datasets; each dataset is verified whole
        by one worker. The result is identical with or without one.
    rounding : str, default "up_or_down"
        The rounding procedure taken as stated, for every dataset.

    Returns
    -------
    CorpusAudit
        One entry per dataset, in order: its audit, or the problems that made it fail (a
        bad table or claims file, no such dataset, no claims file).

    Raises
    ------
    ValueError
        For an unknown rounding. A dataset's own problems never raise: they are its entry.

    Examples
    --------
    >>> corpus = verify_corpus(["student1908_sleep", "zea_mays_darwin1876"])
    >>> corpus["student1908_sleep"].audit.counts == corpus.entries[0].audit.counts
    True
    >>> corpus.counts["failed"]
    0
    """
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding {rounding!r}; expected one of {', '.join(ROUNDINGS)}")
    sources = corpus_datasets(datasets)
    task = partial(_verify_chunk, rounding=rounding)
    if executor is None or len(sources) < 2:
        entries = task(sources)
    else:
        size = max(1, math.ceil(len(sources) / _TASKS))
        chunks = [sources[i : i + size] for i in range(0, len(sources), size)]
        entries = [entry for part in executor.map(task, chunks) for entry in part]
    return CorpusAudit(entries=tuple(entries), rounding=rounding)


def _verify_chunk(sources: Sequence[str], *, rounding: str) -> list[CorpusEntry]:
    """Verify a few datasets (one task of an executor)."""
    return [_verify_one(source, rounding=rounding) for source in sources]


def _verify_one(source: str, *, rounding: str) -> CorpusEntry:
    """One dataset, as ``verify NAME`` verifies it; its problems, if it fails."""
    from ..cohort import dataset_info, load_dataset
    from ._audit import verify, verify_summary
    from .claims import load_claims

    try:
        path = Path(source)
        if path.is_file():
            raise ValueError(
                f"{source}: a file, not a dataset folder (a corpus is made of dataset "
                "folders; cohort-reanalysis init TABLE makes one)"
            )
        if path.is_dir() and not (path / "metadata.json").is_file():
            raise ValueError(f"{source}: no metadata.json, and no folder in it holds one")
        info = dataset_info(source)
        if info.claims_file is None:
            raise ValueError(
                f"dataset {info.name!r} has no claims file: there is nothing to verify"
            )
        claims = load_claims(info.claims_file)
        if not info.has_table:
            audit: Audit | SummaryAudit = verify_summary(claims, rounding=rounding)
        else:
            audit = verify(load_dataset(source), claims, rounding=rounding)
    except Exception as err:  # one dataset's failure is its entry; the corpus goes on
        return CorpusEntry(source=source, audit=None, problems=tuple(problem_lines(err)))
    return CorpusEntry(source=source, audit=audit)


def problem_lines(err: BaseException) -> list[str]:
    """One line per problem of an error: each problem of an error that lists several (a
    table, a metadata or claims file), else its message; an error that is not the data's
    (not a ValueError, OSError or LookupError) is called an internal error.

    Examples
    --------
    >>> problem_lines(ValueError("bad\\n value"))
    ['bad value']
    >>> problem_lines(TypeError("oops"))
    ['internal error: TypeError: oops (please report it)']
    """
    lines = getattr(err, "lines", None)
    if isinstance(err, ValueError) and callable(lines):
        found = [" ".join(str(line).split()) for line in lines()]
        if found:
            return found
    if isinstance(err, KeyError) and err.args:
        text = str(err.args[0])
    elif isinstance(err, FileNotFoundError) and err.filename is not None:
        text = f"{err.filename}: no such file"
    elif isinstance(err, (ValueError, OSError, LookupError)):
        text = str(err)
    else:
        text = f"internal error: {type(err).__name__}: {err} (please report it)"
    return [" ".join(text.split()) or type(err).__name__]
