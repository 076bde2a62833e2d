"""Printable PDF of a submitted application (申请表), drawn with fpdf2.

The Noto CJK font is embedded as a subset, so the Chinese shows on machines without CJK fonts; Debian ships it in
the package fonts-noto-cjk. fpdf2 reads the CFF outlines of the TTC collection directly (ReportLab cannot).
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

from barcode import Code128
from fontTools.ttLib import TTCollection
from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FONT_NAMES = ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "NotoSansCJK-Regular.otf")
FAMILY = "NotoSansCJK"
TITLE = "APEC商务旅行卡申请表"
LABEL_WIDTH = 50.0  # mm, the label column of every table
PHOTO_W, PHOTO_H = 30.0, 40.0  # mm, the box the applicant photo is scaled into
LABEL_STYLE = FontFace(emphasis="BOLD", fill_color=(242, 242, 242))

Rows = list[tuple[str, str]]


class FontMissingError(RuntimeError):
    """No Noto CJK font on this machine: the PDF cannot show Chinese without one."""


@dataclass
class PdfPerson:
    name: str
    rows: Rows
    photo_jpeg: bytes | None = None


@dataclass
class PdfApplication:
    number: str
    business_type_label: str
    status_label: str
    institution_name: str
    submitted_at: str
    sections: list[tuple[str, Rows]] = field(default_factory=list)
    people: list[PdfPerson] = field(default_factory=list)


@dataclass(frozen=True)
class CjkFont:
    regular: Path
    bold: Path
    face: int  # index of the Simplified Chinese face inside a .ttc collection, 0 for a plain .otf


def find_cjk_font(dirs: tuple[Path, ...] = FONT_DIRS) -> CjkFont:
    """The first Noto Sans CJK font under the font directories (any sub-folder: distributions place it differently)."""
    for name in FONT_NAMES:
        for root in dirs:
            for regular in sorted(root.rglob(name)) if root.is_dir() else ():
                bold = regular.with_name(regular.name.replace("Regular", "Bold"))
                return CjkFont(regular, bold if bold.is_file() else regular, _sc_face(regular))
    raise FontMissingError(
        f"未找到中文字体 {' / '.join(FONT_NAMES)}（在 {', '.join(map(str, dirs))} 下）；"
        "请安装 Debian 软件包 fonts-noto-cjk（apt-get install fonts-noto-cjk）。"
    )


@functools.lru_cache
def _sc_face(path: Path) -> int:
    """Index of 'Noto Sans CJK SC' in a collection: the JP face (index 0) draws some hanzi in Japanese shapes."""
    if path.suffix.lower() != ".ttc":
        return 0
    for index, font in enumerate(TTCollection(str(path), lazy=True).fonts):
        if font["name"].getDebugName(4) == "Noto Sans CJK SC":
            return index
    return 0


def barcode_modules(text: str) -> str:
    """Code 128 of the text as '1' (bar) and '0' (space) modules, drawn as vector bars rather than a bitmap."""
    return Code128(text).build()[0]


class _Document(FPDF):
    def __init__(self, number: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.number = number

    def header(self) -> None:
        """Continuation pages repeat the number, so loose pages can be matched to their application."""
        if self.page_no() > 1:
            self.set_font(FAMILY, "", 8)
            self.set_text_color(110)
            self.cell(0, 5, f"{TITLE}    申请单号：{self.number}", align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0)
            self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.cell(0, 5, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align="C")


def render(app: PdfApplication) -> bytes:
    """A4 portrait 申请表: header with number and barcode, one table per section, one block per person."""
    font = find_cjk_font()
    pdf = _Document(app.number)
    pdf.add_font(FAMILY, "", font.regular, collection_font_number=font.face)
    pdf.add_font(FAMILY, "B", font.bold, collection_font_number=font.face)
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(f"{TITLE} {app.number}")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    _head(pdf, app)
    for title, rows in app.sections:
        _heading(pdf, title)
        _table(pdf, rows, pdf.epw)
    if app.people:
        _heading(pdf, f"人员信息（共 {len(app.people)} 人）")
    for index, person in enumerate(app.people, start=1):
        _person(pdf, index, person)
    return bytes(pdf.output())


def _head(pdf: FPDF, app: PdfApplication) -> None:
    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(0, 10, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2
    _barcode(pdf, app.number, x=pdf.w - pdf.r_margin - 70, y=top, width=70, height=14)
    pdf.set_y(top)
    rows = [
        ("申请单号", app.number),
        ("业务类型", app.business_type_label),
        ("办理机构", app.institution_name),
        ("状态", app.status_label),
        ("提交时间", app.submitted_at),
    ]
    _table(pdf, rows, pdf.epw - 76)


def _barcode(pdf: FPDF, text: str, x: float, y: float, width: float, height: float) -> None:
    modules = barcode_modules(text)
    step = width / (len(modules) + 20)  # 10 modules of quiet zone on each side
    start = None
    for i, bit in enumerate(modules + "0"):
        if bit == "1" and start is None:
            start = i
        elif bit == "0" and start is not None:
            pdf.rect(x + (10 + start) * step, y, (i - start) * step, height, style="F")
            start = None
    pdf.set_font(FAMILY, "", 9)
    pdf.set_xy(x, y + height + 0.5)
    pdf.cell(width, 4, text, align="C")


def _heading(pdf: FPDF, title: str) -> None:
    """A section title, moved to the next page with its table when fewer than two rows would fit below it."""
    if pdf.will_page_break(25):
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, rows: Rows, width: float) -> None:
    """Label/value rows; fpdf2 wraps long values and carries the table over page breaks."""
    pdf.set_font(FAMILY, "", 9.5)
    with pdf.table(
        width=width,
        col_widths=(LABEL_WIDTH, width - LABEL_WIDTH),
        align="LEFT",
        first_row_as_headings=False,
        line_height=5,
        padding=1,
        v_align="TOP",
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label, style=LABEL_STYLE)
            row.cell(value)


def _person(pdf: FPDF, index: int, person: PdfPerson) -> None:
    """A person's heading and rows, the photo at the top right; starts a new page if the photo would not fit."""
    if pdf.will_page_break(PHOTO_H + 20):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(0, 7, f"申请人 {index}：{person.name}", new_x="LMARGIN", new_y="NEXT")
    page, top = pdf.page_no(), pdf.get_y()
    if person.photo_jpeg:
        x = pdf.w - pdf.r_margin - PHOTO_W
        pdf.image(io.BytesIO(person.photo_jpeg), x=x, y=top, w=PHOTO_W, h=PHOTO_H, keep_aspect_ratio=True)
    _table(pdf, person.rows, pdf.epw - PHOTO_W - 4)
    if pdf.page_no() == page:
        pdf.set_y(max(pdf.get_y(), top + PHOTO_H))
