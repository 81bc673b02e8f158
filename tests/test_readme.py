"""The README's first Python example runs as printed, so the documentation cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "the README has no Python example"
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(README), "exec"), namespace)  # our own README, not user data
    audit = namespace["audit"]
    assert sum(audit.counts.values()) == len(audit.results)  # type: ignore[attr-defined]
