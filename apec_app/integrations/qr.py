"""QR codes as PNG data URLs (the `qrcode` package, rendered with Pillow)."""

from __future__ import annotations

import base64
import io

import qrcode


def qr_data_url(text: str, box_size: int = 6) -> str:
    image = qrcode.make(text, box_size=box_size, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
