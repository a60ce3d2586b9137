"""Synthetic PEEL-like report sources for the benchmarks, deterministic from a seed.

A typical report has 3 pillars and 11 questions, each question 2 to 6 areas for improvement and
3 to 10 paragraphs of findings, as published PEEL 2018/19 force reports do (about 23 pages).
A large one repeats that shape over many more questions (about 526 pages).
"""
from __future__ import annotations

import random
from pathlib import Path

GRADES = ("outstanding", "good", "adequate", "requires improvement", "inadequate")
PILLARS = ("Effectiveness", "Efficiency", "Legitimacy")
WORDS = """force officers staff victims crime investigation public safety neighbourhood policing
response calls demand supervision training vulnerable people risk partners council safeguarding
domestic abuse exploitation children missing records quality workforce wellbeing leaders
planning budget savings technology data analysis evidence outcomes community confidence trust
complaints misconduct fairness stop search use of force ethics culture scrutiny improvement
understanding priorities resources capability capacity collaboration prevention problem solving
""".split()
VERBS = ("has improved", "should review", "is developing", "needs to make sure", "understands",
         "does not always record", "works closely with", "has invested in", "monitors", "could do more on")


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    words.insert(rng.randint(1, 4), rng.choice(VERBS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: tuple[int, int] = (4, 7)) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(*sentences)))


def block(rng: random.Random, paragraphs: int, indent: str, sentences: tuple[int, int] = (4, 7)) -> str:
    body = "\n\n".join(paragraph(rng, sentences) for _ in range(paragraphs))
    return "|\n" + "\n".join(indent + line if line else "" for line in body.split("\n"))


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def report(name: str, seed: int, questions: int = 11, sentences: tuple[int, int] = (4, 7),
           paragraphs: tuple[int, int] = (3, 10)) -> str:
    """One source: `questions` questions spread over three pillars, each with `paragraphs` of
    findings of `sentences` each."""
    rng = random.Random(seed)
    lines = [f"title: {quoted('PEEL 2018/19: ' + name)}", f"subject: {quoted(name.title() + ' Police')}",
             'programme: "PEEL: police effectiveness, efficiency and legitimacy 2018/19"',
             "published: 2019-05-02", "style: hmicfrs", "pillars:"]
    per_pillar = [questions // 3 + (1 if i < questions % 3 else 0) for i in range(3)]
    number = 0
    for title, count in zip(PILLARS, per_pillar):
        lines += [f"  - title: {title}", f"    question: {quoted('How ' + sentence(rng)[:-1].lower() + '?')}",
                  f"    grade: {rng.choice(GRADES)}", "    updated: 2019-05-02",
                  f"    summary: {block(rng, 2, '      ')}", "    questions:"]
        for _ in range(count):
            number += 1
            title = "How well " + sentence(rng)[:-1].lower() + "?"
            lines += [f"      - number: {number}", f"        title: {quoted(title)}",
                      f"        grade: {rng.choice(GRADES)}", "        areas_for_improvement:"]
            lines += [f"          - {quoted(sentence(rng))}" for _ in range(rng.randint(2, 6))]
            lines += [f"        findings: {block(rng, rng.randint(*paragraphs), '          ', sentences)}"]
    return "\n".join(lines) + "\n"


CHART_KINDS = ("column", "bar", "line")


def data_block(rng: random.Random, index: int, indent: str) -> list[str]:
    """Findings as rich blocks: a paragraph, a table of 8 rows, a paragraph and a chart of two
    series, so that nearly every page holds a table or a chart (source format v2)."""
    years = [str(2015 + year) for year in range(6)]
    lines = [f"{indent}- {block(rng, 1, indent + '  ')}",
             f"{indent}- table:", f"{indent}    caption: {quoted(sentence(rng)[:60])}",
             f"{indent}    columns: [Measure, Force, Peers, England and Wales]",
             f"{indent}    align: [left, right, right, right]", f"{indent}    rows:"]
    lines += [f"{indent}      - [{quoted(' '.join(rng.choice(WORDS) for _ in range(3)))}, "
              f"\"{rng.randint(100, 99999):,}\", {rng.randint(1, 99)}%, {rng.randint(1, 99)}%]" for _ in range(8)]
    lines += [f"{indent}    source: Force data return, 2019",
              f"{indent}- {block(rng, 1, indent + '  ')}",
              f"{indent}- chart:", f"{indent}    type: {CHART_KINDS[index % 3]}",
              f"{indent}    caption: {quoted(sentence(rng)[:60])}", f"{indent}    unit: \"%\"",
              f"{indent}    categories: [{', '.join(quoted(year) for year in years)}]", f"{indent}    series:"]
    for name in ("Force", "England and Wales"):
        values = ", ".join(str(rng.randint(40, 95)) for _ in years)
        lines.append(f"{indent}      - {{name: {name}, values: [{values}]}}")
    return lines


def data_report(name: str, seed: int, questions: int = 11) -> str:
    """The typical report's shape with a table and a chart in every question's findings."""
    rng = random.Random(seed)
    lines = [f"title: {quoted('PEEL 2018/19: ' + name)}", f"subject: {quoted(name.title() + ' Police')}",
             "published: 2019-05-02", "style: hmicfrs", "pillars:"]
    per_pillar = [questions // 3 + (1 if i < questions % 3 else 0) for i in range(3)]
    number = 0
    for title, count in zip(PILLARS, per_pillar):
        lines += [f"  - title: {title}", f"    grade: {rng.choice(GRADES)}", "    questions:"]
        for _ in range(count):
            number += 1
            lines += [f"      - number: {number}", f"        title: {quoted('How well ' + sentence(rng)[:-1].lower() + '?')}",
                      f"        grade: {rng.choice(GRADES)}", "        findings:"]
            lines += data_block(rng, number, "          ")
    return "\n".join(lines) + "\n"


def write_batch(folder: Path, count: int, questions: int = 11, prefix: str = "force") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"{prefix}-{index + 1:02d}.yaml"
        path.write_text(report(f"{prefix} {index + 1}", seed=index + 1, questions=questions), encoding="utf-8")
        paths.append(path)
    return paths
