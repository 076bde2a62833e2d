"""Upload files the end-to-end tests make on the fly."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw


def jpeg(path: Path, size: tuple[int, int], text: str = "") -> Path:
    image = Image.new("RGB", size, (235, 240, 250))
    ImageDraw.Draw(image).rectangle([5, 5, size[0] - 5, size[1] - 5], outline=(40, 40, 120), width=3)
    if text:
        ImageDraw.Draw(image).text((10, 10), text, fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return path


def png(path: Path, size: tuple[int, int] = (400, 300)) -> Path:
    Image.new("RGB", size, (250, 250, 250)).save(path, "PNG")
    return path
