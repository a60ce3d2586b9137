"""The files `reportc init` writes, as text: a sample report, a house style, a CI workflow.

Every sample here must stay clean under `reportc validate` (tests/test_init.py checks it): a new
writer's first project must not start with a warning. The organisations, people and figures are
fictional.
"""
from __future__ import annotations

STYLE_NAME = "house"
BRAND_NAME = "Northvale Inspectorate"
BRAND_COLOUR = "#1D4E89"  # the logo's colour too
SAMPLE_NAME = "kestrel-valley-2025"

REPORT_SCHEMA_FILE = "schema.json"
STYLE_SCHEMA_FILE = "style-schema.json"

SAMPLE_SOURCE = """\
# yaml-language-server: $schema=../schema.json
# A sample report to start from: Kestrel Valley Fire and Rescue Service, its people and its
# figures are fictional. `reportc build` turns it into build/kestrel-valley-2025.pdf and .docx.

title: Kestrel Valley fire and rescue inspection 2025
subject: Kestrel Valley Fire and Rescue Service
programme: Fire and rescue service inspections 2025
published: 2025-06-30
status: final
style: house

summary: |
  This report sets out our findings from the inspection of Kestrel Valley Fire and Rescue
  Service in February and March 2025.

  The service responds to emergencies **promptly** and its crews are well trained. But it does
  not inspect enough high-risk buildings, and we have a cause of concern about its protection
  work.

pillars:
  - title: Effectiveness
    question: How effective is the service at keeping people safe and secure?
    grade: good
    summary: |
      The service understands the risks in its area and responds to them well.
    questions:
      - title: How well does the service understand the risk of fire and other emergencies?
        grade: good
        findings: |
          The service has a clear, well-researched assessment of the risks in its area. It
          consulted the public and its partners before it published its plan, and:

          - it uses data from the council and the ambulance service;
          - its crews record what they find when they visit buildings.
      - title: How well does the service protect the public through fire regulation?
        grade: requires improvement
        areas_for_improvement:
          - The service should make sure its inspection programme covers every high-risk building.
          - text: The service should make sure its fire safety inspectors are properly qualified.
            detail: |
              Four of the eleven inspectors had not finished their training when we inspected.
        causes_of_concern:
          - text: The service is not inspecting enough high-risk buildings.
            recommendations:
              - put in place a plan to inspect every high-risk building by March 2026;
              - report its progress to the fire authority every quarter.
        findings: |
          The service inspected 212 high-risk buildings last year, against a target of 400.
  - title: People
    question: How well does the service look after its people?
    grade: outstanding
    findings: |
      Staff told us they feel valued and supported. The service's wellbeing programme is
      [published on its website](https://example.org/wellbeing) and is used well.

annexes:
  - title: About this inspection
    body: |
      We inspected the service between February and March 2025. We interviewed 63 members of
      staff and reviewed 40 of its fire safety audits.
"""

HOUSE_STYLE = f"""\
# yaml-language-server: $schema=../{STYLE_SCHEMA_FILE}
# Your house style: it extends reportc's neutral `default` style and changes only what is set
# here. `reportc schema --style` lists every key; `reportc styles` lists the styles to extend.
extends: default
brand:
  name: {BRAND_NAME}
  logo: {STYLE_NAME}-logo.png
colours:
  primary: "{BRAND_COLOUR}"
  accent: "#2F7D95"
cover:
  band_colour: "{BRAND_COLOUR}"
labels:
  recommendations_lead_in: "To address this cause of concern, the service should:"
"""

GITIGNORE = "build/\n"

WORKFLOW = """\
# Builds every report in sources/ on each push and keeps the PDF and DOCX as artefacts.
name: reports

on:
  push:
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

env:
  # What pip installs: this project was made with reportc {version}. Where reportc is not on
  # your package index, point this at your copy, e.g. git+https://github.com/ORG/reportc@v{version}
  REPORTC: reportc=={version}

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install "$REPORTC"
      - name: Date the build by the commit, so it builds the same bytes on any runner
        run: echo "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)" >> "$GITHUB_ENV"
      - run: reportc validate
      - run: reportc build
      - run: reportc verify build
      - uses: actions/upload-artifact@v4
        with:
          name: reports
          path: |
            build/*.pdf
            build/*.docx
            build/manifest.json
"""

PROJECT_README = f"""\
# Reports

Made with `reportc init`. Write reports in `sources/` (start from `sources/{SAMPLE_NAME}.yaml`);
the house style is `styles/{STYLE_NAME}.yaml`.

```sh
reportc validate     # every problem, with FILE:LINE:COL
reportc build        # build/<id>.pdf and build/<id>.docx
reportc styles       # the styles a report can name
```

`schema.json` and `{STYLE_SCHEMA_FILE}` give editors completion and checking (the first line of
each file names its schema); rewrite them after upgrading reportc with `reportc schema > schema.json`
and `reportc schema --style > {STYLE_SCHEMA_FILE}`. `.github/workflows/reports.yml` builds the
reports on GitHub and keeps them as artefacts.
"""
