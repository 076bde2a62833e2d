"""Image files made on the fly for tests: real JPEGs and PNGs, and ones whose headers claim other sizes."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image


def jpeg(size=(120, 80), color="blue", **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG", **save_options)
    return buffer.getvalue()


def noisy_jpeg(size=(400, 300)) -> bytes:
    """Random pixels, so most of the file is entropy-coded scan data (a truncation cuts real image data)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, random.Random(0).randbytes(size[0] * size[1] * 3)).save(buffer, "JPEG")
    return buffer.getvalue()


def png(size=(120, 80), mode="RGB", color="green") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, "PNG")
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A genuine 1-bit PNG of width×height white pixels, compressed row by row so the test never holds it."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small baseline JPEG whose frame header is rewritten to claim width×height."""
    data = bytearray(jpeg((16, 16)))
    frame = data.index(b"\xff\xc0")
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)
