"""callassist: the Qt-free core of a call desk for B2B reps who prospect by phone."""


def __getattr__(name: str) -> str:
    """``__version__``, looked up when asked: importlib.metadata takes longer to import
    than everything `callassist --help` needs."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("callassist")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"
