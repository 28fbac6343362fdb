"""docs/*.md split into sections (ui/docs.py), and docs/theory.md itself."""

from __future__ import annotations

import re
from pathlib import Path

from ui.docs import THEORY, Section, sections

ROOT = Path(__file__).resolve().parents[2]
#: Every way the code cites the theory: an anchor (``docs/theory.md#stability``, the in-app ``theory#stability``), a
#: section by number ("Theory, section 4", "theory.md § 2") or by its title in quotes (``docs/theory.md, "Title"``).
ANCHOR = re.compile(r"theory(?:\.md)?#([A-Za-z0-9_-]+)")
NUMBER = re.compile(r"theory(?:\.md)?[,:]?\s*(?:section|§)\s*(\d+)", re.IGNORECASE)
TITLE = re.compile(r"theory\.md,? [\"“]([^\"”\n]{3,80})[\"”]", re.IGNORECASE)


def citations(text: str) -> set[tuple[str, str]]:
    """(form, what) of every citation of the theory in ``text``."""
    return ({("anchor", a) for a in ANCHOR.findall(text)} | {("section", n) for n in NUMBER.findall(text)}
            | {("title", t) for t in TITLE.findall(text)})


def test_the_citation_finder_sees_every_form() -> None:
    text = ('see docs/theory.md#bounds and [here](theory#stability); Theory, section 4; theory.md § 2; '
            'docs/theory.md, "Completeness check"')
    assert citations(text) == {("anchor", "bounds"), ("anchor", "stability"), ("section", "4"), ("section", "2"),
                               ("title", "Completeness check")}


def test_sections_split_at_headings_with_their_anchors() -> None:
    text = "# Title\n\nintro\n\n## One {#one}\n\nbody $x$\n\n$$\na\n$$\n\n### Two {#two}\n\n- item\n\n## Three\nend\n"
    assert sections(text) == [
        Section(1, "Title", None, "intro"),
        Section(2, "One", "one", "body $x$\n\n$$\na\n$$"),
        Section(3, "Two", "two", "- item"),
        Section(2, "Three", None, "end"),
    ]


def test_text_before_the_first_heading_and_deeper_headings_stay_in_bodies() -> None:
    assert sections("preamble\n## A {#a}\nx\n#### deeper\ny") == [Section(2, "A", "a", "x\n#### deeper\ny")]


def test_theory_has_one_title_and_an_anchor_on_every_section() -> None:
    text = THEORY.read_text(encoding="utf-8")
    found = sections(text)
    heading_lines = [line for line in text.splitlines() if re.match(r"#{1,6} ", line)]
    assert len(found) == len(heading_lines)  # every heading is a section (none deeper than ###)
    assert [s.level for s in found].count(1) == 1 and found[0].level == 1
    anchors = [s.anchor for s in found[1:]]
    assert None not in anchors and len(set(anchors)) == len(anchors)
    # The anchors the pages and docstrings link to.
    assert {"setting", "worlds", "fixed-points", "stability", "performative-optimum", "bounds", "worked-example",
            "many-outcomes", "conditional-predictions", "learning-dynamics", "conventions", "references"} <= set(anchors)
    # Display maths is balanced: every $$ opens and closes a block.
    assert text.count("$$") % 2 == 0


def test_every_citation_of_the_theory_names_one_of_its_sections() -> None:
    parts = sections(THEORY.read_text(encoding="utf-8"))
    valid = ({("anchor", s.anchor) for s in parts} | {("title", s.title) for s in parts}
             | {("section", m.group(1)) for s in parts if (m := re.match(r"(\d+)\.", s.title))})
    here = Path(__file__).resolve()
    files = [path for pattern in ("*.py", "*.md") for path in ROOT.rglob(pattern)
             if ".git" not in path.parts and path != here]
    cited = {(str(path.relative_to(ROOT)), *c) for path in files for c in citations(path.read_text(encoding="utf-8"))}
    assert len(cited) > 10  # the docstrings, pages and tests do cite it
    assert not {c for c in cited if c[1:] not in valid}
