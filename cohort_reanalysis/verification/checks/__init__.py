"""Summary-level checks, one module per check."""
