"""Faces in an applicant's photo, found with the frontal-face cascade that ships inside scikit-image
(`skimage.data.lbp_frontal_face_cascade_filename()`, an LBP cascade trained by OpenCV), nothing downloaded.

OpenCV 5 (the opencv-python-headless wheel we pin) no longer has CascadeClassifier or the Haar files
(cv2.data.haarcascades is empty), and its FaceDetectorYN needs a model file that no wheel we use ships;
scikit-image is already installed for passporteye. `find_faces` returns the photo's size and the face boxes;
the pre-check (domain/prechecks.check_photo) judges them.

Speed: a passport-style photo is searched at 200 px on its long side (about 0.1 s); only when that finds no
face is it searched again at 400 px, where a small face still shows (about 0.4 s). Overlapping detections of one
face are merged (the cascade reports a face at several neighbouring scales).
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 4_000_000  # photos are at most 600×800; anything much larger is not a photo to read
FIRST_SIDE, SECOND_SIDE = 200, 400  # long side of the searched copy, first pass and the one for small faces
SCALE_FACTOR, MIN_NEIGHBOURS, MIN_FACE = 1.1, 4, 16
OVERLAP = 0.4  # a box covered this much by a larger one is the same face
_local = threading.local()

Box = tuple[int, int, int, int]  # x, y, width, height in the photo's pixels


@dataclass(frozen=True)
class FaceScan:
    width: int
    height: int
    faces: list[Box]  # largest first


def _cascade():
    """One detector per thread (the cascade object keeps scratch state)."""
    found = getattr(_local, "cascade", None)
    if found is None:
        from skimage.data import lbp_frontal_face_cascade_filename
        from skimage.feature import Cascade

        found = Cascade(lbp_frontal_face_cascade_filename())
        _local.cascade = found
    return found


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the header only; None when the bytes are no image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def _merged(boxes: list[Box]) -> list[Box]:
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda b: -b[2] * b[3]):
        x, y, w, h = box
        if not any(_shared(box, k) > OVERLAP * w * h for k in kept):
            kept.append(box)
    return kept


def _shared(a: Box, b: Box) -> int:
    dx = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    dy = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return dx * dy if dx > 0 and dy > 0 else 0


def _search(gray: Image.Image, side: int) -> list[Box]:
    scale = min(1.0, side / max(gray.size))
    small = gray.resize((max(1, round(gray.width * scale)), max(1, round(gray.height * scale))), Image.BILINEAR)
    pixels = np.asarray(small, dtype=np.float64) / 255.0
    found = _cascade().detect_multi_scale(
        img=pixels,
        scale_factor=SCALE_FACTOR,
        step_ratio=1,
        min_size=(MIN_FACE, MIN_FACE),
        max_size=(small.width, small.height),
        min_neighbor_number=MIN_NEIGHBOURS,
    )
    return _merged(
        [
            (round(d["c"] / scale), round(d["r"] / scale), round(d["width"] / scale), round(d["height"] / scale))
            for d in found
        ]
    )


def find_faces(data: bytes) -> FaceScan | None:
    """The faces in a photo; None when the bytes are no readable image or too large to decode safely."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None
            gray = image.convert("L")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    faces = _search(gray, FIRST_SIDE)
    if not faces and max(gray.size) > FIRST_SIDE:
        faces = _search(gray, SECOND_SIDE)
    return FaceScan(width, height, faces)
