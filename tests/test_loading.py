"""Files are parsed with errors that name the file and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import SourceError
from kg.loading import data_files, parse_file


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:d ex:e "open .\n')
    with pytest.raises(SourceError) as info:
        parse_file(bad)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{bad}:3:11: ")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        parse_file(tmp_path / "nope.ttl")


def test_unknown_suffix(tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    with pytest.raises(SourceError, match="not an RDF file"):
        parse_file(path)


def test_every_data_file_parses_and_raw_inputs_are_skipped(settings) -> None:  # type: ignore[no-untyped-def]
    files = data_files(settings)
    assert files, "data/ holds no RDF files"
    assert not any("raw" in p.relative_to(settings.data_dir).parts for p in files)
    for path in files:
        assert len(parse_file(path)) > 0, path
