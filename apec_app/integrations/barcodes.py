"""Code 128 barcodes (python-barcode) as SVG data URLs, for the application number."""

from __future__ import annotations

import base64
import io

from barcode import Code128
from barcode.writer import SVGWriter


def code128_data_url(text: str) -> str:
    buffer = io.BytesIO()
    Code128(text, writer=SVGWriter()).write(buffer, options={"module_height": 12, "font_size": 8, "text_distance": 4})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
