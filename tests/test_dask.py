"""A real Dask cluster: a ``distributed.LocalCluster`` of two worker processes.

``verify``, the corpus run (``verify_corpus`` and ``verify A B --executor dask://HOST:PORT``),
the multiverse and ``simulate_power`` on ``client.get_executor()`` give exactly the results of
the local run (tasks and results cross process boundaries by pickle, through
Dask's scheduler), and the README's Dask example runs as printed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path

import pandas as pd
import pytest

from cohort_reanalysis import (
    dataset_info,
    load_dataset,
    multiverse,
    simulate_power,
    verify,
    verify_corpus,
)

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")

README = Path(__file__).resolve().parents[1] / "README.md"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def executor(cluster: object) -> Iterator[Executor]:
    with distributed.Client(cluster) as client:
        yield client.get_executor()


def test_verify_corpus_on_dask_is_identical(executor: Executor) -> None:
    targets = [dataset_info("matsuoka2025").folder.parent, "no_such_dataset"]
    local = verify_corpus(targets)
    assert local.counts["failed"] == 1
    assert verify_corpus(targets, executor=executor) == local


def test_verify_a_corpus_with_executor_dask_is_identical(
    cluster: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from cohort_reanalysis.presentation._cli import main

    bundled = str(dataset_info("matsuoka2025").folder.parent)
    assert main(["verify", bundled, "--format", "json"]) == 0
    local = capsys.readouterr().out
    address = cluster.scheduler_address  # type: ignore[attr-defined]
    assert address.startswith("tcp://")
    spec = "dask://" + address.removeprefix("tcp://")
    assert main(["verify", bundled, "--format", "json", "--executor", spec]) == 0
    assert capsys.readouterr().out == local


def test_verify_on_dask_is_identical(executor: Executor) -> None:
    cohort = load_dataset("matsuoka2025")
    assert verify(cohort, executor=executor).to_dict() == verify(cohort).to_dict()


def test_multiverse_on_dask_is_identical(executor: Executor) -> None:
    cohort = load_dataset("matsuoka2025")
    pd.testing.assert_frame_equal(multiverse(cohort, executor=executor), multiverse(cohort))


def test_simulate_power_on_dask_is_identical(executor: Executor) -> None:
    kwargs = {"true_change": -0.3, "sd_change": 1.0, "n_sims": 4001, "seed": 3}
    assert simulate_power(30, executor=executor, **kwargs) == simulate_power(30, **kwargs)


def test_the_readme_dask_example_runs_as_printed() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    (example,) = [b for b in blocks if "dask.distributed" in b]
    namespace: dict[str, object] = {}
    exec(compile(example, str(README), "exec"), namespace)  # our own README, not user data
    local = verify(load_dataset("matsuoka2025"))
    assert namespace["audit"].to_dict() == local.to_dict()  # type: ignore[attr-defined]
    assert len(namespace["frame"]) == len(multiverse(load_dataset("matsuoka2025")))  # type: ignore[arg-type]
    assert namespace["power"] == simulate_power(  # type: ignore[comparison-overlap]
        58, true_change=-0.3, sd_change=1.0, n_sims=20_000, seed=1
    )
