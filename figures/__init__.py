"""Figures of the explorer, as the plain dictionaries plotly.js draws: they only draw (no streamlit, no plotly,
no numerics beyond layout).

One module per page's figures, sharing one legend language:

- :mod:`figures.style`: :data:`STYLE` (marker styles), the colours, the marker and layout helpers;
- :mod:`figures.binary`: two outcomes (the map f, the predictor's score, the cobweb);
- :mod:`figures.triangle`: three outcomes (the simplex with the field over the expected score);
- :mod:`figures.dynamics`: learning paths, the step-size threshold, trajectories and basins;
- :mod:`figures.scoring_rules`: rules side by side (inaccuracy beside the bound, the convex functions G);
- :mod:`figures.decisions`, :mod:`figures.decisions_equilibria`: conditional reports per action, the training
  curves, and a dishonest equilibrium of the zero-sum pair;
- :mod:`figures.studies`: histograms of a study and inaccuracy against its bound;
- :mod:`figures.sweep`: the bifurcation diagram and the two-parameter map.

The numbers they draw come from :mod:`core.curves` (sampled curves and grids) and
:class:`core.analysis.Analysis`.
"""

from figures.style import STYLE

__all__ = ["STYLE"]
