"""Running the system: backups, demo data."""
