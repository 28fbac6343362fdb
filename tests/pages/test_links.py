"""In-app links to the theory page point at sections that the theory page declares."""

from __future__ import annotations

import re

import pytest

from tests.pages.helpers import open_app

LINK = re.compile(r"\]\(theory#([^)\s]+)\)")


@pytest.fixture(scope="module")
def theory_anchors() -> set[str]:
    at = open_app("theory")
    anchors = {h.proto.anchor for h in [*at.header, *at.subheader]}
    assert {"fixed-points", "performative-optimum", "conditional-predictions"} <= anchors
    return anchors


@pytest.mark.parametrize("page, preset", [("binary", "notebook-quadratic"), ("triangle", "coordination"),
                                          ("scoring-rules", "notebook-quadratic"), ("decisions", "decision-example")])
def test_theory_links_resolve(page: str, preset: str, theory_anchors: set[str]) -> None:
    at = open_app(page, {"preset": preset})
    texts = [e.value for e in [*at.main.caption, *at.main.markdown, *at.main.info]]
    targets = {m for text in texts for m in LINK.findall(text)}
    assert targets, "the page links to the theory"
    assert targets <= theory_anchors, sorted(targets - theory_anchors)
