"""The cadences bundled with callassist (TOML files, one per cadence)."""
