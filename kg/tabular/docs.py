"""The column reference of the tabular format, rendered from ``schema.yaml`` as Markdown.

``examples/README.md`` embeds this text between two markers and a test keeps it in sync, so
the documentation cannot drift from the format the code reads.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import KGError
from .schema import Column, RecordType, Schema, compact, load_schema

BEGIN = "<!-- BEGIN tabular-reference (generated from kg/tabular/schema.yaml) -->"
END = "<!-- END tabular-reference -->"

RULE_WORDS = {
    "interval": "an empty `{1}` needs `{2}` (`ongoing` or `unknown`), and not both",
    "order": "`{1}` is not before `{0}`",
    "different": "`{0}` and `{1}` differ",
    "disjoint": "no id is in both `{0}` and `{1}`",
    "one_of": "`{0}` or `{1}` is given",
    "ref_match": "the `{0}` belongs to the `{2}` (its `{1}`)",
    "not_both": "`{0}` and `{1}` are not both given",
}
TYPE_WORDS = {
    "id": "id (a slug)",
    "text": "text",
    "url": "URL (http/https)",
    "date": "date YYYY-MM-DD",
    "integer": "whole number",
    "decimal": "number",
    "boolean": "true/false",
}


def _type_text(schema: Schema, column: Column) -> str:
    if column.type in ("enum", "class"):
        text = "one of " + ", ".join(f"`{k}`" for k in schema.enums[column.enum or ""])
    elif column.type == "ref":
        text = f"id of a row of `{column.ref}`" if ":" not in (column.ref or "") else \
            f"id of a `{column.ref}`"
    elif column.type == "partial-date":
        text = f"date YYYY, YYYY-MM or YYYY-MM-DD ({column.bound} day of the period)"
        if column.edtf is not None:
            text += ", or EDTF: `2014-12?`, `1991~`, `2010-08-12/2010-08-13`, `..2014-12`, " \
                "`2010-12/..`, `..`"
    else:
        text = TYPE_WORDS[column.type]
    return text + ("; several, `;`-separated" if column.many else "")


def _table(schema: Schema, rt: RecordType) -> list[str]:
    kind = f"a `{compact(rt.rdf_class)}`" if rt.rdf_class else \
        f"of the class its `{rt.class_column}` column names"
    lines = [
        f"#### `*{rt.file}.csv`: {rt.summary}",
        "",
        f"Each row is a node `kgd:<id>`, {kind}.",
        "",
        "| column | required | value | RDF | notes |",
        "|---|---|---|---|---|",
    ]
    for c in rt.columns:
        required = "yes" if c.required or (c.name == "id" and not rt.id_template) else ""
        prop = f"`{compact(c.property)}`" if c.property else ""
        lines.append(f"| `{c.name}` | {required} | {_type_text(schema, c)} | {prop} | {c.help} |")
    if rt.rules:
        lines.append("")
    for rule in rt.rules:
        words = RULE_WORDS[rule.kind].format(*rule.columns)
        when = " (when `start` is given)" if rule.only_with_start else ""
        lines.append(f"- checked: {words}{when}")
    return [*lines, ""]


def format_reference(schema: Schema | None = None) -> str:
    """Markdown: one table per record type, between the BEGIN and END markers."""
    chosen = schema or load_schema()
    lines = [BEGIN, ""]
    for rt in chosen.types.values():
        lines.extend(_table(chosen, rt))
    lines.append(END)
    return "\n".join(lines) + "\n"


def update_file(path: Path) -> bool:
    """Replace the reference between the markers in ``path``; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise KGError(f"{path}: no {BEGIN!r} … {END!r} markers to replace")
    new = text[:start] + format_reference() + text[end + len(END) + 1:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text

