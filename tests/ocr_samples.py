"""Synthetic "phone photos" of Chinese passport data pages, to measure the MRZ OCR without real passports.

A page is drawn at 12 px/mm (ID-3 size, 125 x 88 mm) with the MRZ in OCR-B from the `mrz` package's TD3
generator, then photographed: placed on a desk, rotated, put in perspective, unevenly lit, blurred, noised
and saved as a mid-quality JPEG. Everything is drawn from the seed, so a failing seed can be replayed.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import numpy as np
from mrz.generator.td3 import TD3CodeGenerator
from PIL import Image, ImageDraw, ImageFilter, ImageFont

PX_PER_MM = 12
PAGE_MM = (125, 88)
MRZ_PITCH_MM = 2.54  # ICAO 9303: 10 characters per inch
SURNAMES = (
    "WANG LI ZHANG LIU CHEN YANG HUANG ZHAO WU ZHOU XU SUN MA ZHU HU GUO HE GAO LIN LUO ZHENG LIANG XIE SONG TANG "
    "HAN FENG DENG CAO PENG ZENG XIAO TIAN DONG YUAN PAN YU JIANG CAI OUYANG SIMA ZHUGE QIAN KONG BAI CUI"
).split()
SYLLABLES = (
    "WEI FANG NA MIN JING LI QIANG LEI JUN YANG YONG YAN JIE TAO MING CHAO XIU XIA PING GANG GUI HUA HONG "
    "JIAN JIAN GUO ZHI XIAO YU LING MEI HAO BO YI HUI QING SHAN FENG LONG XIN YUE ZI KAI RUI CHEN SI YING"
).split()
NUMBER_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # a second letter in E-series numbers is never I or O
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
# The fields a reading must get right (the CLI's JSON keys; dates as YYYY-MM-DD).
EXPECTED_KEYS = (
    "surname", "given_names", "number", "nationality", "birth_date", "sex", "expiry_date", "issuing_state",
    "personal_number",
)  # fmt: skip


def _font_path(*names: str) -> str:
    """First installed font file among the candidates (Debian paths; fonts-ocr-b and fonts-noto-cjk)."""
    roots = (Path("/usr/share/fonts/opentype"), Path("/usr/share/fonts/truetype"))
    for name in names:
        for root in roots:
            found = sorted(root.glob(f"**/{name}"))
            if found:
                return str(found[0])
    raise FileNotFoundError(f"none of the fonts {names} is installed (apt-get install fonts-ocr-b fonts-noto-cjk)")


@cache
def _font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    paths = {
        "ocrb": ("OCRB.otf", "OCRB.ttf", "ocrb10.otf"),
        "cjk": ("NotoSansCJK-Regular.ttc", "DejaVuSans.ttf"),
        "bold": ("NotoSansCJK-Bold.ttc", "NotoSerifCJK-Bold.ttc", "DejaVuSans-Bold.ttf"),
    }
    return ImageFont.truetype(_font_path(*paths[kind]), size)


def _random_person(rng: random.Random) -> dict:
    """Holder data as a Chinese ordinary passport (E series, 10-year or 5-year validity) would carry."""
    if rng.random() < 0.5:
        number = "E" + "".join(rng.choices("0123456789", k=8))
    else:
        number = "E" + rng.choice(NUMBER_LETTERS) + "".join(rng.choices("0123456789", k=7))
    birth = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 58))
    issue = date(2016, 1, 1) + timedelta(days=rng.randrange(365 * 9))
    adult = (issue - birth).days >= 16 * 365
    years = 10 if adult else 5
    expiry = date(issue.year + years, issue.month, 1) + timedelta(days=issue.day - 2)  # the day before the anniversary
    personal = "".join(rng.choices("ABCDEFGHIJKLMNOP", k=13)) if rng.random() < 0.5 else ""
    return {
        "surname": rng.choice(SURNAMES),
        "given_names": "".join(rng.choices(SYLLABLES, k=rng.choice((1, 2, 2)))),
        "number": number,
        "nationality": "CHN",
        "birth_date": birth,
        "sex": rng.choice("MF"),
        "expiry_date": expiry,
        "issuing_state": "CHN",
        "issue_date": issue,
        "personal_number": personal,
    }


def mrz_lines(person: dict) -> list[str]:
    """The two TD3 lines for this holder, as the `mrz` package generates them."""
    code = TD3CodeGenerator(
        "PO",
        "CHN",
        person["surname"],
        person["given_names"],
        person["number"],
        person["nationality"],
        person["birth_date"].strftime("%y%m%d"),
        person["sex"],
        person["expiry_date"].strftime("%y%m%d"),
        person["personal_number"],
    )
    return str(code).splitlines()


def _mm(value: float) -> int:
    return round(value * PX_PER_MM)


def _guilloche(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """Pale page background with wavy security-print lines, so the page is not a blank rectangle."""
    w, h = size
    tint = np.array([rng.randint(228, 245), rng.randint(230, 245), rng.randint(222, 240)], dtype=np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    f1, f2, phase = rng.uniform(0.01, 0.03), rng.uniform(0.004, 0.012), rng.uniform(0, 6.3)
    waves = np.sin(yy * f1 + 14 * np.sin(xx * f2 + phase)) * np.sin(xx * f1 * 0.7 + 9 * np.cos(yy * f2))
    shade = (waves > 0.85).astype(np.float32) * 18
    colour = np.array([rng.uniform(0.3, 1), rng.uniform(0.3, 1), rng.uniform(0.3, 1)], dtype=np.float32)
    arr = tint[None, None, :] - shade[:, :, None] * colour[None, None, :]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def _portrait(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A portrait-like block: plain background, dark shoulders, a face and hair, all with hard edges."""
    w, h = size
    img = Image.new("RGB", size, (rng.randint(190, 225), rng.randint(200, 230), rng.randint(215, 240)))
    draw = ImageDraw.Draw(img)
    skin = (rng.randint(170, 220), rng.randint(130, 170), rng.randint(100, 140))
    draw.ellipse((w * 0.05, h * 0.68, w * 0.95, h * 1.4), fill=(40, 45, 60))
    draw.ellipse((w * 0.23, h * 0.18, w * 0.77, h * 0.72), fill=skin)
    draw.chord((w * 0.2, h * 0.12, w * 0.8, h * 0.5), 180, 360, fill=(25, 25, 30))
    return img


def _date_text(value: date) -> str:
    return f"{value.day:02d} {MONTHS[value.month - 1]} {value.year}"


def _draw_fields(draw: ImageDraw.ImageDraw, person: dict, rng: random.Random) -> None:
    """Visual-zone text: headings, bilingual labels and values at the usual places of a Chinese data page."""
    ink, label = (20, 20, 35), (90, 60, 70)
    draw.text((_mm(35), _mm(3)), "中华人民共和国  PEOPLE'S REPUBLIC OF CHINA", font=_font("bold", _mm(3.2)), fill=ink)
    draw.text((_mm(48), _mm(8.5)), "护照  PASSPORT", font=_font("bold", _mm(3.0)), fill=ink)
    rows = [
        (("类型/Type", "P"), ("国家码/Country Code", "CHN"), ("护照号/Passport No.", person["number"])),
        (("姓/Surname", person["surname"]), None, None),
        (("名/Given names", person["given_names"]), None, None),
        (("性别/Sex", "男/M" if person["sex"] == "M" else "女/F"), ("出生地点/Place of birth", "北京/BEIJING"), None),
        (("出生日期/Date of birth", _date_text(person["birth_date"])), None, None),
        (("签发日期/Date of issue", _date_text(person["issue_date"])), ("签发机关/Authority", "国家移民管理局"), None),
        (("有效期至/Date of expiry", _date_text(person["expiry_date"])), None, None),
    ]
    small, value = _font("cjk", _mm(1.7)), _font("bold", _mm(2.4))
    for r, row in enumerate(rows):
        y = _mm(14 + r * 7.6 + rng.uniform(-0.3, 0.3))
        for c, cell in enumerate(row):
            if cell:
                x = _mm(38 + c * 30)
                draw.text((x, y), cell[0], font=small, fill=label)
                draw.text((x, y + _mm(2.3)), cell[1], font=value, fill=ink)


def _draw_mrz(page: Image.Image, lines: list[str], rng: random.Random) -> None:
    """Both MRZ lines in OCR-B at the ICAO pitch, on the plain band at the bottom of the page."""
    draw = ImageDraw.Draw(page)
    w, h = page.size
    draw.rectangle((0, h - _mm(20), w, h), fill=tuple(min(255, c + 6) for c in page.getpixel((5, h - 5))))
    probe = _font("ocrb", 100)
    font = _font("ocrb", round(100 * _mm(MRZ_PITCH_MM) / probe.getlength("<")))
    ink = (rng.randint(0, 40),) * 3
    x = _mm(6 + rng.uniform(-0.8, 0.8))
    for i, line in enumerate(lines):
        draw.text((x, h - _mm(17.5 - 6.5 * i)), line, font=font, fill=ink)


def render_page(person: dict, rng: random.Random) -> Image.Image:
    """The flat, clean data page (RGB)."""
    page = _guilloche((_mm(PAGE_MM[0]), _mm(PAGE_MM[1])), rng)
    page.paste(_portrait((_mm(27), _mm(36)), rng), (_mm(5), _mm(14)))
    _draw_fields(ImageDraw.Draw(page), person, rng)
    _draw_mrz(page, mrz_lines(person), rng)
    return page


def _desk(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A desk-like background: one colour, wood-grain stripes and blotchy shading (drawn at 1/4 size: smooth)."""
    w, h = size[0] // 4, size[1] // 4
    np_rng = np.random.default_rng(rng.randrange(2**32))
    base = np.array(rng.choice([(120, 80, 50), (160, 120, 80), (90, 90, 95), (40, 40, 45), (200, 195, 185)]))
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    grain = np.sin(yy * rng.uniform(0.08, 0.3) + 3 * np.sin(xx * rng.uniform(0.008, 0.04))) * rng.uniform(5, 20)
    blotch = Image.fromarray((np_rng.random((6, 8)) * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
    shade = (np.asarray(blotch, dtype=np.float32) - 128) / 128 * 20
    arr = base[None, None, :] + (grain + shade)[:, :, None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB").resize(size, Image.BILINEAR)


def _perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """PIL's PERSPECTIVE coefficients mapping output points `dst` back to page points `src`."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    return np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64)).tolist()


def _page_corners(page_size: tuple[int, int], out_size: tuple[int, int], rng: random.Random) -> list:
    """Where the page's corners land in the photo: scaled, rotated by up to 8 degrees, each corner nudged."""
    pw, ph = page_size
    ow, oh = out_size
    scale = rng.uniform(0.6, 0.85) * ow / pw
    angle = np.radians(rng.uniform(-8, 8))
    cx, cy = ow / 2 + rng.uniform(-0.04, 0.04) * ow, oh / 2 + rng.uniform(-0.04, 0.04) * oh
    cos, sin, jitter = np.cos(angle), np.sin(angle), 0.025 * pw * scale
    corners = []
    for x, y in ((0, 0), (pw, 0), (pw, ph), (0, ph)):
        dx, dy = (x - pw / 2) * scale, (y - ph / 2) * scale
        corners.append(
            (
                cx + dx * cos - dy * sin + rng.uniform(-jitter, jitter),
                cy + dx * sin + dy * cos + rng.uniform(-jitter, jitter),
            )
        )
    return corners


def _lighting(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """Uneven light: a linear gradient in a random direction plus a soft bright spot (smooth: drawn at 1/8 size)."""
    w, h = size[0] // 8, size[1] // 8
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    theta = rng.uniform(0, 2 * np.pi)
    t = ((xx - w / 2) * np.cos(theta) + (yy - h / 2) * np.sin(theta)) / max(w, h) + 0.5
    low = rng.uniform(0.55, 0.85)
    gain = low + (1.0 - low) * np.clip(t, 0, 1)
    sx, sy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.3, 0.8) * max(w, h)
    spot = np.exp(-((xx - sx) ** 2 + (yy - sy) ** 2) / (2 * r * r)) * rng.uniform(0, 0.15)
    return np.asarray(Image.fromarray((gain + spot).astype(np.float32)).resize(size, Image.BILINEAR))


def photograph(page: Image.Image, rng: random.Random) -> Image.Image:
    """The page as a phone would take it: on a desk, in perspective, unevenly lit, blurred and noisy."""
    out_w = rng.choice((1400, 1600, 1800, 2000))
    out_size = (out_w, out_w * 3 // 4)
    corners = _page_corners(page.size, out_size, rng)
    pw, ph = page.size
    coeffs = _perspective_coeffs(corners, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    warped = page.convert("RGBA").transform(out_size, Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    photo = _desk(out_size, rng)
    photo.paste(warped, (0, 0), warped)
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.4)))
    np_rng = np.random.default_rng(rng.randrange(2**32))
    arr = np.asarray(photo, dtype=np.float32) * _lighting(out_size, rng)[:, :, None]
    arr += np_rng.standard_normal(arr.shape, dtype=np.float32) * rng.uniform(2, 8)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def make_passport_image(seed: int) -> tuple[bytes, dict]:
    """JPEG bytes of one photographed data page and what a perfect read returns for it (the CLI's keys)."""
    rng = random.Random(seed)
    person = _random_person(rng)
    photo = photograph(render_page(person, rng), rng)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=rng.randint(50, 85))
    expected = {
        "file": f"passport-{seed}.jpg",
        "valid": True,
        **{key: person[key] for key in EXPECTED_KEYS},
        "birth_date": person["birth_date"].isoformat(),
        "expiry_date": person["expiry_date"].isoformat(),
        "seconds": None,
        "failed_checks": [],
    }
    return buffer.getvalue(), expected
