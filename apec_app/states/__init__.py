"""Thin Reflex states: hold what a page shows, call one service per action, map errors to messages."""
