"""The Makefile's two commands each install what they need: ``make report`` the package and
its runtime dependencies only, ``make test`` the test extra too.

The installs themselves are slow and need the network, so the recipes are read from a dry
run (``make -n``, with ``.venv`` pointed at a temporary folder), and the report's own
commands are run here with every module of the test extra made unimportable: what the
report needs, the package's ``dependencies`` must give.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from cohort_reanalysis import list_datasets

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _dry_run(target: str, venv: Path) -> list[str]:
    """The commands ``make TARGET`` would run with ``.venv`` at ``venv``."""
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), target, f"VENV={venv}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in done.stdout.splitlines() if not line.startswith("make")]


def _installs(commands: list[str]) -> list[str]:
    """What each ``pip install`` of ``commands`` installs (its last argument)."""
    return [shlex.split(c)[-1] for c in commands if "pip install" in c and "--upgrade" not in c]


def test_report_installs_the_package_without_the_test_extra(tmp_path: Path) -> None:
    assert _installs(_dry_run("report", tmp_path / "venv")) == ["."]


def test_test_installs_the_test_extra(tmp_path: Path) -> None:
    assert _installs(_dry_run("test", tmp_path / "venv")) == [".[test]"]
    assert _installs(_dry_run("lint", tmp_path / "venv")) == [".[test]"]


def test_an_installed_test_extra_serves_the_report(tmp_path: Path) -> None:
    """After ``make test``, ``make report`` installs nothing: its recipe stamps both."""
    venv = tmp_path / "venv"
    test_recipe = _dry_run("test", venv)
    touch = next(c for c in test_recipe if c.startswith("touch "))
    stamps = shlex.split(touch)[1:]
    assert str(venv / "bin" / ".installed-package") in stamps
    (venv / "bin").mkdir(parents=True)
    for stamp in stamps:
        Path(stamp).touch()  # as the recipe does, after pyproject.toml
    assert _installs(_dry_run("report", venv)) == []
    assert _installs(_dry_run("test", venv)) == []


def _test_only_modules() -> set[str]:
    """Top-level modules of the test extra's distributions that no runtime dependency is."""
    tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower() for r in requirements}

    extras = project["optional-dependencies"]
    test_only = names(extras["test"]) | names(extras["docs"])  # the test extra holds docs
    test_only -= names(project["dependencies"]) | {project["name"]}
    by_module = packages_distributions()
    return {
        module
        for module, dists in by_module.items()
        if {d.lower() for d in dists} & test_only and not module.startswith("_")
    } | {"_pytest"}


_BLOCKER = """\
import importlib.abc
import sys

BLOCKED = {blocked!r}


class _TestExtraAbsent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}} (the test extra)", name=name)
        return None


sys.meta_path.insert(0, _TestExtraAbsent())
"""


@pytest.mark.slow
def test_the_report_runs_without_the_test_extra(tmp_path: Path) -> None:
    blocked = _test_only_modules()
    assert {"pytest", "hypothesis", "jsonschema", "sphinx"} <= blocked
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(_BLOCKER.format(blocked=sorted(blocked)))
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
        # Figure workers start afresh, so they read sitecustomize too.
        "COHORT_REANALYSIS_START_METHOD": "spawn",
    }
    probe = subprocess.run(
        [sys.executable, "-c", "import hypothesis"], env=env, capture_output=True, text=True
    )
    assert probe.returncode != 0 and "the test extra" in probe.stderr
    # The first case's commands (the others are the same command on other datasets; the test
    # below checks that every dataset has one).
    commands = [c for c in _dry_run("report", tmp_path / "venv") if "cohort-reanalysis " in c]
    commands = [c for c in commands if " matsuoka2025 " in c]
    assert len(commands) == 2, "make report runs no cohort-reanalysis command on matsuoka2025"
    for command in commands:
        args = shlex.split(command)
        assert args[0].endswith("/bin/cohort-reanalysis")
        done = subprocess.run(
            [sys.executable, "-m", "cohort_reanalysis", *args[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
    page = (tmp_path / "report" / "matsuoka2025.html").read_text(encoding="utf-8")
    assert "<h2>Figures</h2>" in page
    assert sorted(p.name for p in (tmp_path / "report" / "figures" / "matsuoka2025").glob("*.png"))


def test_the_report_covers_every_bundled_dataset(tmp_path: Path) -> None:
    commands = [c for c in _dry_run("report", tmp_path / "venv") if " verify " in c]
    html = {shlex.split(c)[2] for c in commands if "--format html" in c}
    assert html == set(list_datasets())
