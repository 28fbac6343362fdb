"""Named markets for the home page's gallery: a preset's scenario with the Markets page's view."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GalleryMarket:
    """A preset (by name) opened on the Markets page with k predictors, a pool and a payment."""

    name: str
    title: str
    story: str
    preset: str
    k: int
    pool: str = "linear"
    payment: str = "own"

    @property
    def view(self) -> dict[str, str]:
        """The Markets page's link settings."""
        return {"k": str(self.k), "pool": self.pool, "payment": self.payment}


MARKET_GALLERY: dict[str, GalleryMarket] = {m.name: m for m in [
    GalleryMarket("bank-run-20", "A bank run with 20 traders",
                  "Twenty equal traders forecast a steep run/no-run world: each moves the announcement by a "
                  "twentieth, so each bends its report far less than a lone forecaster would.", "bank-run", 20),
    GalleryMarket("notebook-1", "The notebook world, one predictor",
                  "The log rule in f(p) = p* + α(p − p*): a lone predictor's equilibrium is the performative "
                  "optimum p̂.", "notebook-log", 1),
    GalleryMarket("notebook-5", "The notebook world, five predictors",
                  "Five equal predictors: each moves the announcement by a fifth, and the equilibrium moves "
                  "towards the fixed point.", "notebook-log", 5),
    GalleryMarket("notebook-50", "The notebook world, fifty predictors",
                  "Fifty small predictors come within a hair of the fixed point: the market bound shrinks with "
                  "each one's weight.", "notebook-log", 50),
    GalleryMarket("notebook-maker", "The notebook world, a market maker",
                  "Ten traders in turn with a logarithmic market scoring rule: each about halves the price's "
                  "distance to the fixed point, which no trader moves once it is there.", "notebook-log", 10, "lmsr"),
]}
