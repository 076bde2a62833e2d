"""Use cases: each function takes a DB session (and, where it acts for someone, the principal)."""
