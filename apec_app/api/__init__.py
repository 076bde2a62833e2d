"""HTTP routes mounted beside Reflex's own (api_transformer)."""
