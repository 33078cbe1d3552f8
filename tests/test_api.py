"""The public surface: a sorted, complete __all__, and `import kg` stays light."""

from __future__ import annotations

import subprocess
import sys

import kg


def test_all_is_sorted_and_complete() -> None:
    assert kg.__all__ == sorted(kg.__all__)
    public = {n for n in dir(kg)  # dir: the names imported on first use too
              if not n.startswith("_") and not isinstance(getattr(kg, n), type(kg))}
    public -= {"annotations"}
    assert public == set(kg.__all__)


def test_import_does_not_load_heavy_libraries() -> None:
    code = "import sys, kg; print(sorted(m for m in ('matplotlib', 'networkx', 'pyshacl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_readme_python_example_runs(repo_root) -> None:  # type: ignore[no-untyped-def]
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    block = text.split("```python\n", 1)[1].split("```", 1)[0]
    out = subprocess.run([sys.executable, "-c", block], cwd=repo_root, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "Clouding IP" in out.stdout
