"""Checking uploaded files by their content, and reducing images to their pixels before anyone stores them.

Nothing here trusts the file name or the browser's content type. Images are fully decoded and re-encoded, so
whatever rode along in the original bytes (EXIF with GPS, comments, a ZIP or script appended after the image)
is never stored or served; PDFs cannot be re-encoded safely, so they are inspected and kept as they are.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
JPEG_QUALITY = 90

KINDS = ("jpeg", "png", "pdf")
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}
_MAGIC = {"jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}
_PIL_FORMATS = {"jpeg": "JPEG", "png": "PNG"}
_KIND_NAMES = {"jpg": "jpeg", "jpeg": "jpeg", "png": "png", "pdf": "pdf"}

# Markers that make a file dangerous if a browser or a misconfigured server ever interprets it as a page.
_UNSAFE_TEXT = re.compile(rb"<\?php|<script|<html", re.IGNORECASE)
# PDF features that run code or carry other files; names may be written with #xx escapes (see _pdf_names).
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?)(?![A-Za-z0-9])")
_PDF_STREAM = re.compile(rb"stream\r?\n")
_PDF_OBJSTM = re.compile(rb"/Type\s*/ObjStm(?![A-Za-z0-9])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_EOF_WINDOW = 1024
_PDF_INFLATE_LIMIT = 16 * 1024 * 1024


class UploadRejected(ValueError):
    """An upload that must not be stored; `code` maps to a message in apec_app/ui_text/uploads.py."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class UploadRule:
    """What one upload slot accepts: content kinds, a byte limit (strictly less than) and inclusive pixel bounds."""

    kinds: frozenset[str]
    max_bytes: int = MAX_BYTES
    min_size: tuple[int, int] | None = None
    max_size: tuple[int, int] | None = None


@dataclass(frozen=True)
class CheckedUpload:
    """The bytes to store (re-encoded for images), described by what they are, not by what the client said."""

    kind: str
    content_type: str
    width: int | None
    height: int | None
    data: bytes
    sha256: str
    size: int


_JPEG_ONLY = frozenset({"jpeg"})
RULES: dict[str, UploadRule] = {
    "passport_page": UploadRule(_JPEG_ONLY),
    "photo": UploadRule(_JPEG_ONLY, min_size=(50, 50), max_size=(600, 800)),
    "signature": UploadRule(_JPEG_ONLY, min_size=(50, 50), max_size=(600, 300)),
    "social_security": UploadRule(_JPEG_ONLY),
    "no_criminal_record": UploadRule(_JPEG_ONLY),
    # 收银台 (manual 1.2.6): "支持jpg、jpeg格式，文件大小需小于5M".
    "payment_voucher": UploadRule(_JPEG_ONLY),
}


def material_rule(accepted: str) -> UploadRule:
    """The rule for a configured material, from its accepted types such as "jpg,jpeg,png,pdf".

    An unknown or empty list is a configuration mistake, so it raises ValueError instead of accepting nothing.
    """
    names = [n.strip().lstrip(".").lower() for n in re.split(r"[,，、\s]+", accepted) if n.strip()]
    unknown = [n for n in names if n not in _KIND_NAMES]
    if unknown or not names:
        raise ValueError(f"unknown upload types: {accepted!r}")
    return UploadRule(frozenset(_KIND_NAMES[n] for n in names))


def check_upload(data: bytes, rule: UploadRule) -> CheckedUpload:
    """Accept `data` under `rule` and return the sanitized bytes to store, or raise UploadRejected."""
    if not data:
        raise UploadRejected("upload_empty")
    if len(data) >= rule.max_bytes:
        raise UploadRejected("upload_too_large")
    kind = sniff_kind(data)
    if kind is None or kind not in rule.kinds:
        raise UploadRejected("upload_type")
    if _UNSAFE_TEXT.search(data):
        raise UploadRejected("upload_unsafe")
    if kind == "pdf":
        _check_pdf(data)
        return _checked(kind, data, None, None)
    image = _decode(data, kind)
    _check_dimensions(image.size, rule)
    return _checked(kind, _reencode(image, kind), *image.size)


def sniff_kind(data: bytes) -> str | None:
    """The kind named by the file's leading magic bytes, or None."""
    return next((kind for kind, magic in _MAGIC.items() if data.startswith(magic)), None)


def _checked(kind: str, data: bytes, width: int | None, height: int | None) -> CheckedUpload:
    return CheckedUpload(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        width=width,
        height=height,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def _decode(data: bytes, kind: str) -> Image.Image:
    """Fully decode with only the expected decoder, refusing bombs before any pixel is allocated.

    Pillow warns (and above twice its limit refuses) on huge images at open; the warning is made an error here,
    and our own lower limit is checked from the header before verify() and load().
    """
    formats = [_PIL_FORMATS[kind]]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=formats) as probe:
                _check_pixels(probe.size)
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=formats)
            image.load()
            return ImageOps.exif_transpose(image)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise UploadRejected("upload_pixels") from exc
    except Exception as exc:  # decoders fed hostile bytes raise many types; all mean "not a usable image"
        raise UploadRejected("upload_corrupt") from exc


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width * height > MAX_PIXELS:
        raise UploadRejected("upload_pixels")


def _check_dimensions(size: tuple[int, int], rule: UploadRule) -> None:
    """Bounds are inclusive and apply to the image as displayed (after EXIF orientation)."""
    width, height = size
    too_small = rule.min_size is not None and (width < rule.min_size[0] or height < rule.min_size[1])
    too_large = rule.max_size is not None and (width > rule.max_size[0] or height > rule.max_size[1])
    if too_small or too_large:
        raise UploadRejected("upload_dimensions")


def _reencode(image: Image.Image, kind: str) -> bytes:
    """Write only the pixels: Pillow copies comments and ICC profiles from `info`, so it is emptied first."""
    if kind == "jpeg":
        clean = image.convert("RGB")
    else:
        has_alpha = "A" in image.getbands() or "transparency" in image.info
        clean = image.convert("RGBA" if has_alpha else "RGB")
    clean.info = {}
    buffer = io.BytesIO()
    if kind == "jpeg":
        clean.save(buffer, format="JPEG", quality=JPEG_QUALITY)
    else:
        clean.save(buffer, format="PNG")
    return buffer.getvalue()


def _check_pdf(data: bytes) -> None:
    """A complete PDF with no scripts, launch actions or embedded files, also inside compressed object streams."""
    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        raise UploadRejected("upload_corrupt")
    if _PDF_ACTIVE.search(_pdf_names(data)):
        raise UploadRejected("upload_unsafe")
    for objects in _pdf_object_streams(data):
        if _PDF_ACTIVE.search(_pdf_names(objects)):
            raise UploadRejected("upload_unsafe")


def _pdf_names(data: bytes) -> bytes:
    """Undo #xx escapes in names, so /J#61vaScript cannot hide from the scan."""
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), data)


def _pdf_object_streams(data: bytes) -> list[bytes]:
    """Inflate every compressed object stream (PDF 1.5+ may hide whole objects inside them).

    One that cannot be inflated completely within the limit (other filters, encryption, a zip bomb, a stream
    cut short by a fake "endstream") cannot be inspected, so the file is refused.
    """
    inflated: list[bytes] = []
    budget = _PDF_INFLATE_LIMIT
    position = 0
    while match := _PDF_STREAM.search(data, position):
        before = data[position : match.start()]
        dictionary = _pdf_names(before[before.rfind(b"obj") + 1 :])
        end = data.find(b"endstream", match.end())
        end = len(data) if end == -1 else end
        position = end + len(b"endstream")
        if _PDF_OBJSTM.search(dictionary) and b"/Filter" in dictionary:
            inflated.append(_inflate(data[match.end() : end], budget))
            budget -= len(inflated[-1])
    return inflated


def _inflate(raw: bytes, limit: int) -> bytes:
    decompressor = zlib.decompressobj()
    try:
        objects = decompressor.decompress(raw, limit)
    except zlib.error as exc:
        raise UploadRejected("upload_unsafe") from exc
    if not decompressor.eof or len(objects) >= limit:
        raise UploadRejected("upload_unsafe")
    return objects
