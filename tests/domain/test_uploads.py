"""Upload checks: every sample file is generated here, so no binary fixture can go stale or carry a payload."""

from __future__ import annotations

import hashlib
import io
import resource
import time
import zipfile
import zlib

import pytest
from PIL import ExifTags, Image, ImageCms

from apec_app.domain import uploads
from apec_app.domain.uploads import MAX_BYTES, RULES, UploadRejected, check_upload, material_rule
from apec_app.ui_text.uploads import UPLOAD_MESSAGES, describe_upload_error
from tests.images import jpeg, jpeg_declaring, noisy_jpeg, png, png_declaring

ANY_MATERIAL = material_rule("jpg,jpeg,png,pdf")


def rejection(data: bytes, rule=RULES["passport_page"]) -> str:
    with pytest.raises(UploadRejected) as caught:
        check_upload(data, rule)
    return caught.value.code


# --- good images -----------------------------------------------------------------------------------------------


def test_jpeg_is_reencoded_upright_and_without_exif_gps_icc_xmp_or_comment():
    picture = Image.new("RGB", (120, 80), "blue")
    picture.paste((255, 0, 0), (0, 0, 120, 40))  # top half red as stored
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # shown rotated 90° clockwise: the stored top becomes the right side
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 0.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, icc_profile=icc, comment=b"secret-comment", xmp=b"<x>secret-xmp</x>")
    original = buffer.getvalue()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    checked = check_upload(original, RULES["photo"])

    assert (checked.kind, checked.content_type) == ("jpeg", "image/jpeg")
    assert (checked.width, checked.height) == (80, 120)
    assert checked.sha256 == hashlib.sha256(checked.data).hexdigest() and checked.size == len(checked.data)
    for trace in (b"Exif", b"PhoneMaker", b"secret-comment", b"secret-xmp", b"ICC_PROFILE"):
        assert trace not in checked.data
    stored = Image.open(io.BytesIO(checked.data))
    assert stored.size == (80, 120)
    assert not stored.getexif() and "icc_profile" not in stored.info and "comment" not in stored.info
    left, right = stored.getpixel((10, 60)), stored.getpixel((70, 60))
    assert left[2] > 200 and left[0] < 50  # blue (stored bottom) now on the left
    assert right[0] > 200 and right[2] < 50  # red (stored top) now on the right


def test_cmyk_jpeg_is_stored_as_rgb():
    buffer = io.BytesIO()
    Image.new("CMYK", (100, 100), (0, 255, 255, 0)).save(buffer, "JPEG")
    checked = check_upload(buffer.getvalue(), RULES["passport_page"])
    assert Image.open(io.BytesIO(checked.data)).mode == "RGB"


def test_png_is_accepted_only_where_the_rule_allows_it():
    assert rejection(png(), RULES["photo"]) == "upload_type"
    checked = check_upload(png(), ANY_MATERIAL)
    assert (checked.kind, checked.content_type, checked.width, checked.height) == ("png", "image/png", 120, 80)
    assert Image.open(io.BytesIO(checked.data)).format == "PNG"


def test_png_transparency_survives_reencoding():
    checked = check_upload(png(mode="RGBA", color=(0, 0, 0, 0)), ANY_MATERIAL)
    assert Image.open(io.BytesIO(checked.data)).getpixel((0, 0))[3] == 0


# --- wrong type, disguised scripts and polyglots ---------------------------------------------------------------


def test_empty_file_is_refused():
    assert rejection(b"") == "upload_empty"


@pytest.mark.parametrize(
    "content",
    [b"<?php system($_GET[1]); ?>", b"<html><script>alert(1)</script></html>", b"GIF89a...", b"just text"],
)
def test_non_image_named_jpg_is_refused_by_content(content):
    assert rejection(content) == "upload_type"


def test_jpeg_magic_followed_by_php_is_refused():
    assert rejection(b"\xff\xd8\xff\xe0<?php system($_GET[1]); ?>") == "upload_unsafe"


@pytest.mark.parametrize("payload", [b"<?php system($_GET[1]); ?>", b"<?PHP echo 1; ?>", b"<SCRIPT>x</SCRIPT>"])
def test_jpeg_polyglot_with_script_after_the_image_is_refused(payload):
    assert rejection(jpeg() + payload) == "upload_unsafe"


def test_script_hidden_in_a_jpeg_comment_is_refused():
    assert rejection(jpeg(comment=b"<?php system($_GET[1]); ?>")) == "upload_unsafe"


def test_jpeg_polyglot_with_zip_appended_is_sanitized_to_pixels_only():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.txt", "hidden")
    polyglot = jpeg() + archive.getvalue()
    assert zipfile.is_zipfile(io.BytesIO(polyglot))

    checked = check_upload(polyglot, RULES["passport_page"])

    assert b"PK\x03\x04" not in checked.data and not zipfile.is_zipfile(io.BytesIO(checked.data))
    assert checked.data.endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(checked.data)).size == (120, 80)


# --- size, bombs and corruption ------------------------------------------------------------------------------


def test_file_of_five_megabytes_is_refused_before_any_decoding(monkeypatch):
    opened = []
    monkeypatch.setattr(uploads.Image, "open", lambda *args, **kwargs: opened.append(args))
    at_limit = jpeg() + b"\x00" * (MAX_BYTES - len(jpeg()))
    assert len(at_limit) == MAX_BYTES
    assert rejection(at_limit) == "upload_too_large"
    assert opened == []


def test_file_just_under_five_megabytes_is_accepted():
    just_under = jpeg() + b"\x00" * (MAX_BYTES - 1 - len(jpeg()))
    assert check_upload(just_under, RULES["passport_page"]).size < 10_000


def test_png_bomb_is_refused_quickly_without_decoding():
    bomb = png_declaring(30000, 30000)  # 900 megapixels (~900 MB decoded) in ~100 KB
    assert len(bomb) < 200_000
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    assert rejection(bomb, ANY_MATERIAL) == "upload_pixels"
    assert time.perf_counter() - started < 0.5
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 50_000  # KiB


@pytest.mark.parametrize(
    "size",
    [
        (8000, 6000),  # 48 MP: under Pillow's own warning level, over ours
        (10000, 10000),  # 100 MP: Pillow's DecompressionBombWarning, made an error
        (65000, 65000),  # Pillow's DecompressionBombError
    ],
)
def test_jpeg_declaring_too_many_pixels_is_refused(size):
    assert rejection(jpeg_declaring(*size)) == "upload_pixels"


def test_image_just_under_the_pixel_limit_is_decoded():
    assert check_upload(png_declaring(6000, 6000), ANY_MATERIAL).width == 6000


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_jpeg_is_refused(keep):
    whole = noisy_jpeg()
    assert rejection(whole[: int(len(whole) * keep)]) == "upload_corrupt"


def test_garbage_after_jpeg_magic_is_refused():
    assert rejection(b"\xff\xd8\xff" + bytes(range(256)) * 4) == "upload_corrupt"


def test_png_with_bad_checksum_is_refused():
    data = bytearray(png())
    data[-20] ^= 0xFF  # inside the IDAT chunk
    assert rejection(bytes(data), ANY_MATERIAL) == "upload_corrupt"


# --- dimensions ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "size", "accepted"),
    [
        ("photo", (50, 50), True),
        ("photo", (600, 800), True),
        ("photo", (49, 50), False),
        ("photo", (50, 49), False),
        ("photo", (601, 800), False),
        ("photo", (600, 801), False),
        ("signature", (50, 50), True),
        ("signature", (600, 300), True),
        ("signature", (49, 100), False),
        ("signature", (601, 300), False),
        ("signature", (600, 301), False),
    ],
)
def test_dimension_bounds_are_inclusive(rule, size, accepted):
    data = jpeg(size)
    if accepted:
        checked = check_upload(data, RULES[rule])
        assert (checked.width, checked.height) == size
    else:
        assert rejection(data, RULES[rule]) == "upload_dimensions"


# --- PDF -----------------------------------------------------------------------------------------------------


def pdf(*objects: bytes, eof: bool = True) -> bytes:
    """A small PDF with a catalog (object 1, opening at page 3) and the given extra objects from number 4 on."""
    body = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        *objects,
    ]
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    for number, content in enumerate(body, start=1):
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    out += b"trailer\n<< /Root 1 0 R /Size %d >>\n" % (len(body) + 1)
    return out + (b"%%EOF\n" if eof else b"")


def object_stream(objects: bytes) -> bytes:
    packed = zlib.compress(objects)
    return (
        b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
        + packed
        + b"\nendstream"
    )


def test_clean_pdf_is_stored_unchanged():
    original = pdf(object_stream(b"5 0 << /Title (ok) >>"))
    checked = check_upload(original, ANY_MATERIAL)
    assert (checked.kind, checked.content_type, checked.width, checked.height) == ("pdf", "application/pdf", None, None)
    assert checked.data == original


def test_pdf_is_refused_where_only_jpeg_is_allowed():
    assert rejection(pdf()) == "upload_type"


@pytest.mark.parametrize(
    "active",
    [
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
        b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",
        b"<< /S /Launch /F (cmd.exe) >>",
        b"<< /Type /EmbeddedFile /Length 0 >>",
        b"<< /Names << /EmbeddedFiles 6 0 R >> >>",
    ],
)
def test_pdf_with_scripts_launch_actions_or_attachments_is_refused(active):
    assert rejection(pdf(active), ANY_MATERIAL) == "upload_unsafe"


def test_pdf_with_javascript_hidden_in_a_compressed_object_stream_is_refused():
    assert rejection(pdf(object_stream(b"5 0 << /S /JavaScript /JS (app.alert(1)) >>")), ANY_MATERIAL) == (
        "upload_unsafe"
    )


def test_pdf_whose_object_stream_cannot_be_inspected_is_refused():
    unreadable = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 9 >>\nstream\nnot zlib!\nendstream"
    assert rejection(pdf(unreadable), ANY_MATERIAL) == "upload_unsafe"


def test_pdf_with_html_is_refused():
    assert rejection(pdf(b"(<html><script>alert(1)</script>)"), ANY_MATERIAL) == "upload_unsafe"


def test_truncated_pdf_is_refused():
    assert rejection(pdf(eof=False), ANY_MATERIAL) == "upload_corrupt"


# --- rules and messages --------------------------------------------------------------------------------------


def test_material_rule_reads_configured_types():
    assert ANY_MATERIAL.kinds == frozenset({"jpeg", "png", "pdf"})
    assert material_rule("JPG, .png").kinds == frozenset({"jpeg", "png"})
    for bad in ("", "gif", "jpg,exe"):
        with pytest.raises(ValueError):
            material_rule(bad)


def test_rejection_is_a_value_error_with_a_code():
    error = UploadRejected("upload_empty")
    assert isinstance(error, ValueError) and error.code == "upload_empty"


def test_messages_name_the_rules_own_limits():
    assert describe_upload_error("upload_type", RULES["photo"]) == "仅支持jpg、jpeg格式"
    assert describe_upload_error("upload_type", ANY_MATERIAL) == "仅支持jpg、jpeg、png、pdf格式"
    assert describe_upload_error("upload_too_large", RULES["photo"]) == "文件大小需小于5M"
    assert describe_upload_error("upload_dimensions", RULES["photo"]) == "图片长宽需在50*50-600*800像素之间"
    assert describe_upload_error("upload_dimensions", RULES["signature"]) == "图片长宽需在50*50-600*300像素之间"
    assert describe_upload_error("upload_empty", RULES["photo"]) == "文件为空"
    assert all(describe_upload_error(code, ANY_MATERIAL) for code in UPLOAD_MESSAGES)
