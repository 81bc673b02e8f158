"""The specification search and the power simulation on a concurrent.futures.Executor.

Running on an executor must not change a single number: the search is deterministic, and the
simulation draws each task's stream from the seed (SeedSequence.spawn), never from the
executor. Checked with a real ProcessPoolExecutor(max_workers=2) (arguments and results
crossing process boundaries by pickle), a thread pool of several sizes (other chunkings),
and an in-process executor that round-trips every task through pickle and has no
``_max_workers`` (like Dask's ``client.get_executor()``).
"""

from __future__ import annotations

import inspect
import json
import multiprocessing
import pickle
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pytest

from cohort_reanalysis.cohort import Cohort, dataset_info, load_dataset
from cohort_reanalysis.verification._audit import Audit, verify
from cohort_reanalysis.verification._cohort_arrays import CohortArrays
from cohort_reanalysis.verification._search import search, search_all
from cohort_reanalysis.verification.claims import load_claims


class PicklingExecutor(Executor):
    """Runs each task here, after sending it and its result through pickle, as a remote
    executor would. Counts the tasks; has no ``_max_workers``."""

    def __init__(self) -> None:
        self.tasks = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        self.tasks += 1
        fn, args, kwargs = pickle.loads(pickle.dumps((fn, args, kwargs)))
        future: Future[Any] = Future()
        future.set_result(pickle.loads(pickle.dumps(fn(*args, **kwargs))))
        return future


@pytest.fixture(scope="module")
def process_pool() -> Iterator[ProcessPoolExecutor]:
    # "spawn": fresh interpreters, as on macOS and Windows, nothing inherited from the parent.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def _fingerprint(audit: Audit) -> str:
    """Every field of the JSON contract, plus the nearest values, at full precision."""
    doc = audit.to_dict()
    doc["nearest"] = [
        None if r.nearest is None else (repr(r.nearest.value), r.nearest.distance) for r in audit
    ]
    doc["recomputed_repr"] = [repr(r.recomputed) for r in audit]
    return json.dumps(doc, sort_keys=True, default=repr)


@pytest.fixture(scope="module")
def matsuoka() -> Cohort:
    return load_dataset("matsuoka2025")


@pytest.fixture(scope="module")
def serial_audit(matsuoka: Cohort) -> Audit:
    return verify(matsuoka)


def _resampled(n: int, seed: int) -> Cohort:
    """The Matsuoka table resampled to n rows: same columns, so the same claims apply."""
    base = load_dataset("matsuoka2025")
    frame = base.frame.sample(n=n, replace=True, random_state=seed).reset_index(drop=True)
    return Cohort.from_frame(
        frame, columns=list(base.columns), measure=base.measure, unit=base.unit
    )


# ----------------------------------------------------------------------------- verification


@pytest.mark.slow
def test_verify_on_process_pool_is_identical(matsuoka, serial_audit, process_pool):
    pooled = verify(matsuoka, executor=process_pool)
    assert _fingerprint(pooled) == _fingerprint(serial_audit)
    assert pooled.counts == serial_audit.counts
    assert len(pooled) == len(serial_audit) > 30


@pytest.mark.slow
def test_verify_other_cohort_and_rounding_on_process_pool(process_pool):
    cohort = _resampled(300, seed=3)
    claims = dataset_info("matsuoka2025").claims_file
    for rounding in ("up_or_down", "half_even"):
        serial = verify(cohort, claims, rounding=rounding)
        pooled = verify(cohort, claims, rounding=rounding, executor=process_pool)
        assert _fingerprint(pooled) == _fingerprint(serial)


@pytest.mark.parametrize("workers", [1, 2, 5])
def test_verify_on_thread_pools_of_any_size_is_identical(matsuoka, serial_audit, workers):
    with ThreadPoolExecutor(workers) as pool:
        assert _fingerprint(verify(matsuoka, executor=pool)) == _fingerprint(serial_audit)


def test_verify_on_pickling_executor_without_max_workers(matsuoka, serial_audit):
    ex = PicklingExecutor()
    assert _fingerprint(verify(matsuoka, executor=ex)) == _fingerprint(serial_audit)
    assert ex.tasks >= 1  # the work really went through the executor


def test_search_all_matches_search_claim_by_claim(matsuoka):
    claims_file = dataset_info("matsuoka2025").claims_file
    assert claims_file is not None
    claims = load_claims(claims_file).claims
    arrays = CohortArrays(matsuoka)
    found = search_all(claims, arrays, executor=PicklingExecutor())
    checkable = [c for c in claims if c.quantity is not None]
    assert list(found) == [c.id for c in checkable]
    fresh = CohortArrays(matsuoka)
    for c in checkable:
        one = search(c, fresh)
        got = found[c.id]
        assert repr(got.stated) == repr(one.stated)
        assert repr(got.best) == repr(one.best)
        assert repr(got.also) == repr(one.also)
        assert repr(got.nearest) == repr(one.nearest)
        assert got.reproducing == one.reproducing
        assert got.n_tried == one.n_tried


def test_search_all_with_nothing_to_search(matsuoka):
    arrays = CohortArrays(matsuoka)
    assert search_all([], arrays, executor=PicklingExecutor()) == {}


# ----------------------------------------------------------------------------- simulation


def _simulate_power() -> Any:
    from cohort_reanalysis.analyses._power import simulate_power

    if "executor" not in inspect.signature(simulate_power).parameters:
        pytest.skip("simulate_power has no executor keyword yet (patch pending)")
    return simulate_power


@pytest.mark.slow
@pytest.mark.parametrize("test", ["paired_t", "wilcoxon", "sign_flip"])
def test_power_on_process_pool_is_identical(test, process_pool):
    simulate_power = _simulate_power()
    kwargs = {"true_change": -0.4, "sd_change": 1.0, "n_sims": 2500, "test": test}
    kwargs["n_resamples"] = 199
    serial = simulate_power(30, seed=11, **kwargs)
    pooled = simulate_power(30, seed=11, executor=process_pool, **kwargs)
    assert pooled == serial
    assert pooled.n_rejected == serial.n_rejected and pooled.power == serial.power


@pytest.mark.parametrize("workers", [1, 3])
def test_power_on_thread_and_pickling_executors_is_identical(workers):
    simulate_power = _simulate_power()
    kwargs = {"true_change": 0.3, "sd_change": 1.2, "n_sims": 3001, "alternative": "greater"}
    serial = simulate_power(25, seed=5, **kwargs)
    with ThreadPoolExecutor(workers) as pool:
        assert simulate_power(25, seed=5, executor=pool, **kwargs) == serial
    ex = PicklingExecutor()
    assert simulate_power(25, seed=5, executor=ex, **kwargs) == serial
    assert ex.tasks == 4  # 3001 studies: tasks of 1000, 1000, 1000 and 1


def test_power_generator_seed_on_executor_is_identical():
    simulate_power = _simulate_power()
    kwargs = {"true_change": -0.5, "sd_change": 1.0, "n_sims": 2000, "test": "wilcoxon"}
    serial = simulate_power(20, seed=np.random.default_rng(9), **kwargs)
    pooled = simulate_power(
        20, seed=np.random.default_rng(9), executor=PicklingExecutor(), **kwargs
    )
    assert pooled.n_rejected == serial.n_rejected


def test_power_tasks_are_independent_spawned_streams():
    simulate_power = _simulate_power()
    ex = PicklingExecutor()
    seen: list[Any] = []
    submit = ex.submit

    def record(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        seen.append(args[1])  # the task's SeedSequence
        return submit(fn, *args, **kwargs)

    ex.submit = record  # type: ignore[method-assign]
    res = simulate_power(20, true_change=-0.5, sd_change=1.0, n_sims=4000, seed=1, executor=ex)
    assert len(seen) == 4
    assert all(isinstance(s, np.random.SeedSequence) for s in seen)
    assert len({s.spawn_key for s in seen}) == 4  # children of one root, all different
    assert len({repr(s.entropy) for s in seen}) == 1
    # Independent streams: the simulated power is within Monte Carlo error of the exact one.
    assert res.analytic_power is not None
    se = np.sqrt(res.analytic_power * (1 - res.analytic_power) / res.n_sims)
    assert abs(res.power - res.analytic_power) < 4 * se


def test_frame_of_pickled_table_round_trips(matsuoka):
    # The worker rebuilds the cohort from plain data; its arrays must equal the original's.
    from cohort_reanalysis.verification._search import _Table

    arrays = CohortArrays(matsuoka)
    rebuilt = pickle.loads(pickle.dumps(_Table.of(arrays))).arrays()
    assert rebuilt.row_sets == arrays.row_sets
    np.testing.assert_array_equal(rebuilt.rows, arrays.rows)
    for name in ("before", "after", "change", "dose", "followup", "age"):
        np.testing.assert_array_equal(rebuilt.values(name), arrays.values(name))
    pd.testing.assert_frame_equal(rebuilt.cohort.frame, matsuoka.frame)
