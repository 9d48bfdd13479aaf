"""callassist: the Qt-free core of a call desk for B2B reps who prospect by phone."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("callassist")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
