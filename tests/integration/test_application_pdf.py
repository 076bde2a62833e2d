"""The printable 申请表 PDF: pages and footers, every field's text, the embedded font subset, the photo.

Text is read with PDFium (pypdfium2, as Chrome shows it): pypdf does not read fpdf2's embedded encoding CMap of
CID-keyed CFF fonts, so its extract_text garbles the Chinese once more than 255 distinct glyphs are used.
"""

from __future__ import annotations

import io
import re

import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader

from apec_app.integrations.application_pdf import (
    FontMissingError,
    PdfApplication,
    PdfPerson,
    barcode_modules,
    find_cjk_font,
    render,
)

NUMBER = "APEC20250612000123"
SCOPE = (
    "技术开发、技术咨询、技术服务；计算机软硬件及辅助设备批发；货物进出口；技术进出口；" * 3
    + "（依法须经批准的项目除外）"
)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (90, 140, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def person(index: int, photo: bytes | None) -> PdfPerson:
    name = "张伟" if index == 1 else f"李明{index}"
    rows = [
        ("姓名", name),
        ("姓名拼音", "ZHANG WEI"),
        ("身份证号", f"1101051949123{index:04d}X"),
        ("性别", "男"),
        ("出生日期", "1949-12-31"),
        ("出生地点", "中国 江苏省 南京市"),
        ("家庭住址", "江苏省南京市鼓楼区北京西路70号"),
        ("手机号码", "13800138000"),
        ("电子邮箱", "zhangwei@example.com"),
        ("职务", "总经理"),
        ("在所属单位连续工作时间(月)", "36"),
        ("护照号码", f"EA{index:07d}"),
        ("护照种类", "普通护照"),
        ("签发日期", "2020-01-01"),
        ("失效日期", "2030-01-01"),
        ("签发机关", "国家移民管理局"),
        ("是否有APEC经济体签证记录", "是"),
        ("是否有旧APEC卡", "否"),
    ]
    return PdfPerson(name=name, rows=rows, photo_jpeg=photo)


def application(people: int, photo: bytes | None = None) -> PdfApplication:
    return PdfApplication(
        number=NUMBER,
        business_type_label="新办/续办",
        status_label="待审核",
        institution_name="江苏省人民政府外事办公室",
        submitted_at="2025-06-12 10:30",
        sections=[
            (
                "单位信息",
                [
                    ("名称", "南京示例科技有限公司"),
                    ("统一社会信用代码", "91320100MA1W2Y3X4K"),
                    ("注册资金", "1000万元"),
                    ("经营范围", SCOPE),
                ],
            ),
            ("团组信息", [("团组名称", "赴新加坡商务考察团"), ("联系人姓名", "王芳"), ("申请事由", "商务洽谈")]),
            ("取卡方式", [("取卡方式", "自取"), ("代办点", "南京市鼓楼区代办点")]),
        ],
        people=[person(i, photo) for i in range(1, people + 1)],
    )


def page_texts(data: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(data)
    return [page.get_textpage().get_text_bounded() for page in document]


def squash(text: str) -> str:
    """Wrapped values break across lines: compare without whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def one() -> bytes:
    return render(application(1, photo=jpeg()))


@pytest.fixture(scope="module")
def thirty() -> bytes:
    return render(application(30))


def test_pdf_opens_as_a4_portrait(one):
    reader = PdfReader(io.BytesIO(one))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata.title == f"APEC商务旅行卡申请表 {NUMBER}"


def test_thirty_people_flow_over_more_pages_each_with_its_footer(one, thirty):
    small, large = page_texts(one), page_texts(thirty)
    assert len(small) in (1, 2)
    assert len(large) > len(small)
    for texts in (small, large):
        for n, text in enumerate(texts, start=1):
            assert f"第 {n} 页 / 共 {len(texts)} 页" in text
    whole = "".join(large)
    headings = [
        f"申请人 {index}：{name}" for index, name in enumerate(["张伟"] + [f"李明{i}" for i in range(2, 31)], 1)
    ]
    assert [whole.count(heading) for heading in headings] == [1] * 30
    assert [whole.index(heading) for heading in headings] == sorted(whole.index(heading) for heading in headings)


def test_every_label_and_value_is_in_the_text(one):
    texts = page_texts(one)
    whole = squash("".join(texts))
    app = application(1)
    header = [NUMBER, app.business_type_label, app.status_label, app.institution_name, app.submitted_at]
    fields = [cell for _, rows in app.sections for row in rows for cell in row]
    fields += [cell for row in app.people[0].rows for cell in row]
    for text in ["APEC商务旅行卡申请表", "单位信息", "团组信息", "取卡方式", "人员信息（共1人）", *header, *fields]:
        assert squash(text) in whole, text
    assert "张伟" in whole and "江苏省人民政府外事办公室" in whole
    assert SCOPE not in "".join(texts), "the long 经营范围 should wrap over several lines"


def test_cjk_font_is_embedded_as_a_subset(one):
    fonts = {}
    for page in PdfReader(io.BytesIO(one)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        assert font["/Subtype"] == "/Type0"
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        files = [descriptor[key].get_object() for key in ("/FontFile2", "/FontFile3") if key in descriptor]
        assert files, f"{name} is not embedded"
        assert re.fullmatch(r"/[A-Z]{6}\+NotoSansCJKSC.*", name)
        assert len(files[0].get_data()) < 1_000_000  # a subset, not the whole 16 MB face


def image_xobjects(data: bytes) -> list:
    images = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for xobject in page["/Resources"].get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject["/Subtype"] == "/Image":
                images.append(xobject)
    return images


def test_photo_is_embedded_as_a_jpeg_image(one):
    images = image_xobjects(one)
    assert len(images) == 1
    assert images[0]["/Filter"] == "/DCTDecode"


def test_no_image_without_photo(thirty):
    assert image_xobjects(thirty) == []


def test_barcode_is_code128_of_the_number():
    modules = barcode_modules(NUMBER)
    assert set(modules) == {"0", "1"}
    assert modules.startswith("11010010000")  # Start B for "APEC"; python-barcode switches to C for the digits
    assert modules.endswith("1100011101011")  # Stop


def test_font_is_found_under_the_font_directories():
    font = find_cjk_font()
    assert font.regular.name.startswith("NotoSansCJK")
    assert font.bold.is_file()


def test_plain_otf_is_accepted_with_regular_standing_in_for_bold(tmp_path):
    (tmp_path / "noto").mkdir()
    otf = tmp_path / "noto" / "NotoSansCJKsc-Regular.otf"
    otf.write_bytes(b"")
    font = find_cjk_font((tmp_path,))
    assert (font.regular, font.bold, font.face) == (otf, otf, 0)


def test_missing_font_names_the_debian_package(tmp_path):
    with pytest.raises(FontMissingError, match="fonts-noto-cjk"):
        find_cjk_font((tmp_path / "nowhere",))
