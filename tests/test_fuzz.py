"""Property-based fuzzing of everything a user feeds kg (issue 9): RDF in every syntax kg reads,
CSV files for ingest, and query parameters. Each generated input goes to the real command line
and must give exit 0, 1 or 2, no traceback, an error naming the file and its line or row,
nothing written on failure, no network connection and no hang (see ``tests/fuzzing.py``).

Bounded and seeded here (``derandomize``: the same inputs every run, about a minute in all);
``make fuzz`` runs the same checks on thousands of inputs and writes ``bench/FUZZ.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from . import fuzzing

EXAMPLES = 15
BOUNDED = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, fuzzing.Listener]]:
    with fuzzing.fuzz_project(tmp_path_factory.mktemp("fuzz")) as made:
        yield made


@pytest.mark.parametrize("kind", ["turtle", "ntriples", "nquads", "trig", "jsonld"])
def test_rdf_files(kind: str, project: tuple[Path, fuzzing.Listener]) -> None:
    root, listener = project

    @BOUNDED
    @given(data=fuzzing.rdf_documents(kind, listener.url), in_data=st.booleans())
    def check(data: bytes, in_data: bool) -> None:
        outcome, problems = fuzzing.check_rdf(root, kind, data, listener, in_data=in_data)
        assert not problems, (problems, data[:500])

    check()


def test_csv_files(project: tuple[Path, fuzzing.Listener]) -> None:
    root, listener = project

    @BOUNDED
    @given(fuzzing.csv_files())
    def check(file: tuple[str, bytes]) -> None:
        outcome, problems = fuzzing.check_csv(root, *file, listener)
        assert not problems, (problems, file)

    check()


def test_query_parameters(project: tuple[Path, fuzzing.Listener]) -> None:
    root, listener = project

    @BOUNDED
    @given(fuzzing.query_params(), st.sampled_from(["oxigraph", "memory"]))
    def check(case: tuple[str, str, str, str], store: str) -> None:
        outcome, problems = fuzzing.check_param(root, *case, listener, store=store)
        assert not problems, (problems, case)

    check()
