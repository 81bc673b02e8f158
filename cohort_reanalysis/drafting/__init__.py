"""Drafting: a paper's text read into a draft claims file and a transcribed table.

The layer between verification and presentation: it reads text (and optionally the
patient table), and produces claims that verification checks.
"""

from ._draft import Draft, draft, draft_claims
from ._intake import Document, Sentence, read_text
from ._table import DraftTable, find_table

__all__ = [
    "Document",
    "Draft",
    "DraftTable",
    "Sentence",
    "draft",
    "draft_claims",
    "find_table",
    "read_text",
]
