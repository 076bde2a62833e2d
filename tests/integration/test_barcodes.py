"""The application number's Code 128 as drawn for the detail page: whole modules, quiet zones, and zxing reads it
back at one pixel per module (the page shows it at two, or one on a phone)."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest
import zxingcpp

from apec_app.integrations.barcodes import HEIGHT_PX, QUIET_MODULES, code128, modules_of

NUMBER = "APEC20221026000029"


def raster(modules: str, module_px: int, height: int = HEIGHT_PX) -> np.ndarray:
    """The barcode as a browser paints it at `module_px` CSS pixels per module on a 1× screen."""
    row = np.array([0 if m == "1" else 255 for m in "0" * QUIET_MODULES + modules + "0" * QUIET_MODULES], np.uint8)
    return np.tile(np.repeat(row, module_px), (height, 1))


@pytest.mark.parametrize("module_px", [1, 2])
def test_zxing_reads_the_number_at_whole_pixels_per_module(module_px):
    found = zxingcpp.read_barcodes(raster(modules_of(NUMBER), module_px))
    assert [(r.text, r.format) for r in found] == [(NUMBER, zxingcpp.BarcodeFormat.Code128)]


def test_the_svg_is_drawn_in_modules_with_crisp_edges_and_quiet_zones():
    barcode = code128(NUMBER)
    svg = base64.b64decode(barcode.data_url.split(",", 1)[1]).decode()
    modules = modules_of(NUMBER)
    assert barcode.modules == len(modules) + 2 * QUIET_MODULES
    assert f'viewBox="0 0 {barcode.modules} 1"' in svg and 'shape-rendering="crispEdges"' in svg
    bars = [(int(x), int(w)) for x, w in re.findall(r'<rect x="(\d+)" width="(\d+)"', svg)]
    drawn = ["0"] * barcode.modules
    for x, w in bars:
        drawn[x : x + w] = ["1"] * w
    assert "".join(drawn) == "0" * QUIET_MODULES + modules + "0" * QUIET_MODULES
    assert barcode.width_px(2) == 2 * barcode.modules
