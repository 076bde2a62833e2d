"""Synthetic "phone photos" of Chinese passport data pages, to measure the passport OCR without real passports.

A page is drawn at 12 px/mm (ID-3 size, 125 x 88 mm) in the layout of the Chinese ordinary passport's data page:
the bilingual labels (姓/Surname, 名/Given names, 签发日期/Date of issue, 签发地点/Place of issue, 签发机关/Authority
...) in a small sans, the values below them in bold, the Chinese value and its pinyin or English together
(张/ZHANG, 江苏/JIANGSU, 男/M), dates as printed there (15 1月/JAN 2016), the MRZ in OCR-B from the `mrz`
package's TD3 generator. The holder's Chinese name is drawn from common surnames and given-name characters
whose pinyin is the MRZ's name.

The page is then photographed: placed on a desk, rotated, put in perspective, unevenly lit, blurred, noised
and saved as a mid-quality JPEG ("standard"). The harder conditions add one difficulty each on top:
"perspective" (the page tilted up to 15 degrees away from the camera), "glare" (bright spots washing out the
print), "shadow" (a hard-edged shadow across the page), "lowres" (MRZ letters 12 px high) and "jpeg30" (JPEG
quality 30). Everything is drawn from the seed, so a failing seed can be replayed.
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

from apec_app.domain.enterprise import PROVINCES
from apec_app.domain.person import ISSUE_PLACES

PX_PER_MM = 12
PAGE_MM = (125, 88)
MRZ_PITCH_MM = 2.54  # ICAO 9303: 10 characters per inch
OCRB_CAP_EM = 0.7  # height of OCR-B capitals and digits, per em
# (surname, pinyin) and (given-name character, pinyin): common ones, compound surnames and surnames whose
# reading is not the character's usual one (单 SHAN, 曾 ZENG, 吕 LYU, 覃 QIN, 翟 ZHAI).
SURNAMES = tuple(
    tuple(pair.split(":"))
    for pair in (
        "王:WANG 李:LI 张:ZHANG 刘:LIU 陈:CHEN 杨:YANG 黄:HUANG 赵:ZHAO 吴:WU 周:ZHOU 徐:XU 孙:SUN 马:MA 朱:ZHU "
        "胡:HU 郭:GUO 何:HE 高:GAO 林:LIN 罗:LUO 郑:ZHENG 梁:LIANG 谢:XIE 宋:SONG 唐:TANG 韩:HAN 冯:FENG 邓:DENG "
        "曹:CAO 彭:PENG 曾:ZENG 肖:XIAO 田:TIAN 董:DONG 袁:YUAN 潘:PAN 于:YU 蒋:JIANG 蔡:CAI 欧阳:OUYANG 司马:SIMA "
        "诸葛:ZHUGE 钱:QIAN 孔:KONG 白:BAI 崔:CUI 单:SHAN 吕:LYU 覃:QIN 翟:ZHAI"
    ).split()
)
GIVEN = tuple(
    tuple(pair.split(":"))
    for pair in (
        "伟:WEI 芳:FANG 娜:NA 敏:MIN 静:JING 丽:LI 强:QIANG 磊:LEI 军:JUN 洋:YANG 勇:YONG 艳:YAN 杰:JIE 涛:TAO "
        "明:MING 超:CHAO 秀:XIU 霞:XIA 平:PING 刚:GANG 桂:GUI 华:HUA 红:HONG 建:JIAN 国:GUO 志:ZHI 小:XIAO 玉:YU "
        "玲:LING 梅:MEI 浩:HAO 波:BO 毅:YI 辉:HUI 庆:QING 山:SHAN 峰:FENG 龙:LONG 鑫:XIN 悦:YUE 子:ZI 凯:KAI "
        "瑞:RUI 晨:CHEN 思:SI 英:YING"
    ).split()
)
NUMBER_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # a second letter in E-series numbers is never I or O
MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
# The authority printed on passports issued before and since the National Immigration Administration took over.
AUTHORITIES = ((date(2019, 4, 1), "公安部出入境管理局", "MPS Exit & Entry Administration"),
               (date(9999, 1, 1), "国家移民管理局", "National Immigration Administration, PRC"))  # fmt: skip
CONDITIONS = ("standard", "perspective", "glare", "shadow", "lowres", "jpeg30")
# The fields a reading must get right (the CLI's JSON keys; dates as YYYY-MM-DD).
EXPECTED_KEYS = (
    "surname", "given_names", "number", "nationality", "birth_date", "sex", "expiry_date", "issuing_state",
    "personal_number",
)  # fmt: skip
VISUAL_KEYS = ("surname_cn", "given_names_cn", "issue_date", "issue_place", "issuing_authority")


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
    path = _font_path(*paths[kind])
    return ImageFont.truetype(path, size, index=2 if path.endswith(".ttc") else 0)  # 2: the SC (简体) faces


def _short_province(name: str) -> str:
    """江苏省 → 江苏, 广西壮族自治区 → 广西: the province as the passport prints it."""
    for suffix in ("特别行政区", "维吾尔自治区", "回族自治区", "壮族自治区", "自治区", "省", "市"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


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
    surname_cn, surname = rng.choice(SURNAMES)
    given = rng.choices(GIVEN, k=rng.choice((1, 2, 2)))
    place = rng.randrange(len(PROVINCES) - 1)  # not 台湾: no passport office there
    _, authority_cn, authority_en = next(a for a in AUTHORITIES if issue < a[0])
    return {
        "surname": surname,
        "given_names": "".join(p for _, p in given),
        "surname_cn": surname_cn,
        "given_names_cn": "".join(c for c, _ in given),
        "number": number,
        "nationality": "CHN",
        "birth_date": birth,
        "sex": rng.choice("MF"),
        "expiry_date": expiry,
        "issuing_state": "CHN",
        "issue_date": issue,
        "issue_place": ISSUE_PLACES[place],
        "issue_place_cn": _short_province(PROVINCES[place]),
        "issuing_authority": authority_cn,
        "issuing_authority_en": authority_en,
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


def date_text(value: date) -> str:
    """A date as the data page prints it: day, month in Chinese and English, year (15 1月/JAN 2016)."""
    return f"{value.day:02d} {value.month}月/{MONTHS[value.month - 1]} {value.year}"


# Where the visual zone's fields lie (mm from the page's top-left corner): label, then value 2.3 mm below.
COLUMNS_MM = (38.0, 70.0, 96.0)
ROWS_MM = (14.0, 21.0, 28.0, 35.0, 42.0, 49.0, 56.0)
VALUE_DROP_MM = 2.3
LABEL_MM, VALUE_MM = 1.7, 2.4  # font sizes (em)


def _fields(person: dict) -> list[tuple[int, int, str, str]]:
    """(row, column, label, value) of every field of the visual zone."""
    sex = "男/M" if person["sex"] == "M" else "女/F"
    return [
        (0, 0, "类型/Type", "P"),
        (0, 1, "国家码/Country Code", "CHN"),
        (0, 2, "护照号/Passport No.", person["number"]),
        (1, 0, "姓/Surname", f"{person['surname_cn']}/{person['surname']}"),
        (2, 0, "名/Given names", f"{person['given_names_cn']}/{person['given_names']}"),
        (3, 0, "性别/Sex", sex),
        (3, 1, "国籍/Nationality", "中国/CHINESE"),
        (4, 0, "出生日期/Date of birth", date_text(person["birth_date"])),
        (4, 1, "出生地点/Place of birth", "北京/BEIJING"),
        (5, 0, "签发日期/Date of issue", date_text(person["issue_date"])),
        (5, 1, "签发地点/Place of issue", f"{person['issue_place_cn']}/{person['issue_place']}"),
        (6, 0, "有效期至/Date of expiry", date_text(person["expiry_date"])),
        (6, 1, "签发机关/Authority", person["issuing_authority"]),
    ]


def _draw_fields(draw: ImageDraw.ImageDraw, person: dict, rng: random.Random) -> None:
    """Visual-zone text: headings, bilingual labels and values at the places of the Chinese data page."""
    ink, label_ink = (20, 20, 35), (90, 60, 70)
    draw.text((_mm(35), _mm(3)), "中华人民共和国  PEOPLE'S REPUBLIC OF CHINA", font=_font("bold", _mm(3.2)), fill=ink)
    draw.text((_mm(48), _mm(8.5)), "护照  PASSPORT", font=_font("bold", _mm(3.0)), fill=ink)
    small, value = _font("cjk", _mm(LABEL_MM)), _font("bold", _mm(VALUE_MM))
    jitter = [rng.uniform(-0.3, 0.3) for _ in ROWS_MM]
    for row, column, label, text in _fields(person):
        x, y = _mm(COLUMNS_MM[column]), _mm(ROWS_MM[row] + jitter[row])
        draw.text((x, y), label, font=small, fill=label_ink)
        draw.text((x, y + _mm(VALUE_DROP_MM)), text, font=value, fill=ink)
    english = _font("cjk", _mm(1.6))
    y = _mm(ROWS_MM[6] + jitter[6] + VALUE_DROP_MM + 2.9)
    draw.text((_mm(COLUMNS_MM[1]), y), person["issuing_authority_en"], font=english, fill=ink)


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


def render_page(person: dict, rng: random.Random, mrz_person: dict | None = None) -> Image.Image:
    """The flat, clean data page (RGB); the MRZ of `mrz_person` when given (a page contradicting its MRZ)."""
    page = _guilloche((_mm(PAGE_MM[0]), _mm(PAGE_MM[1])), rng)
    page.paste(_portrait((_mm(27), _mm(36)), rng), (_mm(5), _mm(14)))
    _draw_fields(ImageDraw.Draw(page), person, rng)
    _draw_mrz(page, mrz_lines(mrz_person or person), rng)
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


def _page_corners(page_size: tuple[int, int], out_size: tuple[int, int], rng: random.Random, fill: float,
                  tilt: float = 0.0) -> list:  # fmt: skip
    """Where the page's corners land in the photo: scaled to `fill` of the photo's width, rotated by up to 8
    degrees, each corner nudged, and with `tilt` the page turned up to that many degrees about a random axis
    in its plane, seen through a lens of a phone's field of view."""
    pw, ph = page_size
    ow, oh = out_size
    scale = fill * ow / pw
    angle = np.radians(rng.uniform(-8, 8))
    cx, cy = ow / 2 + rng.uniform(-0.04, 0.04) * ow, oh / 2 + rng.uniform(-0.04, 0.04) * oh
    cos, sin, jitter = np.cos(angle), np.sin(angle), 0.025 * pw * scale
    axis = rng.uniform(0, np.pi)
    theta = np.radians(rng.uniform(0.6, 1.0) * tilt) * rng.choice((-1, 1))
    focal = 1.2 * ow
    corners = []
    for x, y in ((0, 0), (pw, 0), (pw, ph), (0, ph)):
        dx, dy = (x - pw / 2) * scale, (y - ph / 2) * scale
        if tilt:  # rotate the point about the in-plane axis, then project from the camera at distance `focal`
            along = dx * np.cos(axis) + dy * np.sin(axis)
            across = -dx * np.sin(axis) + dy * np.cos(axis)
            across, depth = across * np.cos(theta), across * np.sin(theta)
            dx, dy = along * np.cos(axis) - across * np.sin(axis), along * np.sin(axis) + across * np.cos(axis)
            dx, dy = dx * focal / (focal + depth), dy * focal / (focal + depth)
        nudge = (rng.uniform(-jitter, jitter), rng.uniform(-jitter, jitter)) if not tilt else (0.0, 0.0)
        corners.append((cx + dx * cos - dy * sin + nudge[0], cy + dx * sin + dy * cos + nudge[1]))
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


def _glare(arr: np.ndarray, corners: list, rng: random.Random) -> np.ndarray:
    """One to three bright specular spots on the printed part of the page (the fields and the MRZ), washing the
    print out towards white."""
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = corners  # top-left, top-right, bottom-right, bottom-left
    for _ in range(rng.randint(1, 3)):
        u, v = rng.uniform(0.3, 0.95), rng.uniform(0.2, 0.9)  # a point of the page, bilinearly placed
        sx = (1 - v) * ((1 - u) * x0 + u * x1) + v * ((1 - u) * x3 + u * x2)
        sy = (1 - v) * ((1 - u) * y0 + u * y1) + v * ((1 - u) * y3 + u * y2)
        rx, ry = rng.uniform(0.03, 0.09) * w, rng.uniform(0.02, 0.06) * w
        spot = np.exp(-(((xx - sx) / rx) ** 2 + ((yy - sy) / ry) ** 2)) * rng.uniform(0.6, 0.9)
        arr = arr + (255 - arr) * spot[:, :, None]
    return arr


def _shadow(arr: np.ndarray, rng: random.Random) -> np.ndarray:
    """A hard-edged shadow (a hand or a phone) across a part of the photo, slightly blurred at its edge."""
    h, w = arr.shape[:2]
    mask = Image.new("L", (w, h), 0)
    side = rng.choice(("left", "right", "top", "bottom"))
    reach = rng.uniform(0.2, 0.45)
    if side in ("left", "right"):
        x0 = w * reach if side == "left" else w * (1 - reach)
        x1 = x0 + rng.uniform(-0.15, 0.15) * w
        edge = 0 if side == "left" else w
        polygon = [(edge, 0), (x0, 0), (x1, h), (edge, h)]
    else:
        y0 = h * reach if side == "top" else h * (1 - reach)
        y1 = y0 + rng.uniform(-0.15, 0.15) * h
        edge = 0 if side == "top" else h
        polygon = [(0, edge), (0, y0), (w, y1), (w, edge)]
    ImageDraw.Draw(mask).polygon(polygon, fill=255)
    soft = np.asarray(mask.filter(ImageFilter.GaussianBlur(w / 200)), dtype=np.float32) / 255
    depth = rng.uniform(0.4, 0.6)
    return arr * (1 - soft * (1 - depth))[:, :, None]


def photograph(page: Image.Image, rng: random.Random, condition: str = "standard") -> Image.Image:
    """The page as a phone would take it: on a desk, in perspective, unevenly lit, blurred and noisy; plus
    the difficulty of `condition` (see the module docstring)."""
    out_w = rng.choice((1400, 1600, 1800, 2000))
    fill = rng.uniform(0.6, 0.85)
    if condition == "lowres":  # MRZ capitals 12 px high: the page about 610 px wide
        page_px = 12 / (OCRB_CAP_EM * MRZ_PITCH_MM / 0.72296875) * PAGE_MM[0]
        out_w = round(page_px / fill)
    out_size = (out_w, out_w * 3 // 4)
    corners = _page_corners(page.size, out_size, rng, fill, tilt=15.0 if condition == "perspective" else 0.0)
    pw, ph = page.size
    coeffs = _perspective_coeffs(corners, [(0, 0), (pw, 0), (pw, ph), (0, ph)])
    warped = page.convert("RGBA").transform(out_size, Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    photo = _desk(out_size, rng)
    photo.paste(warped, (0, 0), warped)
    blur = rng.uniform(0.4, 1.4) * (0.6 if condition == "lowres" else 1.0)
    photo = photo.filter(ImageFilter.GaussianBlur(blur))
    np_rng = np.random.default_rng(rng.randrange(2**32))
    arr = np.asarray(photo, dtype=np.float32) * _lighting(out_size, rng)[:, :, None]
    if condition == "glare":
        arr = _glare(arr, corners, rng)
    elif condition == "shadow":
        arr = _shadow(arr, rng)
    arr += np_rng.standard_normal(arr.shape, dtype=np.float32) * rng.uniform(2, 8)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")


def make_passport_image(seed: int, condition: str = "standard", printed: dict | None = None) -> tuple[bytes, dict]:
    """JPEG bytes of one photographed data page and what a perfect read returns for it (the CLI's keys).

    `printed` overrides what the visual zone prints (keys of VISUAL_KEYS, issue_date as a date, issue_place
    with its Chinese as issue_place_cn) while the MRZ keeps the holder's data: a page whose printed fields
    contradict its MRZ, for the cross-checks. The expected values stay the holder's."""
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition {condition!r}; one of {CONDITIONS}")
    rng = random.Random(seed)
    person = _random_person(rng)
    page = render_page({**person, **(printed or {})}, rng, mrz_person=person)
    photo = photograph(page, rng, condition)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=30 if condition == "jpeg30" else rng.randint(50, 85))
    expected = {
        "file": f"passport-{seed}-{condition}.jpg" if condition != "standard" else f"passport-{seed}.jpg",
        "valid": True,
        **{key: person[key] for key in EXPECTED_KEYS},
        "birth_date": person["birth_date"].isoformat(),
        "expiry_date": person["expiry_date"].isoformat(),
        **{key: person[key] for key in VISUAL_KEYS},
        "issue_date": person["issue_date"].isoformat(),
        "seconds": None,
        "failed_checks": [],
    }
    return buffer.getvalue(), expected
