"""kg.rendering: readable, valid, byte-identical images with no overlapping text."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from rdflib import Graph

from kg.errors import KGError
from kg.network import finding_to_networkx, neighbourhood, to_networkx
from kg.rendering import (
    draw_entity,
    draw_finding,
    draw_graph,
    label_overlaps,
    render_figure,
)

from .test_network import ONTOLOGY, load_finding, with_ontology

HERE = Path(__file__).resolve().parent / "fixtures" / "network"
K = "https://w3id.org/kg/id/"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def founding() -> Graph:
    return with_ontology(HERE / "founding.ttl")


@pytest.fixture(scope="module")
def finding_graph(founding: Graph):  # type: ignore[no-untyped-def]
    return finding_to_networkx(load_finding(HERE / "finding-proxy.json"), graph=founding)


def test_png_and_svg_are_written_and_valid(founding: Graph, tmp_path: Path) -> None:
    g = to_networkx(founding)
    png = draw_graph(g, tmp_path / "founding.png", title="The founding case")
    svg = draw_graph(g, tmp_path / "founding.svg")
    assert png.read_bytes().startswith(PNG_MAGIC)
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    forced = draw_graph(g, tmp_path / "picture", fmt="svg")
    assert forced.read_bytes().startswith(b"<?xml")


def test_same_input_gives_byte_identical_files(founding: Graph, tmp_path: Path) -> None:
    for suffix in ("svg", "png"):
        first = draw_graph(to_networkx(founding), tmp_path / f"a.{suffix}").read_bytes()
        second = draw_graph(to_networkx(founding), tmp_path / f"b.{suffix}").read_bytes()
        assert first == second, suffix
    assert b"<dc:date>" not in (tmp_path / "a.svg").read_bytes()


@pytest.mark.parametrize("case", ["founding", "finding", "many-defendants", "neighbourhood"])
def test_no_text_overlaps(case: str, founding: Graph, finding_graph) -> None:  # type: ignore[no-untyped-def]
    graphs = {
        "founding": lambda: to_networkx(founding),
        "finding": lambda: finding_graph,
        "many-defendants": lambda: to_networkx(with_ontology(HERE / "many_defendants.ttl")),
        "neighbourhood": lambda: neighbourhood(founding, K + "symantec", 2),
    }
    fig = render_figure(graphs[case]())
    assert label_overlaps(fig) == 0


def test_label_overlaps_sees_overlapping_text() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.text(0.5, 0.5, "Clouding IP", fontsize=10)
    ax.text(0.52, 0.5, "Rackspace", fontsize=10)
    ax.text(0.1, 0.1, "apart", fontsize=10)
    assert label_overlaps(fig) == 1


def test_picture_has_title_legends_caption_and_readable_fonts(founding: Graph) -> None:
    fig = render_figure(to_networkx(founding), title="The founding case")
    texts = [t for ax in fig.axes for t in ax.texts] + list(fig.texts)
    assert all(t.get_fontsize() >= 8 for t in texts)
    shown = {t.get_text() for t in texts}
    assert "The founding case" in shown
    assert "Symantec" in shown and "OpenStack\nFoundation" in shown
    assert any("2014-07-28" in t for t in shown)  # dates on the edges
    assert any(t.startswith("10 relationships · 5 distinct sources") for t in shown)
    legend_text = {t.get_text() for lg in fig.legends for t in lg.get_texts()}
    # the ontology's labels: kg:PatentAssertionEntity, kg:LegalProceeding, kg:SingleSource, …
    assert {"Foundation", "Company", "Patent-assertion entity", "Component"} <= legend_text
    assert {"membership", "legal proceeding", "accusation", "contribution"} <= legend_text
    assert {"confirmed", "single source", "uncertain"} <= legend_text
    assert "Court" not in legend_text  # only kinds that are drawn


def test_changing_a_short_phrase_in_the_ontology_changes_the_picture(tmp_path: Path) -> None:
    text = ONTOLOGY.read_text(encoding="utf-8")
    old = 'kg:shortPhrase "retained rights"@en'
    assert old in text
    copy = tmp_path / "kg.ttl"
    copy.write_text(text.replace(old, 'kg:shortPhrase "rights kept back"@en'), encoding="utf-8")
    fig = render_figure(to_networkx(with_ontology(HERE / "founding.ttl", copy)))
    shown = " ".join(t.get_text() for ax in fig.axes for t in ax.texts).replace("\n", " ")
    assert "patents (rights kept back)" in shown
    assert "retained rights" not in shown


def test_finding_picture_shows_the_headline_summary_and_reasons(finding_graph) -> None:  # type: ignore[no-untyped-def]
    fig = render_figure(finding_graph)
    shown = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")
    assert "Symantec → Clouding IP → Rackspace at OpenStack Foundation" in shown
    assert "which sued fellow member Rackspace" in shown
    assert "finding:\u00a0litigation:symantec@openstack-foundation" in shown
    assert "severity:\u00a0high (score\u00a07)" in shown
    assert "why: recent (126 days); confirmed chain" in shown
    assert "weakest link:\u00a0single source" in shown


def test_figure_grows_with_the_graph(founding: Graph) -> None:
    small = render_figure(neighbourhood(founding, K + "symantec", 1)).get_size_inches()
    large = render_figure(to_networkx(founding)).get_size_inches()
    assert large[0] * large[1] > small[0] * small[1]


def test_draw_entity_and_draw_finding(founding: Graph, tmp_path: Path) -> None:
    entity = draw_entity(founding, K + "symantec", tmp_path / "symantec.png", depth=2)
    assert entity.read_bytes().startswith(PNG_MAGIC)
    chain = draw_finding(load_finding(HERE / "finding-proxy.json"), tmp_path / "f.svg",
                         graph=founding)
    ET.parse(chain)


def test_a_hubs_picture_is_bounded_and_says_what_it_left_out(repo_store, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             ) -> None:
    graph = repo_store.to_graph()
    path = draw_entity(graph, K + "nova", tmp_path / "nova.png")
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    assert max(width, height) <= 2700  # a screen or two; unbounded it was 8,963 px a side
    fig = render_figure(neighbourhood(graph, K + "nova", 1, limit=20))
    assert label_overlaps(fig) == 0
    shown = " ".join(t.get_text() for t in fig.texts).replace("\n", " ")
    assert "20 relationships" in shown
    assert "not shown (at most 20 edges):" in shown and "contribution edges" in shown
    drawn = " ".join(t.get_text() for ax in fig.axes for t in ax.texts).replace("\n", " ")
    assert "accused in suit v." in drawn  # litigation before contributions
    assert "Clouding IP" in drawn


def test_unknown_format_or_layout_is_an_error(founding: Graph, tmp_path: Path) -> None:
    g = to_networkx(founding)
    with pytest.raises(KGError, match="choose one of png, svg"):
        draw_graph(g, tmp_path / "x.gif")
    with pytest.raises(KGError, match="unknown layout"):
        render_figure(g, layout="circle")  # type: ignore[arg-type]


@pytest.mark.parametrize("layout", ["layered", "radial", "spring"])
def test_every_layout_draws_without_overlaps(founding: Graph, layout: str) -> None:
    fig = render_figure(to_networkx(founding), layout=layout)  # type: ignore[arg-type]
    assert label_overlaps(fig) == 0
