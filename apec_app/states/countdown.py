"""The 60-second wait shown on 发送验证码 buttons after a code was sent."""

from __future__ import annotations

import asyncio

import reflex as rx

from apec_app.states.gate import public


class CountdownMixin(rx.State, mixin=True):
    resend_left: int = 0

    def _start_countdown(self, seconds: int = 60):
        self.resend_left = seconds
        return type(self).run_countdown

    @public("counts the tab's own timer down; no data", background=True)
    async def run_countdown(self):
        while True:
            await asyncio.sleep(1)
            async with self:
                if self.resend_left <= 0:
                    return
                self.resend_left -= 1
