"""The QR code half of every e-licence flow: show a one-time code, notice its authorisation within ~1 s."""

from __future__ import annotations

import asyncio
import time
from typing import ClassVar

import reflex as rx

from apec_app.integrations.qr import qr_data_url
from apec_app.services.accounts import elicense
from apec_app.services.accounts.elicense import AuthorizationStatus
from apec_app.services.unit_of_work import unit_of_work
from apec_app.states.gate import public
from apec_app.ui_text import describe

POLL_SECONDS = 1.0


class QrMixin(rx.State, mixin=True):
    qr_image: str = ""
    qr_link: str = ""
    # "", "pending", "authorized", "refused", "expired", "used" or "disabled" (no e-licence platform configured).
    qr_status: str = ""
    qr_error: str = ""
    _nonce: str = ""
    qr_purpose: ClassVar[str] = ""

    def _new_qr(self, enterprise_id: int | None = None):
        """Create a nonce, show it, and start watching it; returns the event that starts the watcher."""
        self.qr_error = ""
        if elicense.provider() is None:
            self._nonce = self.qr_link = self.qr_image = ""
            self.qr_status = "disabled"
            self.qr_error = describe("elicense_disabled")
            return None
        with unit_of_work() as uow:
            nonce = elicense.start(uow, self.qr_purpose, enterprise_id)
        self._nonce = nonce
        self.qr_link = elicense.authorization_url(nonce)
        self.qr_image = qr_data_url(self.qr_link)
        self.qr_status = "pending"
        return type(self).watch_qr

    def _qr_done(self, status: AuthorizationStatus):
        """Called (inside the state lock) when the nonce is authorised; returns follow-up events."""
        raise NotImplementedError

    @public("polls only the nonce this tab created, server-side", background=True)
    async def watch_qr(self):
        async with self:
            nonce = self._nonce
        deadline = time.monotonic() + elicense.NONCE_TTL.total_seconds() + 2
        while time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            with unit_of_work() as uow:
                status = elicense.status(uow.db, nonce, uow.now())
            async with self:
                if self._nonce != nonce:
                    return None  # a newer QR code replaced this one
                if status.state == "pending":
                    continue
                self.qr_status = status.state
                if status.state == "refused":
                    self.qr_error = describe(status.code)
                if status.state == "authorized":
                    return self._qr_done(status)
                return None
        async with self:
            if self._nonce == nonce:
                self.qr_status = "expired"
        return None
