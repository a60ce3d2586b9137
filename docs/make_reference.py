#!/usr/bin/env python3
"""Writes the generated parts of docs/source-reference.md and docs/style-reference.md.

The key tables come from REPORT_SCHEMA and STYLE_SCHEMA (compiler/source/schema.py), the
complete examples from the project `reportc init` writes (compiler/project/template.py, which
tests/test_init.py keeps valid), so the reference cannot drift from what reportc accepts.
Only the parts between the GENERATED markers are written; the prose around them is edited by
hand. tests/test_reference.py fails when a committed file is stale.

    python docs/make_reference.py           rewrite the generated parts
    python docs/make_reference.py --check   exit 1 when a file is stale
    ... --docs DIR                           the reference files in DIR instead (for tests)
"""
from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from compiler.project import template  # noqa: E402
from compiler.source.schema import REPORT_SCHEMA, STYLE_SCHEMA  # noqa: E402

COMMAND = "python docs/make_reference.py"
BEGIN = "<!-- BEGIN GENERATED: {name} ({command} writes this part; edit the schema, not this) -->"
END = "<!-- END GENERATED: {name} -->"

# An example for every key that has no default (a key with one shows it). A key added to a
# schema without an example here stops the generator, so no key goes undocumented.
BLOCK_EXAMPLE = "The force is **good** at investigating crime."
STYLE_REFERENCES = ("style", "extends")  # paths that may also be a style's bare name
RICH_EXAMPLES: dict[str, str] = {  # the rich blocks of block text (v2), first met under `summary`
    "summary[].table": "{caption: Calls for service, columns: [Year, Calls], rows: [[2021, 12400]]}",
    "summary[].table.name": "calls",
    "summary[].table.caption": "Calls for service, 2019 to 2022",
    "summary[].table.columns": "[Year, 999 calls, Answered within 10 s]",
    "summary[].table.align": "[left, right, right]",
    "summary[].table.rows": '[[2019, "12,400", 91%]]',
    "summary[].table.csv": "data/calls.csv",
    "summary[].table.source": "Force data return, 2022",
    "summary[].table.notes": "Figures are rounded to the nearest 50.",
    "summary[].figure": "{image: images/map.png, alt: Map of the force area, caption: The force area}",
    "summary[].figure.name": "map",
    "summary[].figure.image": "images/area-map.png",
    "summary[].figure.alt": "Map of the force area showing its three command units",
    "summary[].figure.caption": "The force area",
    "summary[].figure.source": "Force, 2022",
    "summary[].chart": "{type: column, caption: Calls answered, categories: [...], series: [...]}",
    "summary[].chart.name": "answered",
    "summary[].chart.type": "bar",
    "summary[].chart.caption": "999 calls answered within 10 seconds",
    "summary[].chart.categories": '["2019", "2020", "2021"]',
    "summary[].chart.series": "[{name: Northshire Police, values: [91, 88, 86]}]",
    "summary[].chart.series[].name": "Northshire Police",
    "summary[].chart.series[].values": "[91, 88, 86]",
    "summary[].chart.unit": '"%"',
    "summary[].chart.alt": "Calls answered within 10 seconds fell from 91% in 2019 to 86% in 2021.",
    "summary[].chart.source": "Home Office, 2022",
    "summary[].callout": "{kind: innovative-practice, title: Using drones, body: ...}",
    "summary[].callout.kind": "innovative-practice",
    "summary[].callout.title": "Using drones to find missing people",
    "summary[].callout.body": BLOCK_EXAMPLE,
    "callouts.*": "{label: Good practice, colour: \"#EAF4EC\"}",
    "callouts.*.label": "Good practice",
    "callouts.*.colour": '"#EAF4EC"',
}

EXAMPLES: dict[str, str] = {**RICH_EXAMPLES,
    "id": "city-of-london-peel-2018",
    "title": "PEEL 2018/19",
    "subject": "City of London Police",
    "programme": '"PEEL: police effectiveness, efficiency and legitimacy 2018/19"',
    "published": "2019-05-02",
    "language": "cy",
    "status": "draft",
    "grade": "good",
    "marking": "OFFICIAL-SENSITIVE",
    "version": '"0.3"',
    "style": "hmicfrs",
    "summary": BLOCK_EXAMPLE,
    "front_matter": "[{title: Force in context, body: ...}]",
    "front_matter[].title": "Force in context",
    "front_matter[].body": BLOCK_EXAMPLE,
    "pillars": "[{title: Effectiveness, grade: good, questions: [...]}]",
    "pillars[].title": "Effectiveness",
    "pillars[].question": "How effectively does the force reduce crime and keep people safe?",
    "pillars[].grade": "requires improvement",
    "pillars[].updated": "2019-05-02",
    "pillars[].carried_over": "2017/18",
    "pillars[].summary": BLOCK_EXAMPLE,
    "pillars[].areas_for_improvement": "[The force should improve how it records crime.]",
    "pillars[].areas_for_improvement[].text": "The force should improve how it responds to calls for service.",
    "pillars[].areas_for_improvement[].detail": BLOCK_EXAMPLE,
    "pillars[].causes_of_concern": "[{text: The force is not doing enough to prevent crime.}]",
    "pillars[].causes_of_concern[].text": "The force is not doing enough to prevent crime.",
    "pillars[].causes_of_concern[].lead_in": '"To address this cause of concern, the force should immediately:"',
    "pillars[].causes_of_concern[].recommendations": "[put in place a clear plan, train its supervisors]",
    "pillars[].findings": BLOCK_EXAMPLE,
    "pillars[].questions": "[{title: How effective is the force at investigating crime?, grade: good}]",
    "pillars[].questions[].number": "2",
    "pillars[].questions[].title": "How effective is the force at investigating crime?",
    "pillars[].questions[].grade": "good",
    "pillars[].questions[].carried_over": "2017/18",
    "pillars[].questions[].detailed_findings": "https://example.org/findings/q2",
    "pillars[].questions[].areas_for_improvement": "[The force should improve how it records crime.]",
    "pillars[].questions[].causes_of_concern": "[{text: The force is not doing enough to prevent crime.}]",
    "pillars[].questions[].findings": BLOCK_EXAMPLE,
    "annexes": "[{title: About the data, body: ...}]",
    "glossary": "[{term: ASB, definition: Anti-social behaviour}]",
    "glossary[].term": "ASB",
    "glossary[].definition": "Anti-social behaviour",
    "imprint": "{isbn: {pdf: 978-1-78655-001-9}, reference: HC 1234}",
    "imprint.isbn": "{pdf: 978-1-78655-001-9, html: 978-1-78655-000-2}",
    "imprint.isbn.pdf": "978-1-78655-001-9",
    "imprint.isbn.html": "978-1-78655-000-2",
    "imprint.isbn.docx": "978-1-78655-002-6",
    "imprint.reference": "HC 1234",
    "style:imprint": '"© Crown copyright {year}"',
    "alternative_formats": '"For an accessible version of this document, email us."',
    "extends": "hmicfrs",
    "brand.name": "Northvale Inspectorate",
    "brand.logo": "logo.png",
    "date_format": '"%-d %B %Y"',
    "brand.logo_alt": "HM Inspectorate of Constabulary and Fire & Rescue Services",
    "grades": "{good: {label: Good, colour: \"#4C9A2A\"}}",
    "grades.*": 'good: {label: Good, colour: "#4C9A2A"}',
    "grades.*.label": "Requires improvement",
    "grades.*.colour": '"#F47738"',
    "brand": "{name: Northvale Inspectorate, logo: logo.png}",
    "labels": "{contents: Contents}",
    "fonts": "{family: Liberation Sans, size: 11}",
    "fonts.fallback": "[fonts/NotoSansGeorgian-Regular.ttf]",
    "colours": '{primary: "#1D4E89"}',
    "page": "{size: letter}",
    "cover": "{band_height_mm: 120}",
    "print": "{crop_marks: true}",
}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    folder = Path(argv[argv.index("--docs") + 1]) if "--docs" in argv[:-1] else DOCS
    stale = []
    for path, parts in documents(folder).items():
        text = path.read_text(encoding="utf-8")
        updated = fill(text, parts, path)
        if updated != text:
            stale.append(path)
            if not check:
                path.write_text(updated, encoding="utf-8")
    for path in stale:
        verb = "is stale" if check else "rewritten"
        print(f"{os.path.relpath(path)} {verb}" + (f"; regenerate it with: {COMMAND}" if check else ""),
              file=sys.stderr)
    return 1 if check and stale else 0


def documents(folder: Path = DOCS) -> dict[Path, dict[str, str]]:
    return {
        folder / "source-reference.md": {
            "source keys": key_tables(REPORT_SCHEMA, "source"),
            "source example": fenced(template.SAMPLE_SOURCE),
        },
        folder / "style-reference.md": {
            "style keys": key_tables(STYLE_SCHEMA, "style"),
            "style example": fenced(template.HOUSE_STYLE),
            "style placeholders": placeholders_table(),
            "date directives": directives_table(),
        },
    }


def fill(text: str, parts: dict[str, str], path: Path) -> str:
    """`text` with each generated part replaced; its markers must be there."""
    for name, content in parts.items():
        begin, end = BEGIN.format(name=name, command=COMMAND), END.format(name=name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise SystemExit(f"{path}: no generated part '{name}'; put these two lines where it goes:\n"
                             f"{begin}\n{end}")
        text = pattern.sub(lambda _: f"{begin}\n{content.rstrip()}\n{end}", text)
    return text


def fenced(yaml_text: str) -> str:
    return f"```yaml\n{yaml_text.rstrip()}\n```"


def placeholders_table() -> str:
    from compiler.source.schema import LABEL_DEFAULTS
    from compiler.style.loader import TEMPLATE_LABELS

    rows = ["| label | default | placeholders |", "| --- | --- | --- |"]
    for key in sorted(TEMPLATE_LABELS):
        names = ", ".join(f"`{{{name}}}`" for name in sorted(TEMPLATE_LABELS[key]))
        rows.append(f"| `{key}` | {cell(LABEL_DEFAULTS.get(key, ''))} | {names} |")
    return "\n".join(rows)


def directives_table() -> str:
    from datetime import date

    from compiler.style.dates import DIRECTIVES, ENGLISH

    day = date(2019, 5, 2)
    rows = ["| directive | 2 May 2019 |", "| --- | --- |"]
    rows += [f"| `%{name}` | `{function(day, ENGLISH)}` |" for name, function in DIRECTIVES.items()]
    return "\n".join(rows)


# ---- key tables ------------------------------------------------------------------------------

def key_tables(schema: dict, kind: str) -> str:
    """One table per mapping of the schema, the top level first, each nested mapping after it."""
    sections: list[tuple[str, dict]] = []
    seen: dict[int, str] = {}
    _collect("", schema, sections, seen)
    out = []
    for path, node in sections:
        heading = "Top level" if not path else f"`{path}`"
        out.append(f"<a id=\"{kind}-{anchor(path)}\"></a>\n\n### {heading}\n")
        if node.get("description") and path:
            out.append(f"{cell(node['description'])}\n")
        out.append("| key | required | value | default | example | meaning |")
        out.append("| --- | --- | --- | --- | --- | --- |")
        required = set(node.get("required", ()))
        for key, child in _keys(node):
            full = f"{path}.{key}" if path else key
            out.append(row(key, full, child, key in required, seen, kind, _any_key_meaning(node) if key == "*" else None))
        out.append("")
    return "\n".join(out)


def _any_key_meaning(node: dict) -> str:
    pattern = node.get("propertyNames", {}).get("pattern")
    return f"one entry; its key{f' (matching `{pattern}`)' if pattern else ''} is what a source writes"


def _keys(node: dict) -> list[tuple[str, dict]]:
    keys = list(node.get("properties", {}).items())
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        keys.append(("*", extra))  # any key (a grade's key): its own table
    return keys


def _collect(path: str, node: dict, sections: list, seen: dict[int, str]) -> None:
    """Every mapping schema, by the path it is first met at (one shared by two keys, such as a
    section of front_matter and of annexes, is listed once)."""
    node = _mapping_of(node)
    if node is None or id(node) in seen:
        return
    seen[id(node)] = path
    sections.append((path, node))
    for key, child in _keys(node):
        _collect(child_path(path, key, child), child, sections, seen)


def child_path(path: str, key: str, child: dict) -> str:
    """`pillars[].questions[]`: a list's items are named with []."""
    full = f"{path}.{key}" if path else key
    listed = child.get("type") == "array" or any(alt.get("type") == "array" for alt in child.get("oneOf", ()))
    return full + "[]" if listed else full  # block text may be a list of rich blocks (v2)


def _mapping_of(node: dict) -> dict | None:
    """The mapping schema a key holds: itself, its list's items, or an alternative of oneOf."""
    if node.get("type") == "object" and ("properties" in node or isinstance(node.get("additionalProperties"), dict)):
        return node
    if node.get("type") == "array":
        return _mapping_of(node["items"]) if isinstance(node.get("items"), dict) else None
    for alternative in node.get("oneOf", ()):
        found = _mapping_of(alternative)
        if found is not None:
            return found
    return None


def row(key: str, path: str, node: dict, required: bool, seen: dict[int, str], kind: str,
        meaning: str | None = None) -> str:
    default = node.get("default")
    example = EXAMPLES.get(f"{kind}:{path}", EXAMPLES.get(path))  # "style:imprint": a key both files have
    if example is None and default is None:
        raise SystemExit(f"docs/make_reference.py: no example for `{path}`; add one to EXAMPLES")
    shown_default = f"`{yaml_value(default)}`" if default is not None else ""
    value = example if example is not None else yaml_value(default)
    shown_example = f"`{value}`" if key == "*" else f"`{key}: {value}`"
    shown_key = "any key" if key == "*" else f"`{key}`"
    return (f"| {shown_key} | {'yes' if required else ''} | {value_kind(node, seen, kind, path)} | "
            f"{cell(shown_default)} | {cell(shown_example)} | {cell(meaning or node.get('description', ''))} |")


def value_kind(node: dict, seen: dict[int, str], kind: str, path_key: str = "") -> str:
    if "oneOf" in node:
        return " or ".join(value_kind(alternative, seen, kind) for alternative in node["oneOf"])
    mapping = _mapping_of(node)
    if node.get("type") == "array":
        inner = value_kind(node["items"], seen, kind) if isinstance(node.get("items"), dict) else "values"
        rules = [f"at least {node['minItems']}"] if node.get("minItems") else []
        return f"list of {inner}" + (f"; {', '.join(rules)}" if rules else "")
    if mapping is not None:
        where = seen.get(id(mapping), "")
        return f"mapping ([keys](#{kind}-{anchor(where)}))"
    described = _scalar_kind(node)
    return described.replace("path", "style name or path", 1) if path_key in STYLE_REFERENCES else described


def _scalar_kind(node: dict) -> str:
    types = node.get("type")
    text_kinds = {"inline": "text with inline markup", "block": "block text", "path": "path",
                  "link": "link (http or https)"}
    if "enum" in node:
        described = "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    elif types == ["string", "number"]:
        described = "text (a number is kept as written)"
    elif types == "string":
        described = "date, YYYY-MM-DD" if node.get("format") == "date" else text_kinds.get(node.get("x-text"), "text")
    else:
        described = {"integer": "whole number", "number": "number", "boolean": "`true` or `false`"}.get(types, str(types))
    rules = []
    if "minimum" in node and "maximum" in node:
        rules.append(f"{_number(node['minimum'])} to {_number(node['maximum'])}")
    if "maxLength" in node:
        rules.append(f"at most {node['maxLength']} characters")
    if node.get("x-hint"):
        rules.append(node["x-hint"])
    elif "pattern" in node and node.get("format") != "date":
        rules.append(f"matching `{node['pattern']}`")
    return "; ".join([described, *rules])


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def yaml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, dict):  # YAML flow style, so the example can be copied (a str() was a Python repr)
        return "{" + ", ".join(f"{yaml_value(key)}: {yaml_value(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(yaml_value(item) for item in value) + "]"
    text = str(value)
    plain = re.fullmatch(r"[A-Za-z][A-Za-z0-9 ./-]*", text) and text.lower() not in ("yes", "no", "true", "false", "null")
    return text if plain else json.dumps(text, ensure_ascii=False)


def anchor(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower().replace("*", "key")).strip("-") or "top"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
