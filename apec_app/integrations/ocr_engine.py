"""Tesseract through its library (tesserocr), kept loaded: one recognition costs milliseconds, not a process.

Starting the tesseract program costs about 0.17 s per call on this kind of machine (loading the model and
starting up), more than recognising an MRZ band takes; with several readings per image that alone would
exceed the 1-second budget. A tesserocr API object holds the loaded model, so each language is loaded once per
worker thread that needs it. An API object must not be used by two threads at once: `engine()` lends each
thread its own from a small pool and takes it back afterwards. Images go in as PIL images, text comes back:
nothing touches the disk.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from PIL import Image

_TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
# Dictionaries only get in the way of text that is not words (MRZ characters, dates, names in pinyin).
_INIT_VARIABLES = {"load_system_dawg": "0", "load_freq_dawg": "0"}


class OcrUnavailable(RuntimeError):
    """Tesseract (the tesserocr library or the language data it needs) is missing or failed."""


@cache
def tessdata() -> str | None:
    """The tessdata directory: $TESSDATA_PREFIX, else Debian's usual places; None when there is none."""
    candidates = [os.environ["TESSDATA_PREFIX"]] if os.environ.get("TESSDATA_PREFIX") else []
    for directory in [*candidates, *_TESSDATA_DIRS]:
        if (Path(directory) / "eng.traineddata").is_file():
            return directory.rstrip("/") + "/"
    return None


def has_language(lang: str) -> bool:
    """Whether every language of `lang` ("chi_sim+eng") has its data installed."""
    root = tessdata()
    return root is not None and all((Path(root) / f"{part}.traineddata").is_file() for part in lang.split("+"))


class _Pool:
    """Loaded API objects per language, lent to one thread at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: dict[str, list] = defaultdict(list)

    @contextmanager
    def lend(self, lang: str) -> Iterator:
        with self._lock:
            api = self._free[lang].pop() if self._free[lang] else None
        if api is None:
            api = _new_api(lang)
        try:
            yield api
        finally:
            with self._lock:
                self._free[lang].append(api)


def _new_api(lang: str):
    try:
        import tesserocr
    except ImportError as exc:  # the wheel bundles libtesseract; without it there is no OCR at all
        raise OcrUnavailable(f"tesserocr is not installed: {exc}") from exc
    root = tessdata()
    if root is None or not has_language(lang):
        raise OcrUnavailable(f"tesseract language data for {lang!r} is not installed")
    try:
        return tesserocr.PyTessBaseAPI(path=root, lang=lang, oem=tesserocr.OEM.LSTM_ONLY, variables=_INIT_VARIABLES)
    except RuntimeError as exc:
        raise OcrUnavailable(f"tesseract could not start for {lang!r}: {exc}") from exc


_POOL = _Pool()


@contextmanager
def engine(lang: str = "eng", psm: int = 6, whitelist: str = "") -> Iterator:
    """A tesserocr API for this thread alone, set to page segmentation mode `psm` and the character
    `whitelist` ("" for any character)."""
    with _POOL.lend(lang) as api:
        api.SetPageSegMode(psm)
        api.SetVariable("tessedit_char_whitelist", whitelist)
        yield api


def text(image: Image.Image, lang: str = "eng", psm: int = 6, whitelist: str = "", dpi: int = 300) -> str:
    """The text tesseract reads in `image`."""
    with engine(lang, psm, whitelist) as api:
        api.SetImage(image)
        api.SetSourceResolution(dpi)
        return api.GetUTF8Text()


def symbols(image: Image.Image, lang: str = "eng", psm: int = 7, dpi: int = 300) -> list[tuple[str, float]]:
    """Each character tesseract reads in `image`, in reading order, with its confidence (0-100)."""
    import tesserocr

    found = []
    with engine(lang, psm) as api:
        api.SetImage(image)
        api.SetSourceResolution(dpi)
        api.Recognize()
        level = tesserocr.RIL.SYMBOL
        for item in tesserocr.iterate_level(api.GetIterator(), level):
            char = item.GetUTF8Text(level)
            if char:
                found.append((char, item.Confidence(level)))
    return found
