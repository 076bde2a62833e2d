"""Code 128 barcodes of the application number (python-barcode encodes, we draw), crisp on any screen.

A scanner (or a phone's camera, or a screenshot decoded by zxing) reads a barcode whose bars are whole device
pixels with a quiet zone on each side. So the SVG is drawn in module units — one unit per module, the bars as
rectangles with crisp edges, ten modules of white either side (the Code 128 minimum) — and shown at a whole
number of CSS pixels per module: no bar falls between two pixels and is smeared grey. The number itself is
printed beneath it as text (selectable, read by screen readers), not inside the image.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from barcode import Code128

QUIET_MODULES = 10  # white either side: the symbology's minimum quiet zone, 10 module widths
HEIGHT_PX = 64


@dataclass(frozen=True)
class Barcode:
    data_url: str  # image/svg+xml, drawn in module units
    modules: int  # its width in modules, quiet zones included: show it at modules × n CSS pixels (n whole)
    height_px: int = HEIGHT_PX

    def width_px(self, module_px: int) -> int:
        return self.modules * module_px


def modules_of(text: str) -> str:
    """The bars and spaces of `text` in Code 128, one character per module ("1" a bar), without quiet zones."""
    return "".join(Code128(text).build())


def _bars(modules: str) -> list[tuple[int, int]]:
    """(start, width) of each bar: runs of "1"."""
    bars, start = [], None
    for i, module in enumerate(modules + "0"):
        if module == "1" and start is None:
            start = i
        elif module != "1" and start is not None:
            bars.append((start, i - start))
            start = None
    return bars


def code128(text: str) -> Barcode:
    modules = modules_of(text)
    total = len(modules) + 2 * QUIET_MODULES
    rects = "".join(f'<rect x="{QUIET_MODULES + x}" width="{w}" height="1"/>' for x, w in _bars(modules))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} 1" preserveAspectRatio="none" '
        f'shape-rendering="crispEdges"><rect width="{total}" height="1" fill="#fff"/><g fill="#000">{rects}</g></svg>'
    )
    return Barcode("data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(), total)


def code128_data_url(text: str) -> str:
    return code128(text).data_url
