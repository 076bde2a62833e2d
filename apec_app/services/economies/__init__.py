"""APEC economies deciding themselves: their officers' queue and their systems' API (tokens, idempotent
decisions). Every decision goes through services/review/decisions.record_economy_decisions, as a reviewer's does
through the same checks, events and audit."""
