"""The case file as a board member reads it: ranked summary, each fact once, sources once,
nothing from the data turned into markup, the same bytes every run."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from kg.report import Digest, file_names, make_casefile, safe_name, write_reports
from kg.report import html as html_report
from kg.report import markdown as md_report

from .factories import SRC, finding, iri

DIGEST = Digest(data_files=3, triples=1234, data_sha256="0123456789abcdef", query_files=9,
                queries_sha256="fedcba9876543210", kg_version="9.9.9", violations=0,
                window_days=365)


def three() -> list:  # type: ignore[type-arg]
    return [
        finding("hp", via="clouding-ip", score=30, severity="low"),
        finding("symantec", via="clouding-ip", score=90, against=("rackspace", "ibm")),
        finding("widgets", foundation="standards-body", via=None, against=("gadgets",),
                score=60, severity="medium", reasons=(("active", 40), ("pending suit", 20))),
    ]


def section(text: str, title: str) -> str:
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_summary_lists_findings_by_score_with_severity_and_reasons() -> None:
    # a capped finding (many points, but an uncertain chain keeps it medium) comes after the
    # high ones, as in `kg conflicts` (kg.conflicts.sort_findings: level, then score)
    capped = finding("oracle", score=95, severity="medium", reasons=(("capped", 95),))
    text = md_report.render(make_casefile([*three(), capped], DIGEST))
    summary = [line for line in section(text, "Summary").splitlines() if line.strip()]
    assert [re.search(r"\(#([^)]+)\)", s).group(1) for s in summary] == [  # type: ignore[union-attr]
        "litigation:symantec@openstack-foundation", "litigation:oracle@openstack-foundation",
        "litigation:widgets@standards-body", "litigation:hp@openstack-foundation"]
    text = md_report.render(make_casefile(three(), DIGEST))
    summary = [line for line in section(text, "Summary").splitlines() if line.strip()]
    assert "**high**, score 90, because recent (126–156 days) and confirmed chain." in summary[0]
    assert "**medium**, score 60, because active and pending suit." in summary[1]
    # the sections follow the same order, each anchored by its finding ID
    anchors = re.findall(r'<a id="(litigation:[^"]+)"></a>\n### (\d+)\.', text)
    assert anchors == [("litigation:symantec@openstack-foundation", "1"),
                       ("litigation:widgets@standards-body", "2"),
                       ("litigation:hp@openstack-foundation", "3")]


def test_a_fact_used_by_two_findings_is_listed_once_and_referenced_by_both() -> None:
    case = make_casefile(three(), DIGEST)
    text = md_report.render(case)
    facts = section(text, "Facts")
    shared = iri("clouding-ip-v-rackspace")
    rows = [line for line in facts.splitlines() if "`clouding-ip-v-rackspace`" in line]
    assert len(rows) == 1
    number = case.refs.number(shared)
    assert rows[0].startswith(f'| <a id="fact-{number}"></a>{number} |')
    assert rows[0].endswith("| [1](#litigation:symantec@openstack-foundation), "
                            "[3](#litigation:hp@openstack-foundation) |")
    for fid in ("symantec", "hp"):
        body = text.split(f'<a id="litigation:{fid}@openstack-foundation"></a>', 1)[1]
        body = body.split("<a id=", 1)[0]
        assert f"[{number}](#fact-{number})" in body
    # the numbers run 1..n without gaps, each fact IRI once
    numbers = [int(n) for n in re.findall(r'<a id="fact-(\d+)"></a>', facts)]
    assert numbers == list(range(1, len(case.refs.facts) + 1))
    assert len({r.fact for r in case.refs.facts}) == len(case.refs.facts)


def test_sources_form_a_numbered_bibliography_with_each_url_once() -> None:
    case = make_casefile(three(), DIGEST)
    text = md_report.render(case)
    bibliography = section(text, "Sources")
    urls = re.findall(r"<(https://example\.org/src/\w+)>", bibliography)
    assert sorted(urls) == sorted({SRC + s for s in "abcd"})
    assert len(urls) == len(set(urls))
    # the Facts table cites them by number
    theirs = iri("rackspace-openstack-foundation-membership")
    membership = next(r for r in case.refs.facts if r.fact == theirs)
    assert [case.refs.sources[n - 1].url for n in membership.sources] == [SRC + "a", SRC + "d"]


def test_header_names_data_hash_queries_hash_and_version() -> None:
    for text in (md_report.render(make_casefile(three(), DIGEST)),
                 html_report.render(make_casefile(three(), DIGEST))):
        head = text[:1500]
        assert "0123456789abcdef" in head and "fedcba9876543210" in head and "9.9.9" in head


def test_markup_in_the_data_is_escaped_in_html_and_markdown() -> None:
    evil = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"
    f = replace(finding(), party_label=evil, summary=f"{evil} | *bold*",
                evidence=tuple(replace(e, subject_label=evil, note=evil,
                                       sources=(*e.sources, "javascript:alert(3)"))
                               for e in finding().evidence))
    page = html_report.render(make_casefile([f], DIGEST))
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;" in page
    assert 'href="javascript:' not in page and "javascript:alert(3)" in page
    text = md_report.render(make_casefile([f], DIGEST))
    assert not re.search(r"(?<!\\)<(script|img)", text)   # only backslash-escaped
    assert r"\<script\>alert(1)\</script\>" in text
    assert r"\| \*bold\*" in text
    assert "](javascript:" not in text and "<javascript:" not in text


def test_two_runs_write_the_same_bytes(tmp_path: Path) -> None:
    outputs = []
    for run in ("one", "two"):
        case = make_casefile(list(reversed(three())) if run == "two" else three(), DIGEST,
                             images={f.id: f"findings/{safe_name(f.id)}.png" for f in three()})
        md, page = write_reports(tmp_path / run, case)
        outputs.append((md.read_bytes(), page.read_bytes()))
    assert outputs[0] == outputs[1]
    assert b"Timings" not in outputs[0][0] and b"seconds" not in outputs[0][0]


def test_picture_file_names_are_safe_and_distinct() -> None:
    assert safe_name("litigation:symantec@openstack-foundation") == \
        "litigation-symantec-openstack-foundation"
    names = file_names(["a:b@c", "a@b:c", "../etc/passwd"])
    assert len(set(names.values())) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", n) and not n.startswith(".")
               for n in names.values())


def test_every_finding_section_has_reasons_confidence_chains_and_facts() -> None:
    case = make_casefile(three(), DIGEST)
    page = html_report.render(case)
    part = page.split('<section class="finding" id="litigation:symantec@openstack-foundation">')[1]
    part = part.split("</section>")[0]
    assert "<li>recent (126–156 days) (+30)</li>" in part
    assert "single-source — weakest link: the transfer (one source)" in part
    assert part.count("<em>proxy</em>") == 2          # one chain per co-member sued
    assert "Rackspace, Ibm" in part
    assert '<a href="#litigation:symantec@openstack-foundation">' in page


def test_a_suit_against_two_co_members_is_one_fact_with_both_and_code_is_apart() -> None:
    base = finding("symantec", against=("emc", "vmware"))
    # as the engine gives it: one Evidence row per edge, two of them from the same suit node
    sued = [e for e in base.evidence if e.kind == "Lawsuit"]
    both = replace(sued[0], object_label="EMC", relation="was brought against")
    second = replace(both, object_label="VMware")
    f = replace(base, evidence=(*base.evidence, both, second),
                counterparties=(*base.counterparties, iri("nova")),
                counterparty_labels=(*base.counterparty_labels, "Nova"),
                accused_code=(iri("nova"),))
    case = make_casefile([f], DIGEST)
    row = next(r for r in case.refs.facts if r.fact == sued[0].fact)
    assert [(e.relation, e.object) for e in row.edges] == [
        ("sued (plaintiff in)", "Emc"), ("was brought against", "EMC, VMware")]
    numbers = case.refs.of_finding(f)
    assert len(numbers) == len(set(numbers)) == len(case.refs.facts)
    text = md_report.render(case)
    assert "- **Co-members sued**: Emc, Vmware\n- **Own code accused**: Nova\n" in text
