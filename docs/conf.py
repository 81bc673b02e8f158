"""Sphinx configuration of the documentation site (``make docs``).

The site is built from the Markdown pages in this folder (MyST), the changelog and the
contributing guide at the repository root (included, not copied), the notebooks (``notebooks``
here is a symbolic link to the repository's ``notebooks/``), executed at build time because
they are stored without outputs, and the API reference generated from the docstrings
(autosummary, numpydoc). Everything is local: no inventory or theme asset is fetched.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Document the package of this checkout, also when it is not installed, here and in the
# notebooks' kernels (which inherit the environment).
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = os.pathsep.join(
    p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p
)
# The notebooks run on this interpreter, whatever "python3" kernel or "python" is first on
# PATH: a kernel spec written here (as tests/test_notebooks.py does) is the only one they use.
_KERNELS = Path(tempfile.mkdtemp(prefix="cohort-reanalysis-docs-"))
atexit.register(shutil.rmtree, _KERNELS, ignore_errors=True)
KERNEL = "cohort-reanalysis-docs"
(_KERNELS / "kernels" / KERNEL).mkdir(parents=True)
(_KERNELS / "kernels" / KERNEL / "kernel.json").write_text(
    json.dumps(
        {
            # frozen modules off: otherwise Python 3.11+ warns about the debugger on stderr
            "argv": [
                sys.executable,
                "-Xfrozen_modules=off",
                "-m",
                "ipykernel_launcher",
                "-f",
                "{connection_file}",
            ],
            "display_name": "cohort_reanalysis docs",
            "language": "python",
        }
    ),
    encoding="utf-8",
)
os.environ["JUPYTER_PATH"] = os.pathsep.join(
    p for p in (str(_KERNELS), os.environ.get("JUPYTER_PATH")) if p
)
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
# Figures are drawn without a display.
os.environ.setdefault("MPLBACKEND", "Agg")

import cohort_reanalysis  # noqa: E402

project = "cohort_reanalysis"
author = "cohort_reanalysis developers"
copyright = "2025, cohort_reanalysis developers"
release = cohort_reanalysis.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_nb",  # also registers myst_parser for the .md pages
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "_templates", "schemas", "figures", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

# MyST: heading anchors so pages can link to sections; ```{directive} fences.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# Notebooks: executed on every build, each cell within a time limit, any error or any output on
# stderr (a warning) fails the build, as in tests/test_notebooks.py.
nb_execution_mode = "force"
nb_execution_timeout = 60
nb_execution_raise_on_error = True
nb_execution_in_temp = True
nb_output_stderr = "warn"
nb_merge_streams = True
nb_kernel_rgx_aliases = {".*": KERNEL}

# API reference: one page per public name, written by autosummary into api/ at build time.
autosummary_generate = True
autosummary_imported_members = True
autodoc_typehints = "none"  # the numpydoc sections say the types; signatures stay short
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

html_theme = "pydata_sphinx_theme"
html_title = f"cohort_reanalysis {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_static_path: list[str] = []
html_last_updated_fmt = None

# The claims format shows JSON with placeholders (``CLAIM, ...``); Pygments then highlights it
# in its relaxed mode, which is what we want.
suppress_warnings = ["misc.highlighting_failure"]

# Cross-references are checked (``-n``). No inventory of another project is fetched, so
# references to numpy, pandas, scipy, matplotlib and the standard library stay plain text.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(numpy|pandas|scipy|matplotlib|concurrent|pathlib|collections|typing)(\..*)?"),
]
# Private helpers that public docstrings name with :func: / :meth:. They have no page of their
# own; writing them as ``literal`` in those docstrings would let this list go.
nitpick_ignore = [
    ("py:func", "round_value"),  # verification/_reported.py: round_to_text, module docstring
    ("py:func", "parse_reported"),  # verification/_reported.py: round_to_text
    ("py:func", "parse_number"),  # verification/_reported.py: interval
    ("py:meth", "AuditSummary.of"),  # presentation/figures/_audit.py: plot_audit
]

PUBLIC = frozenset(cohort_reanalysis.__all__)


def _resolve_private_path(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Send ``cohort_reanalysis._private.module.Name`` to the page of ``cohort_reanalysis.Name``.

    Docstrings name public objects by the module that defines them; the site documents each
    once, under the package, where users import it from.
    """
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith("cohort_reanalysis."):
        return None
    parts = target.split(".")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] in PUBLIC:
            public = ".".join(["cohort_reanalysis", *parts[i:]])
            break
    else:
        return None
    if public == target:
        return None
    domain = env.get_domain("py")
    node["reftarget"] = public
    return domain.resolve_xref(
        env, node.get("refdoc"), app.builder, node["reftype"], public, node, contnode
    )


def setup(app: Any) -> None:
    app.connect("missing-reference", _resolve_private_path)
