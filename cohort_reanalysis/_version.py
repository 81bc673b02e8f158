"""The package version, in a leaf module: ``pyproject.toml`` reads it from here (hatch)."""

__version__ = "0.1.0.dev0"
