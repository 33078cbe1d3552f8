"""``python -m kg.tabular FILE…``: rewrite the column reference embedded in Markdown files."""

from __future__ import annotations

import sys
from pathlib import Path

from .docs import update_file

for name in sys.argv[1:]:
    print(f"{name}: {'updated' if update_file(Path(name)) else 'up to date'}")
