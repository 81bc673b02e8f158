"""Claims files: what a paper states about its own cohort, as validated data.

- ``_vocabulary``: the words a claims file may use; ``_model``: the frozen values
  (:class:`Claim`, :class:`ClaimSet`, ...);
- ``_file``: reading a file (:func:`load_claims`, :func:`parse_claims`), walking its top
  level; ``_fields`` reads each field, ``_table_claims`` and ``_summary_claims`` parse each
  claim kind, ``_errors`` holds the one error they raise (:class:`ClaimsError`);
- ``_variables``: holding the claims against a cohort's columns (:func:`check_variables`).

Variable names are not checked against a table while parsing (the claims know nothing of
the cohort); :meth:`Claim.variables` and :func:`check_variables` let a later step do that.
"""

from ._errors import ClaimProblem, ClaimsError
from ._file import load_claims, parse_claims
from ._model import (
    Claim,
    ClaimSet,
    Condition,
    Equals,
    Method,
    Pair,
    Quantity,
    SummaryClaim,
)
from ._variables import check_sources, check_variables
from ._vocabulary import (
    ALTERNATIVES,
    COMPARATORS,
    CORRELATIONS,
    DIRECTIONS,
    DRAFT_STATES,
    EFFECT_SIZES,
    FORMAT,
    FORMAT_V1,
    FORMATS,
    IDENTITY_OPS,
    NEEDS_QUANTITY,
    OPS,
    PERCENT_CHANGES,
    QUANTITY_GUESSED,
    ROLES,
    STATISTICS,
    SUMMARY_KINDS,
    TESTS,
)

__all__ = [
    "ALTERNATIVES",
    "COMPARATORS",
    "CORRELATIONS",
    "DIRECTIONS",
    "DRAFT_STATES",
    "EFFECT_SIZES",
    "FORMAT",
    "FORMATS",
    "FORMAT_V1",
    "IDENTITY_OPS",
    "NEEDS_QUANTITY",
    "OPS",
    "PERCENT_CHANGES",
    "QUANTITY_GUESSED",
    "ROLES",
    "STATISTICS",
    "SUMMARY_KINDS",
    "TESTS",
    "Claim",
    "ClaimProblem",
    "ClaimSet",
    "ClaimsError",
    "Condition",
    "Equals",
    "Method",
    "Pair",
    "Quantity",
    "SummaryClaim",
    "check_sources",
    "check_variables",
    "load_claims",
    "parse_claims",
]
