"""The documentation: every public name has a numpydoc docstring with an example, the API page
lists every public name, and the site builds with warnings as errors (``make docs``).

The examples themselves run as doctests: pytest collects the package with --doctest-modules.
"""

from __future__ import annotations

import importlib.util
import inspect
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cohort_reanalysis as cr

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"

# A string has no docstring of its own; the API page names it in its text.
# A string and tuples have no docstring of their own: docs/api.rst describes them in prose.
NOT_DOCUMENTED_BY_DOCSTRING = {
    "__version__",
    "DOSE_THRESHOLDS",
    "FOLLOWUP_BANDS",
    "SEVERITY_CUTOFFS",
}

# Public names whose docstring is not yet complete, each with what it lacks today (none now:
# every public name is complete, and a new one must be). Should one be listed, the test fails
# while it still lacks something other than what is listed, and as soon as it is complete.
INCOMPLETE_DOCSTRINGS: dict[str, str] = {}

PUBLIC = sorted(set(cr.__all__) - NOT_DOCUMENTED_BY_DOCSTRING)


def _missing_sections(name: str) -> list[str]:
    """The numpydoc sections the docstring of ``cr.<name>`` lacks, in numpydoc's order.

    Every name needs a summary and an Examples section with a doctest; a function also needs
    Parameters naming each of its parameters, and Returns unless it returns None.
    """
    from numpydoc.docscrape import NumpyDocString

    obj = getattr(cr, name)
    raw = obj.__doc__
    if not raw or not raw.strip():
        return ["docstring"]
    doc = NumpyDocString(inspect.cleandoc(raw))
    missing = []
    if not "".join(doc["Summary"]).strip():
        missing.append("Summary")
    if inspect.isfunction(obj):
        signature = inspect.signature(obj)
        wanted = {
            p.name
            for p in signature.parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        }
        # numpydoc documents several parameters in one entry: "x, y : float".
        documented = {part.strip() for p in doc["Parameters"] for part in p.name.split(",")}
        if wanted - documented:
            missing.append("Parameters")
        if signature.return_annotation not in (None, "None") and not (
            doc["Returns"] or doc["Yields"]
        ):
            missing.append("Returns")
    if not any(line.lstrip().startswith(">>>") for line in doc["Examples"]):
        missing.append("Examples")
    return missing


numpydoc_installed = pytest.mark.skipif(
    importlib.util.find_spec("numpydoc") is None,
    reason="numpydoc is not installed (the docs extra, Python 3.11+)",
)


@numpydoc_installed
@pytest.mark.parametrize("name", PUBLIC)
def test_public_name_has_a_numpydoc_docstring_with_an_example(name: str) -> None:
    missing = _missing_sections(name)
    if name in INCOMPLETE_DOCSTRINGS:
        assert missing, (
            f"cr.{name}'s docstring is complete now: delete it from INCOMPLETE_DOCSTRINGS"
        )
        assert ", ".join(missing) == INCOMPLETE_DOCSTRINGS[name], (
            f"cr.{name} lacks {missing}; INCOMPLETE_DOCSTRINGS says "
            f"{INCOMPLETE_DOCSTRINGS[name]!r}: update that line"
        )
    else:
        assert not missing, f"cr.{name}'s docstring lacks: {', '.join(missing)}"


def test_incomplete_docstrings_lists_only_public_names() -> None:
    assert set(INCOMPLETE_DOCSTRINGS) <= set(PUBLIC)


def test_the_api_page_lists_every_public_name_once() -> None:
    text = (DOCS / "api.rst").read_text(encoding="utf-8")
    listed: list[str] = []
    for block in re.split(r"^\.\. autosummary::\n", text, flags=re.M)[1:]:
        for line in block.splitlines()[1:]:
            if line.startswith("   ") and not line.strip().startswith(":"):
                listed.append(line.strip())
            elif line.strip() and not line.startswith("   "):
                break
    assert sorted(listed) == PUBLIC, set(listed) ^ set(PUBLIC)


def test_the_included_pages_exist() -> None:
    """The site includes these rather than copying them; a move must update docs/."""
    for page in ("changelog.md", "contributing.md"):
        include = re.search(r"```\{include\} (\S+)", (DOCS / page).read_text(encoding="utf-8"))
        assert include, page
        assert (DOCS / include.group(1)).resolve().is_file(), include.group(1)
    notebooks = (DOCS / "notebooks").resolve()
    assert notebooks == REPO / "notebooks", notebooks
    listed = set(re.findall(r"notebooks/(\w+)", (DOCS / "notebooks.md").read_text("utf-8")))
    assert listed == {p.stem for p in notebooks.glob("*.ipynb")}, listed


BUILD_TIME_LIMIT = 300.0  # seconds; about 40 s on an idle 2-core machine


@pytest.mark.slow
def test_the_site_builds_without_warnings(tmp_path: Path) -> None:
    for module in ("sphinx", "pydata_sphinx_theme", "numpydoc", "myst_parser", "myst_nb"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed (the docs extra, Python 3.11+)")
    out = tmp_path / "html"
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")}
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-q"]
    command += ["-d", str(tmp_path / "doctrees"), str(DOCS), str(out)]
    start = time.perf_counter()
    build = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp_path)
    elapsed = time.perf_counter() - start
    assert build.returncode == 0, build.stderr[-5000:]
    assert elapsed < BUILD_TIME_LIMIT, f"the site took {elapsed:.0f} s"

    for name in PUBLIC:
        assert (out / "api" / f"cohort_reanalysis.{name}.html").is_file(), name
    # The notebooks were executed: their figures and printed outputs are on the pages.
    for notebook in (REPO / "notebooks").glob("*.ipynb"):
        page = (out / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        assert 'class="cell_output' in page, notebook.name
        assert "<img" in page, notebook.name
    for page in ("getting-started", "guide-analyst", "guide-reviewer", "guide-teacher"):
        assert 'class="cell_output' in (out / f"{page}.html").read_text("utf-8"), page
    changelog = (out / "changelog.html").read_text(encoding="utf-8")
    assert "Unreleased" in changelog
