"""Markets: many predictors whose reports are pooled into the one announcement the world responds to
(docs/theory.md#markets)."""

from core.markets.equilibria import (CURVE_KS, MAX_PREDICTORS, Equilibrium, MarketAnalysis, analyze_market, first_traders,
                                     market_curve)
from core.markets.gallery import MARKET_GALLERY, GalleryMarket
from core.markets.market import PAYMENTS, POOLS, Market, unsuitable

__all__ = ["MARKET_GALLERY", "GalleryMarket", "CURVE_KS", "MAX_PREDICTORS", "Equilibrium", "MarketAnalysis", "analyze_market",
           "first_traders", "market_curve", "PAYMENTS", "POOLS", "Market", "unsuitable"]
