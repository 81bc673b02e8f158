"""Re-analyse patient-level tables printed in clinical papers, and check every stated number.

The public API lives here; everything else is private. Names load on first use (PEP 562), so
``import cohort_reanalysis`` takes a few hundredths of a second: pandas, scipy, matplotlib
and pingouin are imported only by the functions that need them.

Examples
--------
>>> import cohort_reanalysis as cr
>>> cohort = cr.load_dataset("matsuoka2025")
>>> len(cohort)
58
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._version import __version__

# name -> module that defines it; imported on first attribute access.
_LAZY: dict[str, str] = {
    # cohort: the validated patient table and the bundled datasets (pandas)
    "Cohort": ".cohort",
    "CohortValidationError": ".cohort",
    "ColumnSpec": ".cohort",
    "DatasetInfo": ".cohort",
    "Exclusion": ".cohort",
    "PairedData": ".cohort",
    "Patient": ".cohort",
    "Provenance": ".cohort",
    "Role": ".cohort",
    "dataset_info": ".cohort",
    "list_datasets": ".cohort",
    "load_dataset": ".cohort",
    # analyses: Cohort + options -> result
    "paired_change": ".analyses._paired",
    "PairedChangeResult": ".analyses._paired_result",
    "EffectSize": ".analyses._effect_sizes",
    "table_one": ".analyses._table_one",
    "TableOne": ".analyses._table_one",
    "severity_subgroups": ".analyses._subgroups",
    "SubgroupsResult": ".analyses._subgroups",
    "SEVERITY_CUTOFFS": ".analyses._subgroups",
    "dose_response": ".analyses._dose",
    "DoseResponseResult": ".analyses._dose",
    "DOSE_THRESHOLDS": ".analyses._dose",
    "followup_effect": ".analyses._followup",
    "FollowupResult": ".analyses._followup",
    "FOLLOWUP_BANDS": ".analyses._followup",
    "regression_to_mean": ".analyses._rtm",
    "RegressionToMeanResult": ".analyses._rtm_result",
    "simulate_cohort": ".analyses._simulate",
    "simulate_power": ".analyses._power",
    "PowerResult": ".analyses._power",
    # verification: claims -> verdicts -> audit
    "verify": ".verification._audit",
    "verify_summary": ".verification._audit",
    "multiverse": ".verification._multiverse",
    "summarize_multiverse": ".verification._multiverse",
    "verify_corpus": ".verification._corpus",
    "CorpusAudit": ".verification._corpus",
    "CorpusEntry": ".verification._corpus",
    "Audit": ".verification._audit",
    "SummaryAudit": ".verification._audit",
    "ClaimResult": ".verification._verdict",
    "Verdict": ".verification._verdict",
    "load_claims": ".verification.claims",
    "draft_claims": ".drafting",
    "ClaimSet": ".verification.claims",
    "Claim": ".verification.claims",
    "ClaimsError": ".verification.claims",
    "grim": ".verification.checks",
    "grimmer": ".verification.checks",
    "recompute_p": ".verification.checks",
    "ci_consistency": ".verification.checks",
    "SummaryCheck": ".verification.checks",
    "debit": ".verification.checks",
    "DebitCheck": ".verification.checks",
    "sprite": ".verification.checks",
    "SpriteResult": ".verification.checks",
    "check_table": ".verification.checks",
    "check_summary_table": ".verification.checks",
    "SummaryTableCheck": ".verification.checks",
    "paired_p_from_summary": ".verification.checks",
    "grim_arrays": ".verification.checks",
    "GrimArrays": ".verification.checks",
    "split_mean_sd": ".verification.checks",
    "TableCheck": ".verification.checks",
    "grim_seq": ".verification.checks",
    "grim_total_n": ".verification.checks",
    "grimmer_seq": ".verification.checks",
    "grimmer_total_n": ".verification.checks",
    "interval": ".verification._interval",
    "round_to_text": ".verification._rounding",
    # presentation: figures (matplotlib is imported only when one is drawn)
    "plot_before_after": ".presentation.figures",
    "plot_estimation": ".presentation.figures",
    "plot_subgroup_estimates": ".presentation.figures",
    "plot_dose_response": ".presentation.figures",
    "plot_followup": ".presentation.figures",
    "plot_forest": ".presentation.figures",
    "plot_regression_to_mean": ".presentation.figures",
    "plot_audit": ".presentation.figures",
    "plot_specification_curve": ".presentation.figures",
    "all_figures": ".presentation.figures",
    "save_figures": ".presentation.figures",
    "render_figures": ".presentation.figures",
    "caption": ".presentation.figures",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .analyses._dose import DOSE_THRESHOLDS, DoseResponseResult, dose_response
    from .analyses._effect_sizes import EffectSize
    from .analyses._followup import FOLLOWUP_BANDS, FollowupResult, followup_effect
    from .analyses._paired import paired_change
    from .analyses._paired_result import PairedChangeResult
    from .analyses._power import PowerResult, simulate_power
    from .analyses._rtm import regression_to_mean
    from .analyses._rtm_result import RegressionToMeanResult
    from .analyses._simulate import simulate_cohort
    from .analyses._subgroups import SEVERITY_CUTOFFS, SubgroupsResult, severity_subgroups
    from .analyses._table_one import TableOne, table_one
    from .cohort import (
        Cohort,
        CohortValidationError,
        ColumnSpec,
        DatasetInfo,
        Exclusion,
        PairedData,
        Patient,
        Provenance,
        Role,
        dataset_info,
        list_datasets,
        load_dataset,
    )
    from .drafting import draft_claims
    from .presentation.figures import (
        all_figures,
        caption,
        plot_audit,
        plot_before_after,
        plot_dose_response,
        plot_estimation,
        plot_followup,
        plot_forest,
        plot_regression_to_mean,
        plot_specification_curve,
        plot_subgroup_estimates,
        render_figures,
        save_figures,
    )
    from .verification._audit import Audit, SummaryAudit, verify, verify_summary
    from .verification._corpus import CorpusAudit, CorpusEntry, verify_corpus
    from .verification._interval import interval
    from .verification._multiverse import multiverse, summarize_multiverse
    from .verification._rounding import round_to_text
    from .verification._verdict import ClaimResult, Verdict
    from .verification.checks import (
        DebitCheck,
        GrimArrays,
        SpriteResult,
        SummaryCheck,
        SummaryTableCheck,
        TableCheck,
        check_summary_table,
        check_table,
        ci_consistency,
        debit,
        grim,
        grim_arrays,
        grim_seq,
        grim_total_n,
        grimmer,
        grimmer_seq,
        grimmer_total_n,
        paired_p_from_summary,
        recompute_p,
        split_mean_sd,
        sprite,
    )
    from .verification.claims import Claim, ClaimsError, ClaimSet, load_claims

# Written out (not built from _LAZY) so that linters, type checkers and IDEs can read it;
# tests/test_public_api.py checks it against _LAZY.
__all__ = [
    "DOSE_THRESHOLDS",
    "FOLLOWUP_BANDS",
    "SEVERITY_CUTOFFS",
    "Audit",
    "Claim",
    "ClaimResult",
    "ClaimSet",
    "ClaimsError",
    "Cohort",
    "CohortValidationError",
    "ColumnSpec",
    "CorpusAudit",
    "CorpusEntry",
    "DatasetInfo",
    "DebitCheck",
    "DoseResponseResult",
    "EffectSize",
    "Exclusion",
    "FollowupResult",
    "GrimArrays",
    "PairedChangeResult",
    "PairedData",
    "Patient",
    "PowerResult",
    "Provenance",
    "RegressionToMeanResult",
    "Role",
    "SpriteResult",
    "SubgroupsResult",
    "SummaryAudit",
    "SummaryCheck",
    "SummaryTableCheck",
    "TableCheck",
    "TableOne",
    "Verdict",
    "__version__",
    "all_figures",
    "caption",
    "check_summary_table",
    "check_table",
    "ci_consistency",
    "dataset_info",
    "debit",
    "dose_response",
    "draft_claims",
    "followup_effect",
    "grim",
    "grim_arrays",
    "grim_seq",
    "grim_total_n",
    "grimmer",
    "grimmer_seq",
    "grimmer_total_n",
    "interval",
    "list_datasets",
    "load_claims",
    "load_dataset",
    "multiverse",
    "paired_change",
    "paired_p_from_summary",
    "plot_audit",
    "plot_before_after",
    "plot_dose_response",
    "plot_estimation",
    "plot_followup",
    "plot_forest",
    "plot_regression_to_mean",
    "plot_specification_curve",
    "plot_subgroup_estimates",
    "recompute_p",
    "regression_to_mean",
    "render_figures",
    "round_to_text",
    "save_figures",
    "severity_subgroups",
    "simulate_cohort",
    "simulate_power",
    "split_mean_sd",
    "sprite",
    "summarize_multiverse",
    "table_one",
    "verify",
    "verify_corpus",
    "verify_summary",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cohort_reanalysis' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
