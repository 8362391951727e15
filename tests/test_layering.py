"""The domain library stays plain Python: no module of casb_pipeline imports Dagster.

Only the commands of ``cli.py`` that run assets import it, inside the commands.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import casb_pipeline


def test_no_casb_pipeline_module_imports_dagster() -> None:
    modules = [
        info.name
        for info in pkgutil.walk_packages(casb_pipeline.__path__, "casb_pipeline.")
        if not info.name.endswith("__main__")
    ]
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'dagster' or m.startswith('dagster.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert len(modules) > 50
    assert result.stdout.strip() == "[]"
