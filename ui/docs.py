"""The project's documents (docs/*.md) split into sections, for pages that render them.

A document is Markdown whose section headings carry a stable anchor, ``## Title {#anchor}`` (the attribute
syntax of pandoc and MkDocs): in-app links ``theory#<anchor>`` and the docstrings cite those anchors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
THEORY = DOCS / "theory.md"
HEADING = re.compile(r"^(#{1,3}) (.+?)(?: \{#([a-z0-9-]+)\})?[ \t]*$", re.M)


@dataclass(frozen=True)
class Section:
    """One heading and the Markdown under it up to the next heading (``level`` 1 is the title)."""

    level: int
    title: str
    anchor: str | None
    body: str


def sections(text: str) -> list[Section]:
    """Split Markdown at its headings of levels 1–3; text before the first heading is dropped.

    ``#`` inside a ``$$`` block or a code block never starts a line in our documents, so a line-based
    split is enough (the test of docs/theory.md checks every heading it finds).
    """
    found = list(HEADING.finditer(text))
    return [Section(len(m.group(1)), m.group(2), m.group(3),
                    text[m.end():found[i + 1].start() if i + 1 < len(found) else len(text)].strip("\n"))
            for i, m in enumerate(found)]


def read_sections(path: Path = THEORY) -> list[Section]:
    return sections(path.read_text(encoding="utf-8"))
