"""The theory page renders docs/theory.md: every section's heading with its anchor, in order, and its text."""

from __future__ import annotations

from tests.pages.helpers import open_app
from ui.docs import read_sections


def test_theory_page_shows_every_section_of_the_document() -> None:
    at = open_app("theory")
    document = read_sections()
    assert len(document) > 10
    assert [t.value for t in at.title] == [s.title for s in document if s.level == 1]
    assert [(h.value, h.proto.anchor) for h in at.header] == [(s.title, s.anchor) for s in document if s.level == 2]
    assert [(h.value, h.proto.anchor) for h in at.subheader] == [(s.title, s.anchor) for s in document
                                                                  if s.level == 3]
    assert [m.value for m in at.main.markdown] == [s.body for s in document if s.body]
