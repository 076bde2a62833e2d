"""What an admin typed into a settings form and has not saved yet.

A tab's state keeps one draft per form and record ("fees:3", "point:3:new", "material:12" → field → text), sent
while typing and on leaving a field (components.fields.text_input's `on_save`, `autosave`). `drafts` is listed in
the tab's `keep_on_load`, so a reload or a later return to the page shows the text again; saving the form drops
its draft. Each event carries the version of the form it was typed into: a keystroke that arrives after the form
was saved or switched to another record belongs to nothing on screen and is ignored.
"""

from __future__ import annotations

import reflex as rx

MAX_CHARS = 20_000  # the longest field, 申办须知


class DraftsMixin(rx.State, mixin=True):
    drafts: dict[str, dict[str, str]] = {}

    def _draft(self, key: str) -> dict[str, str]:
        return self.drafts.get(key, {})

    def _keep_draft(self, key: str, field: str, value: str, loaded: str) -> None:
        """Keep `value` for `field`; a value equal to the one loaded is no change, so no draft."""
        draft = {k: v for k, v in self._draft(key).items() if k != field}
        text = str(value)[:MAX_CHARS]
        if text != loaded:
            draft[field] = text
        rest = {k: v for k, v in self.drafts.items() if k != key}
        self.drafts = {**rest, key: draft} if draft else rest

    def _drop_draft(self, key: str) -> None:
        if key in self.drafts:
            self.drafts = {k: v for k, v in self.drafts.items() if k != key}
