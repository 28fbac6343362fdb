"""The one list of the app's pages: ``app.py`` builds the navigation from it, the components link with it,
and the tests open every page through it. A page's key is its URL path."""

from __future__ import annotations

from dataclasses import dataclass

from core import MAX_OUTCOMES, MIN_OUTCOMES

ANY = tuple(range(MIN_OUTCOMES, MAX_OUTCOMES + 1))


@dataclass(frozen=True)
class PageSpec:
    """A page: ``key`` (its URL path), ``title`` (in the navigation), ``heading`` (its st.title), the script,
    its icon, and the numbers of outcomes it draws."""

    key: str
    title: str
    heading: str
    file: str
    icon: str
    outcomes: tuple[int, ...] = ANY


HOME = "home"
PAGES: tuple[PageSpec, ...] = (
    PageSpec(HOME, "Home", "Prediction fixed points", "app_pages/home.py", ":material/home:"),
    PageSpec("binary", "Two outcomes", "Two outcomes", "app_pages/binary.py", ":material/show_chart:", (2,)),
    PageSpec("triangle", "Three outcomes", "Three outcomes", "app_pages/triangle.py", ":material/change_history:",
             (3,)),
    PageSpec("dynamics", "Dynamics", "Dynamics", "app_pages/dynamics.py", ":material/timeline:"),
    PageSpec("decisions", "Decisions", "Decisions", "app_pages/decisions.py", ":material/alt_route:"),
    PageSpec("markets", "Markets", "Markets", "app_pages/markets.py", ":material/groups:", (2, 3)),
    PageSpec("scoring-rules", "Scoring rules", "Scoring rules side by side", "app_pages/scoring_rules.py",
             ":material/balance:"),
    PageSpec("sweep", "Sweeps", "Sweeps", "app_pages/sweep.py", ":material/timeline:"),
    PageSpec("studies", "Studies", "Studies across many worlds", "app_pages/studies.py", ":material/query_stats:"),
    PageSpec("theory", "Theory", "Theory", "app_pages/theory.py", ":material/menu_book:"),
)
BY_KEY = {page.key: page for page in PAGES}


def page(key: str) -> PageSpec:
    return BY_KEY[key]


def explorer_for(outcomes: int) -> PageSpec:
    """The page that draws a scenario of this many outcomes best: the one made for exactly that many (two
    outcomes, the triangle), else the scoring rules side by side, which draws any number."""
    return next((spec for spec in PAGES if spec.outcomes == (outcomes,)), BY_KEY["scoring-rules"])
