"""Pure business rules: no I/O, no Reflex."""
