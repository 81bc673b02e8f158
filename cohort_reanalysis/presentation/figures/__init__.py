"""Figures for cohorts, analyses and audits (matplotlib, imported only when drawing).

Every ``plot_*`` function takes a result (or a Cohort) and keyword-only options, draws on
``ax`` or on a new ``matplotlib.figure.Figure`` (never pyplot, so no GUI backend and no
global state), and returns the Axes (the Figure for multi-panel plots). The style is local:
Okabe–Ito colours, direction of change also shown by line style, no top/right spines.
Importing this package does not import matplotlib.

Examples
--------
>>> from cohort_reanalysis import load_dataset
>>> from cohort_reanalysis.presentation.figures import plot_before_after
>>> ax = plot_before_after(load_dataset("matsuoka2025"))
>>> ax.get_ylabel()
'HbA1c (%)'
"""

from __future__ import annotations

from ._all import all_figures, render_figures
from ._audit import plot_audit
from ._caption import caption
from ._dose import plot_dose_response
from ._estimation import plot_estimation, plot_subgroup_estimates
from ._files import encode_figures, save_figures
from ._followup import plot_followup
from ._forest import plot_forest
from ._paired import plot_before_after
from ._registry import FIGURE_NAMES, FIGURES, FigureSpec, figure_names
from ._rtm import plot_regression_to_mean
from ._specification_curve import plot_specification_curve

__all__ = [
    "FIGURES",
    "FIGURE_NAMES",
    "FigureSpec",
    "all_figures",
    "caption",
    "encode_figures",
    "figure_names",
    "plot_audit",
    "plot_before_after",
    "plot_dose_response",
    "plot_estimation",
    "plot_followup",
    "plot_forest",
    "plot_regression_to_mean",
    "plot_specification_curve",
    "plot_subgroup_estimates",
    "render_figures",
    "save_figures",
]
