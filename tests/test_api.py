"""The public surface: a sorted, complete __all__, and `import kg` stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import kg

from .conftest import ROOT


def test_all_is_sorted_and_complete() -> None:
    assert kg.__all__ == sorted(kg.__all__)
    public = {n for n in dir(kg)  # dir: the names imported on first use too
              if not n.startswith("_") and not isinstance(getattr(kg, n), type(kg))}
    public -= {"annotations"}
    assert public == set(kg.__all__)
    missing = [name for name in kg.__all__ if getattr(kg, name, None) is None]
    assert not missing


def test_a_command_that_does_not_draw_or_validate_loads_no_heavy_library() -> None:
    """``kg conflicts`` on the warm store: no pySHACL, matplotlib, networkx, rdflib's SPARQL
    engine or web framework is imported (they cost most of a warm command's start-up)."""
    code = (
        "import sys\n"
        "from kg.cli import main\n"
        "try:\n    main(['conflicts', '--format', 'json'])\n"
        "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "heavy = ('matplotlib', 'networkx', 'pyshacl', 'rdflib.plugins.sparql', 'jinja2',"
        " 'starlette')\n"
        "print(sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT)
    assert out.stderr.strip().splitlines()[-1] == "[]"
    assert json.loads(out.stdout)[0]["id"] == "litigation:symantec@openstack-foundation"


def test_import_does_not_load_heavy_libraries() -> None:
    code = ("import sys, kg; "
            "print(sorted(m for m in ('matplotlib', 'networkx', 'pyshacl') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_readme_python_example_runs(repo_root) -> None:  # type: ignore[no-untyped-def]
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    block = text.split("```python\n", 1)[1].split("```", 1)[0]
    out = subprocess.run([sys.executable, "-c", block], cwd=repo_root, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "Clouding IP" in out.stdout
