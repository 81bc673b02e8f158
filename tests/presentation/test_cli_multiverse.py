"""``verify NAME --multiverse FILE.csv``: the multiverse frame as CSV (written atomically, at
full precision), the report unchanged but for the specification curves of an HTML report."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from cohort_reanalysis import load_dataset, multiverse
from cohort_reanalysis.presentation._cli import main
from cohort_reanalysis.presentation._cli_multiverse import CURVES, moving_claims

Capture = pytest.CaptureFixture[str]
NAME = "student1908_sleep"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return multiverse(load_dataset(NAME))


def test_the_csv_is_the_multiverse_frame(
    capsys: Capture, tmp_path: Path, frame: pd.DataFrame
) -> None:
    target = tmp_path / "out" / "multiverse.csv"
    assert main(["verify", NAME, "--multiverse", str(target)]) == 0
    with_multiverse = capsys.readouterr().out
    assert main(["verify", NAME]) == 0
    assert capsys.readouterr().out == with_multiverse  # the report itself is unchanged
    read = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert list(read.columns) == [
        *[c for c in frame.columns if c not in ("value", "reproduces", "departures", "failure")],
        "value",
        "value_2",
        "reproduces",
        "departures",
        "failure",
    ]
    assert len(read) == len(frame)
    for (_, row), value in zip(read.iterrows(), frame["value"], strict=True):
        pair = value if isinstance(value, tuple) else (value, math.nan)
        for text, number in zip((row["value"], row["value_2"]), pair, strict=True):
            assert (text == "") if math.isnan(number) else (float(text) == number)  # exact
    assert read["reproduces"].tolist() == [str(b) for b in frame["reproduces"]]
    assert read["claim"].tolist() == frame["claim"].tolist()


def test_the_html_report_shows_the_curves_of_the_claims_that_move_most(
    capsys: Capture, tmp_path: Path, frame: pd.DataFrame
) -> None:
    assert main(["verify", NAME, "--format", "html", "--multiverse", str(tmp_path / "m.csv")]) == 0
    page = capsys.readouterr().out
    top = moving_claims(frame)
    assert 0 < len(top) <= CURVES
    for claim in top:
        assert f'alt="specification curve of {claim}"' in page
    assert page.count("data:image/png;base64,") == len(top)
    assert main(["verify", NAME, "--format", "html"]) == 0
    assert "specification curve" not in capsys.readouterr().out


def test_moving_claims_rank_by_range_over_the_stated_value() -> None:
    rows = []
    # a: stated 10, range 9..12 -> 0.3; b: stated 1, range 0.5..1.5 -> 1.0; c: does not move;
    # d: stated 0, range -1..1 -> scaled by its largest magnitude, 1 -> 2.0
    for claim, values in {
        "a": [10.0, 9.0, 12.0],
        "b": [1.0, 0.5, 1.5],
        "c": [3.0, 3.0, 3.0],
        "d": [0.0, -1.0, 1.0],
    }.items():
        for i, v in enumerate(values):
            rows.append(
                {"claim": claim, "value": v, "reproduces": i == 0, "departures": i, "failure": None}
            )
    toy = pd.DataFrame(rows)
    assert moving_claims(toy, k=3) == ["d", "b", "a"]
    assert moving_claims(toy, k=10) == ["d", "b", "a"]  # "c" never moves


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([NAME, "--multiverse", "m.json"], "--multiverse m.json: the file must end in .csv"),
        (["meta_t1dm_2025", "--multiverse", "m.csv"], "has no patient table"),
        ([NAME, "student1908_sleep", "--multiverse", "m.csv"], "--multiverse: for one dataset"),
    ],
)
def test_bad_multiverse_requests_are_one_line(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["verify", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err
    assert len(captured.err.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())  # nothing written
