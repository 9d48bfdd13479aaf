"""Dialogs of the call window."""
