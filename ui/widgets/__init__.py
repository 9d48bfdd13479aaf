"""Widgets of the call window, each over the bridge to the core."""
