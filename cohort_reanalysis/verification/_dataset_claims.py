"""Which claims go with a cohort, and whether the cohort and its metadata can serve them.

A cohort loaded from a dataset folder (:func:`~cohort_reanalysis.load_dataset`, by name or
by path) finds that folder's claims file; the claims are then held against the cohort's
columns (:func:`~.claims.check_variables`) and, when they are the dataset's own claims,
against the sources its metadata lists (:func:`~.claims.check_sources`), every problem of
both at once in one :class:`~.claims.ClaimsError`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..cohort import Cohort, CohortValidationError, DatasetInfo, dataset_info
from .claims import ClaimProblem, ClaimsError, ClaimSet, check_sources, check_variables, load_claims

__all__ = ["check_claims", "claims_for", "dataset_of"]


def dataset_of(cohort: Cohort) -> DatasetInfo | None:
    """The dataset a cohort was loaded from, or None (a table read on its own, a frame).

    The folder of the cohort's file when that folder's ``metadata.json`` names the file and
    the cohort bears the dataset's name (a dataset folder loaded by path), else the bundled
    dataset of the cohort's name (and file). A table read on its own with
    :meth:`Cohort.read` belongs to no dataset, even from a dataset's folder.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> dataset_of(load_dataset("student1908_sleep")).name
    'student1908_sleep'
    """
    if cohort.source is not None:
        folder = Path(cohort.source).parent
        if (folder / "metadata.json").is_file():
            try:
                info = dataset_info(folder)
            except CohortValidationError:
                info = None
            if (
                info is not None
                and info.name == cohort.name
                and info.data_file is not None
                and _same(info.data_file, cohort)
            ):
                return info
    if cohort.name is not None:
        try:
            info = dataset_info(cohort.name)
        except CohortValidationError:
            return None
        # A table named like a bundled dataset is not that dataset unless it is its file.
        if cohort.source is None or (info.data_file is not None and _same(info.data_file, cohort)):
            return info
    return None


def _same(path: Path, cohort: Cohort) -> bool:
    try:
        return path.resolve() == Path(str(cohort.source)).resolve()
    except OSError:  # pragma: no cover - a path that cannot be resolved
        return False


def claims_for(cohort: Cohort, claims: ClaimSet | str | Path | None) -> ClaimSet:
    """The claims to verify: those given, or the claims file of the cohort's dataset.

    Raises
    ------
    ValueError
        If no claims are given and the cohort comes from no dataset with a claims file.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> len(claims_for(load_dataset("student1908_sleep"), None).claims) > 0
    True
    """
    if isinstance(claims, ClaimSet):
        return claims
    if claims is not None:
        return load_claims(claims)
    info = dataset_of(cohort)
    if info is None:
        raise ValueError(
            "this cohort comes from no dataset folder, so it has no claims file: pass claims="
        )
    if info.claims_file is None:
        raise ValueError(f"dataset {info.name!r} has no claims file: pass claims=")
    return load_claims(info.claims_file)


def _known(cohort: Cohort, *, numeric_only: bool = False) -> set[str]:
    known = {"change"}
    for spec in cohort.columns:
        if numeric_only and not spec.is_numeric:
            continue
        known.add(spec.name)
        known.add(spec.role.value)
    return known


def check_claims(claims: ClaimSet, cohort: Cohort) -> None:
    """Raise one :class:`ClaimsError` listing every claim the cohort cannot serve: variables
    it does not have, text where numbers are needed, and (for the dataset's own claims) a
    ``source`` its metadata does not list or, when it lists several, does not name.

    Examples
    --------
    >>> from cohort_reanalysis.cohort import load_dataset
    >>> cohort = load_dataset("student1908_sleep")
    >>> check_claims(claims_for(cohort, None), cohort)  # nothing to say
    """
    checks: list[Callable[[], None]] = [
        lambda: check_variables(claims, _known(cohort), numeric=_known(cohort, numeric_only=True))
    ]
    info = dataset_of(cohort)
    if info is not None and _own_claims(claims, info):
        checks.append(lambda: check_sources(claims, {s.id for s in info.sources}))
    problems: list[ClaimProblem] = []
    for check in checks:
        try:
            check()
        except ClaimsError as err:
            problems += err.problems
    if problems:
        order = {claim.id: i for i, claim in enumerate(claims.claims)}
        problems.sort(key=lambda p: order.get(p.claim_id or "", -1))
        raise ClaimsError.of(problems, file=None if claims.source is None else claims.source)


def _own_claims(claims: ClaimSet, info: DatasetInfo) -> bool:
    """Whether ``claims`` were read from the dataset's claims file (its metadata's sources
    then describe them; a claims file from elsewhere answers to no metadata)."""
    if claims.source is None or info.claims_file is None:
        return False
    try:
        return Path(claims.source).resolve() == info.claims_file.resolve()
    except OSError:  # pragma: no cover
        return False
