"""The PySide6 window over the callassist core."""
