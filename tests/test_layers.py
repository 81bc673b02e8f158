"""The layer contract: no module of the package imports from a layer above its own.

Layers, bottom to top (docs/architecture.md):

    0  leaf modules cohort_reanalysis/_*.py (_atomic, _format, _html, _version)
    1  cohort_reanalysis.cohort
    2  cohort_reanalysis.analyses
    3  cohort_reanalysis.verification
    4  cohort_reanalysis.drafting
    5  cohort_reanalysis.presentation
    6  cohort_reanalysis/__init__.py and __main__.py (the public API and ``python -m``)

Every module is parsed with :mod:`ast`, so imports inside functions, under ``TYPE_CHECKING``
and in ``importlib.import_module("...")`` calls with a literal name count as much as those at
the top. An import from a higher layer fails the test unless :data:`ALLOWED` names it with
the reason it is harmless.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "cohort_reanalysis"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

LAYERS: tuple[str, ...] = (
    "leaf",
    "cohort",
    "analyses",
    "verification",
    "drafting",
    "presentation",
    "api",
)
_SUBPACKAGE_LAYER = {
    "cohort": 1,
    "analyses": 2,
    "verification": 3,
    "drafting": 4,
    "presentation": 5,
}

#: (importer, imported, why it is harmless). Module names are dotted; an entry allows the
#: importer to import the imported module or anything inside it.
ALLOWED: tuple[tuple[str, str, str], ...] = (
    (
        "cohort_reanalysis.verification._audit",
        "cohort_reanalysis.presentation._repr",
        "Audit and SummaryAudit's str() and Jupyter repr delegate, inside the method, to the "
        "one renderer of audits",
    ),
    (
        "cohort_reanalysis.verification._verdict",
        "cohort_reanalysis.presentation._repr",
        "ClaimResult's str() and Jupyter repr delegate, inside the method, to the one renderer "
        "of audits",
    ),
)


@dataclass(frozen=True)
class Violation:
    importer: str
    imported: str
    line: int

    def __str__(self) -> str:
        return (
            f"{self.importer} (layer {layer_name(self.importer)}) imports {self.imported} "
            f"(layer {layer_name(self.imported)}) at line {self.line}"
        )


def layer_of(module: str, package: str = PACKAGE) -> int | None:
    """The layer number of a dotted module name of ``package``; None outside the package.

    >>> layer_of("cohort_reanalysis._format"), layer_of("cohort_reanalysis.analyses._paired")
    (0, 2)
    >>> layer_of("cohort_reanalysis"), layer_of("cohort_reanalysis.__main__"), layer_of("numpy")
    (6, 6, None)
    """
    parts = module.split(".")
    if parts[0] != package:
        return None
    if len(parts) == 1 or parts[1] == "__main__":
        return 6
    if parts[1] in _SUBPACKAGE_LAYER:
        return _SUBPACKAGE_LAYER[parts[1]]
    return 0  # a top-level leaf module (_format, _html, _version, ...)


def layer_name(module: str) -> str:
    layer = layer_of(module)
    return "?" if layer is None else f"{layer} ({LAYERS[layer]})"


def module_name(path: Path, root: Path, package: str) -> str:
    """The dotted name of a file under the package folder ``root``."""
    rel = path.relative_to(root).with_suffix("")
    parts = [package, *rel.parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str | None, level: int, importer: str, is_package: bool) -> str:
    """The absolute name of ``from <level dots><module> import ...`` inside ``importer``."""
    if level == 0:
        return module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]  # a module's own package is one level up; a package's is itself
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, module] if module else base)


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def imports_of(
    tree: ast.AST, importer: str, *, is_package: bool, modules: set[str]
) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import in ``tree``, at any depth.

    ``from X import name`` counts as an import of ``X.name`` when that is a module of the
    package (``from .. import _html``), else of ``X``. ``import_module("name", package)``
    counts when the name is a literal (the package may be a literal or ``__name__``).
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module, node.level, importer, is_package)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in modules else base), node.lineno
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name not in ("import_module", "__import__") or not node.args:
                continue
            target = _literal(node.args[0])
            if target is None:
                continue  # a computed name: the test cannot know it (see _LAZY's own test)
            package_arg = node.args[1] if len(node.args) > 1 else None
            for kw in node.keywords:
                if kw.arg == "package":
                    package_arg = kw.value
            if target.startswith("."):
                anchor = _anchor(package_arg, importer, is_package)
                if anchor is None:
                    continue
                level = len(target) - len(target.lstrip("."))
                # importlib treats its ``package`` argument as a package, whatever it names.
                target = _resolve(target[level:] or None, level, anchor, True)
            yield target, node.lineno


def _anchor(arg: ast.expr | None, importer: str, is_package: bool) -> str | None:
    """The package a relative ``import_module`` name is resolved against, if known."""
    if isinstance(arg, ast.Name) and arg.id == "__name__":
        return importer
    if isinstance(arg, ast.Name) and arg.id == "__package__":
        return importer if is_package else importer.rpartition(".")[0]
    return _literal(arg)


def package_modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package under ``root``: dotted name -> file."""
    return {module_name(p, root, package): p for p in sorted(root.rglob("*.py"))}


def _allowed(importer: str, imported: str, allowed: tuple[tuple[str, str, str], ...]) -> bool:
    return any(
        importer == a and (imported == b or imported.startswith(b + ".")) for a, b, _ in allowed
    )


def check_layers(
    root: Path = ROOT,
    package: str = PACKAGE,
    allowed: tuple[tuple[str, str, str], ...] = ALLOWED,
) -> list[Violation]:
    """Every import of a module from a higher layer than its importer's, not in ``allowed``."""
    modules = package_modules(root, package)
    names = set(modules)
    found: list[Violation] = []
    for importer, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        own = layer_of(importer, package)
        assert own is not None
        for imported, line in imports_of(
            tree, importer, is_package=path.name == "__init__.py", modules=names
        ):
            theirs = layer_of(imported, package)
            if theirs is None or theirs <= own or _allowed(importer, imported, allowed):
                continue
            found.append(Violation(importer, imported, line))
    return found


def used_allowances(root: Path = ROOT, package: str = PACKAGE) -> set[tuple[str, str]]:
    """The (importer, imported) entries of :data:`ALLOWED` that some import still needs."""
    needed = check_layers(root, package, allowed=())
    return {
        (a, b)
        for a, b, _ in ALLOWED
        if any(v.importer == a and _allowed(v.importer, v.imported, ((a, b, ""),)) for v in needed)
    }


# ----------------------------------------------------------------------------- the package


def test_no_module_imports_from_a_higher_layer() -> None:
    violations = check_layers()
    assert not violations, "upward imports:\n" + "\n".join(f"  {v}" for v in violations)


def test_every_module_of_the_package_is_checked() -> None:
    modules = package_modules(ROOT, PACKAGE)
    assert f"{PACKAGE}.verification._audit" in modules
    assert f"{PACKAGE}.presentation._cli" in modules
    assert all(layer_of(name) is not None for name in modules)
    # Each layer has modules, so a renamed folder cannot silently drop out of the contract.
    assert {layer_of(name) for name in modules} == set(range(len(LAYERS)))


def test_every_allowance_is_needed_and_explained() -> None:
    for importer, imported, reason in ALLOWED:
        assert reason.strip(), (importer, imported)
        assert (importer, imported) in used_allowances(), (
            f"ALLOWED has ({importer}, {imported}) but no such import remains: remove it"
        )


# ----------------------------------------------------------------------------- the checker


def _tree(tmp_path: Path, files: Mapping[str, str]) -> Path:
    """A synthetic package ``pkg`` under tmp_path with the given files."""
    root = tmp_path / "pkg"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


_CLEAN = {
    "__init__.py": "from .presentation import show\n",
    "_format.py": "import math\n",
    "cohort/__init__.py": "from .._format import math\n",
    "analyses/__init__.py": "from ..cohort import x\n",
    "verification/__init__.py": "from ..analyses import y\n",
    "presentation/__init__.py": "from ..verification import z\n",
}


def test_a_clean_tree_passes(tmp_path: Path) -> None:
    assert check_layers(_tree(tmp_path, _CLEAN), "pkg", ()) == []


@pytest.mark.parametrize(
    ("rel", "text", "imported"),
    [
        # top level, relative
        ("cohort/_io.py", "from ..analyses import _paired\n", "pkg.analyses"),
        # inside a function, absolute
        (
            "analyses/_paired.py",
            "def f():\n    import pkg.verification._v\n",
            "pkg.verification._v",
        ),
        # under TYPE_CHECKING, from a subpackage's __init__
        (
            "verification/__init__.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from ..presentation._json import render\n",
            "pkg.presentation._json",
        ),
        # a leaf module reaching up
        ("_html.py", "from .cohort import Cohort\n", "pkg.cohort"),
        # ``from .. import name`` where the name is the package's __init__ (the API layer)
        ("cohort/_spec.py", "from .. import show\n", "pkg"),
        # ``from .. import module`` where the name is a module above
        ("analyses/_dose.py", "from .. import presentation\n", "pkg.presentation"),
        # import_module with a literal name, absolute and relative to __name__
        (
            "analyses/_rtm.py",
            "import importlib\ndef f():\n    importlib.import_module('pkg.presentation')\n",
            "pkg.presentation",
        ),
        (
            "cohort/_units.py",
            "from importlib import import_module\n"
            "m = import_module('..verification._v', __package__)\n",
            "pkg.verification._v",
        ),
    ],
)
def test_an_upward_import_is_reported(tmp_path: Path, rel: str, text: str, imported: str) -> None:
    root = _tree(tmp_path, {**_CLEAN, rel: text})
    violations = check_layers(root, "pkg", ())
    assert [(v.importer, v.imported) for v in violations] == [
        (module_name(root / rel, root, "pkg"), imported)
    ]
    assert "imports" in str(violations[0]) and f"line {text.count(chr(10))}" in str(violations[0])


def test_an_allowance_names_one_importer_and_one_imported_module(tmp_path: Path) -> None:
    files = {
        **_CLEAN,
        "verification/_audit.py": "def r():\n    from ..presentation._text import t\n",
        "verification/_verdict.py": "def r():\n    from ..presentation._text import t\n",
    }
    root = _tree(tmp_path, files)
    allowed = (("pkg.verification._audit", "pkg.presentation._text", "a lazy repr"),)
    violations = check_layers(root, "pkg", allowed)
    assert [v.importer for v in violations] == ["pkg.verification._verdict"]
