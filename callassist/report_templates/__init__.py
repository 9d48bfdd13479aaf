"""Jinja templates of callassist's own reports (not call scripts)."""
