"""The console examples of the documentation, as runnable steps (tests/test_docs.py runs them).

A ```` ```console ```` block holds commands (``$ kg conflicts``, a ``\\`` ends a line that goes
on) each followed by the output it prints. In the output, a line that is only ``…`` stands for
any number of lines and a ``…`` inside a line for any text; a command shown without output must
succeed. A block right after ``<!-- docs: not run (why) -->`` is left alone (a server, an
install, the network). The blocks of one document run in order in one copy of the project, so a
later block sees what an earlier one ingested.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

NOT_RUN = re.compile(r"<!--\s*docs:\s*not run\b")
ELLIPSIS = "…"


@dataclass
class Step:
    """One command of a document and the output shown under it."""

    doc: str
    line: int          # 1-based line of the command in the document
    command: str
    expected: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"

    def argv(self) -> list[str]:
        return shlex.split(self.command, comments=True)


def steps(path: Path, name: str) -> list[Step]:
    """The runnable steps of the document at ``path`` (shown as ``name`` in failures)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[Step] = []
    i, skip = 0, False
    while i < len(lines):
        text = lines[i]
        if NOT_RUN.search(text):
            skip = True
        elif text.strip() == "```console":
            body_start = i + 1
            i += 1
            block: list[str] = []
            while i < len(lines) and lines[i].strip() != "```":
                block.append(lines[i])
                i += 1
            if not skip:
                out += _block_steps(block, body_start, name)
            skip = False
        elif text.strip() and not text.lstrip().startswith("<!--"):
            skip = False  # a marker belongs to the block right after it
        i += 1
    return out


def _block_steps(block: list[str], first: int, name: str) -> list[Step]:
    found: list[Step] = []
    j = 0
    while j < len(block):
        text = block[j]
        if text.startswith("$ "):
            line = first + j + 1
            command = text[2:]
            while command.rstrip().endswith("\\") and j + 1 < len(block):
                j += 1
                command = command.rstrip()[:-1] + " " + block[j].strip()
            found.append(Step(name, line, command))
        elif found:
            found[-1].expected.append(text)
        j += 1
    return found


def _line_pattern(expected: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in expected.rstrip().split(ELLIPSIS)]
    return re.compile(".*".join(parts) + r"\Z", re.DOTALL)


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` lines are what ``expected`` shows (``…`` as described above)."""
    want = [w.rstrip() for w in expected]
    got = [a.rstrip() for a in actual]
    while want and not want[-1]:
        want.pop()
    while got and not got[-1]:
        got.pop()

    def match(w: int, g: int) -> bool:
        if w == len(want):
            return g == len(got)
        if want[w].strip() == ELLIPSIS:
            return any(match(w + 1, k) for k in range(g, len(got) + 1))
        return g < len(got) and bool(_line_pattern(want[w]).match(got[g])) and \
            match(w + 1, g + 1)

    return match(0, 0)
