"""Database layer: models, engine, migrations and backups."""
