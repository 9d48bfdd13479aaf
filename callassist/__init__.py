"""callassist: the Qt-free core of a call desk for B2B reps who prospect by phone."""

__version__ = "0.1.0"
"""The one place the version is written: pyproject.toml reads it from here, and
`callassist --version` needs no package metadata (importlib.metadata is slow to import)."""
