"""Summary-level checks for claims that come without a patient table.

Each check takes numbers as printed (strings, so that their precision is known) and returns
one result shape, :class:`SummaryCheck` (``_result``). One module per check, each following a
published method:

- :func:`grim` (``_grim``): GRIM (Brown & Heathers 2017), can a mean of whole numbers be
  this mean? With the possible means and scrutiny's ``grim_probability``.
- :func:`grimmer` (``_grimmer``): GRIMMER (Anaya 2016) in Allard's analytic form, as
  implemented by the R package scrutiny (``grimmer_scalar()``), with exact rational arithmetic.
- :func:`recompute_p` (``_recompute_p``): statcheck's test (Nuijten et al. 2016; Epskamp &
  Nuijten), p recomputed from a rounded test statistic, and decision errors.
- :func:`ci_consistency` (``_ci_consistency``): an estimate and its confidence interval,
  checked for symmetry on the right scale and for the P value they imply (Altman & Bland
  2011).
- :func:`counts_add_up` (``_counts_add_up``): parts that must sum to a total.
- :func:`debit` (``_debit``): DEBIT (Heathers & Brown 2019), can binary data have this
  printed mean and SD?
- :func:`sprite` (``_sprite``, search in ``_sprite_search``): SPRITE (Heathers et al. 2018),
  integer samples on a scale whose mean and SD print as reported, or proof that none exists.

- :func:`grim_seq`, :func:`grimmer_seq`, :func:`grim_total_n`, :func:`grimmer_total_n`
  (``_sequences``): neighbours of a failing case and splits of a known total n (scrutiny's
  ``*_map_seq()``, ``*_map_total_n()``).

- :func:`grim_arrays` (``_grim_arrays``): GRIM's verdicts for arrays of cases at once, with
  no Python loop per case (the same verdicts as :func:`grim`).

- :func:`paired_p_from_summary` (``_paired_summary``): the p of a paired change from two
  visits' means and SDs over every within-patient correlation; :func:`check_summary_table`
  (``_summary_table``): a registry study's markers × visits table in one call.

- :func:`check_table` (``_table``): a table of reported values checked row by row, as
  scrutiny's ``*_map()``, with :func:`split_mean_sd` for ``"2.65 (0.27)"``.

What several checks share lives in ``_shared`` (arguments, whole numbers in an interval) and
``_p_values`` (p of a test statistic). Every printed number is read as an interval (see
``_interval``), under ``rounding`` (``"up_or_down"`` by default: ordinary rounding, a tie
going either way).
"""

from ._ci_consistency import ci_consistency
from ._counts_add_up import counts_add_up
from ._debit import DebitCheck, debit
from ._grim import GrimCheck, grim
from ._grim_arrays import GrimArrays, grim_arrays
from ._grimmer import GrimmerCheck, grimmer
from ._paired_summary import paired_p_from_summary
from ._recompute_p import recompute_p
from ._result import SummaryCheck
from ._sequences import (
    SequenceAudit,
    TotalNAudit,
    grim_seq,
    grim_total_n,
    grimmer_seq,
    grimmer_total_n,
)
from ._sprite import SpriteResult, sprite
from ._summary_table import SummaryTableCheck, check_summary_table
from ._table import TableCheck, check_table, split_mean_sd

__all__ = [
    "DebitCheck",
    "GrimArrays",
    "GrimCheck",
    "GrimmerCheck",
    "SequenceAudit",
    "SpriteResult",
    "SummaryCheck",
    "SummaryTableCheck",
    "TableCheck",
    "TotalNAudit",
    "check_summary_table",
    "check_table",
    "ci_consistency",
    "counts_add_up",
    "debit",
    "grim",
    "grim_arrays",
    "grim_seq",
    "grim_total_n",
    "grimmer",
    "grimmer_seq",
    "grimmer_total_n",
    "paired_p_from_summary",
    "recompute_p",
    "split_mean_sd",
    "sprite",
]
