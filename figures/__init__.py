"""Plotly figures of the explorer: they only draw (no streamlit, no numerics beyond layout).

One module per page's figures, sharing one legend language:

- :mod:`figures.style`: :data:`STYLE` (marker styles), the colours, the marker and layout helpers;
- :mod:`figures.binary`: two outcomes (the map f, the predictor's score, the cobweb);
- :mod:`figures.triangle`: three outcomes (the simplex with the field over the expected score);
- :mod:`figures.scoring_rules`: rules side by side (inaccuracy beside the bound, the convex functions G);
- :mod:`figures.decisions`: conditional reports per action and the training curves.

The numbers they draw come from :mod:`core.curves` (sampled curves and grids) and
:class:`core.analysis.Analysis`.
"""

from figures.style import STYLE

__all__ = ["STYLE"]
