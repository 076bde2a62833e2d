"""How many pages a list of rows takes."""

from __future__ import annotations


def page_count(total: int, page_size: int) -> int:
    """Pages needed for `total` rows; an empty list still shows one (empty) page."""
    return max(1, -(-total // page_size))
