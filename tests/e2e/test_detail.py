"""申请单详情 of a 30-person application in APEC 经济体审核中 (manual 1.2.6 申请单信息), read as the manual writes it:
the 申请单信息 block, the barcode decoded by zxing from a screenshot at device scale 1, the institution's contact,
the economy matrix (icons and words, names and dates on one line, a summary per person), each material by its
name, each person's documents under that person, 办理记录 naming people; the same matrix on the reviewer's page;
and the page at 390×844 (no sideways scrolling, cards instead of tables, targets of at least 44 px). Once the
retention period deleted the documents, both pages name each one with 已按规定删除 and link none."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.e2e.axe import AXE, Audit
from tests.e2e.helpers import (
    STRONG_PASSWORD,
    registered_enterprise,
    sign_in,
    staff_sign_in,
)
from tests.e2e.seed import run_seed

PHONE = {"width": 390, "height": 844}
DECISION_WORDS = {"a": "批准", "r": "拒绝", "p": "待审核"}


@pytest.fixture(scope="module")
def crowded(browser, base_url, request) -> dict:
    """A new enterprise with the 30-person application (tests/e2e/seed.py crowded)."""
    data_dir = request.config.apec_data_dir
    if not data_dir:
        pytest.skip("needs the instance's data directory")
    email = registered_enterprise(browser, base_url, "detail", "三十人详情测试有限公司")
    return run_seed(data_dir, "crowded", email) | {"email": email}


def open_detail(page: Page, base_url: str, crowded: dict) -> None:
    sign_in(page, base_url, crowded["email"], STRONG_PASSWORD)
    page.goto(f"{base_url}/user/applications/{crowded['id']}")
    expect(page.get_by_role("heading", name="申请单详情")).to_be_visible(timeout=20_000)


def decode(png: bytes) -> list[str]:
    image = np.array(Image.open(io.BytesIO(png)).convert("L"))
    return [r.text for r in zxingcpp.read_barcodes(image)]


def test_application_information_as_the_manual_lists_it(page: Page, base_url: str, crowded):
    open_detail(page, base_url, crowded)
    info = page.get_by_role("region", name="申请单信息")
    number = crowded["number"]
    for label, value in (
        ("企业名称", "三十人详情测试有限公司"),
        ("申请人数", "30"),
        ("办理业务", "新办/续办"),
        ("办理机构", crowded["institution"]),
        ("申请单号", number),
        ("制卡费", "¥ 21600 (¥720×30)"),
        ("外办代办费", "¥ 1500 (¥50×30)"),
    ):
        expect(info.get_by_text(f"{label}：", exact=True)).to_be_visible()  # "企业名称：测试执照222" as in the manual
        expect(info.get_by_text(value, exact=True).first).to_be_visible()
    expect(info.get_by_text("申请单条码", exact=True)).to_be_visible()
    expect(info.get_by_text("申请时间：", exact=True)).to_be_visible()
    expect(info.get_by_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"))).to_be_visible()
    # "<机构名称>信息" with the institution's contact.
    expect(page.get_by_role("heading", name=f"{crowded['institution']}信息")).to_be_visible()
    expect(page.get_by_text("025-83392000")).to_be_visible()


def test_the_barcode_scans_at_device_scale_one(page: Page, base_url: str, crowded):
    open_detail(page, base_url, crowded)
    assert page.evaluate("window.devicePixelRatio") == 1
    code = page.get_by_role("img", name=f"申请单条码 {crowded['number']}")
    expect(code).to_be_visible()
    box = code.bounding_box()
    assert box and box["width"] % 2 == 0  # whole pixels per module
    assert decode(code.screenshot()) == [crowded["number"]]
    # The whole screen as a person would photograph it, not only the cropped image.
    assert crowded["number"] in decode(page.screenshot())


def test_the_economy_matrix_reads_for_thirty_people(page: Page, base_url: str, crowded):
    open_detail(page, base_url, crowded)
    matrix = page.get_by_role("region", name="APEC经济体审核情况")
    expect(matrix).to_be_visible()
    expect(page.get_by_role("note", name="图例")).to_contain_text("批准")
    for name, (approved, refused, pending) in zip(crowded["names"], crowded["counts"], strict=True):
        expect(matrix.get_by_role("rowheader", name=re.compile(f"^{name}"))).to_have_text(
            f"{name}已批准 {approved} · 已拒绝 {refused} · 待审核 {pending}"
        )
    seen = matrix.evaluate(
        """m => ({
            names: [...m.querySelectorAll('th[data-person] > div:first-child')].map(e => {
                const r = e.getBoundingClientRect(); return [e.textContent, r.width, r.height]; }),
            lineHeight: parseFloat(getComputedStyle(m.querySelector('th[data-person] > div')).lineHeight),
            cells: [...m.querySelectorAll('td [data-decision]')].map(e => [
                e.dataset.decision, e.getBoundingClientRect().height, !!e.querySelector('svg'), e.textContent]),
            headers: [...m.querySelectorAll('thead th')].map(e => e.getBoundingClientRect().height),
        })"""
    )
    assert len(seen["names"]) == 30 and len(seen["cells"]) == 30 * 18
    for name, width, height in seen["names"]:  # one line each, never one character per line
        assert height <= seen["lineHeight"] * 1.2 and width > height, (name, width, height)
    header_height = min(seen["headers"])
    assert all(h == header_height for h in seen["headers"])  # economy names on one line too
    for kind, height, icon, text in seen["cells"]:
        assert icon and DECISION_WORDS[kind] in text, (kind, text)
        assert height <= 24, (kind, text, height)  # the date stays on one line
        if kind != "p":
            assert re.search(r"\d{4}-\d{2}-\d{2}$", text)
    kinds = [c[0] for c in seen["cells"]]
    totals = [sum(c[i] for c in crowded["counts"]) for i in range(3)]
    assert [kinds.count("a"), kinds.count("r"), kinds.count("p")] == totals
    # Colour is not the only difference: each kind has its own icon.
    icons = matrix.evaluate(
        """m => Object.fromEntries(['a', 'r', 'p'].map(k =>
            [k, m.querySelector(`td [data-decision="${k}"] svg`).getAttribute('class')]))"""
    )
    assert len(set(icons.values())) == 3, icons
    # The pending economies keep their waiting-time estimates.
    expect(page.get_by_role("heading", name="尚未出结果的经济体：近12个月的审核用时")).to_be_visible()


def test_materials_by_name_and_documents_under_each_person(page: Page, base_url: str, crowded):
    open_detail(page, base_url, crowded)
    materials = page.locator("section").filter(has=page.get_by_role("heading", name="材料", exact=True))
    for name in crowded["materials"]:
        expect(materials.get_by_text(name, exact=True)).to_be_visible()
        expect(materials.get_by_role("link", name=f"{name}.jpg")).to_be_visible()
    expect(page.get_by_text("上传材料")).to_have_count(0)
    for name in ("张伟", "欧阳明月", "司马相如"):
        person = page.get_by_test_id("person").filter(has=page.get_by_role("heading", name=re.compile(f"^{name}（")))
        documents = person.get_by_role("group", name=re.compile(f"^{name}（.*）的证件及材料$"))
        for label in ("护照信息页", "申请人照片", "申请人签名", "社保证明", "无犯罪记录证明"):
            expect(documents.get_by_text(label, exact=True)).to_be_visible()
        expect(documents.get_by_role("link")).to_have_count(5)
        links = documents.get_by_role("link").all_inner_texts()
        assert all(text.startswith(f"{name}-") for text in links), links


def test_history_names_the_people_who_acted(page: Page, base_url: str, crowded):
    open_detail(page, base_url, crowded)
    history = page.get_by_role("table", name="办理记录")
    expect(history.get_by_role("cell", name=f"经办人 {crowded['agent']}", exact=True)).to_be_visible()
    expect(
        history.get_by_role("cell", name=f"{crowded['institution']} 审核员 {crowded['reviewer']}").first
    ).to_be_visible()
    expect(history.get_by_role("cell", name="企业账号", exact=True)).to_be_visible()
    text = page.locator("main").inner_text()
    assert not re.search(r"(enterprise|agent|staff):\d+", text)


def test_the_detail_page_passes_axe(page: Page, base_url: str, crowded):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/bootstrap.sh --dev")
    audit = Audit()
    open_detail(page, base_url, crowded)
    audit.check(page, "/user/applications/<id> 30 people")
    audit.assert_clean()


def test_the_reviewer_sees_the_same_matrix_and_names(browser, base_url: str, crowded):
    page = browser.new_context().new_page()
    staff_sign_in(page, base_url, "reviewer_js")
    page.goto(f"{base_url}/staff/applications/{crowded['id']}")
    matrix = page.get_by_role("region", name="APEC经济体审核结果")
    expect(matrix).to_be_visible(timeout=20_000)
    name, (approved, refused, pending) = crowded["names"][-1], crowded["counts"][-1]
    expect(matrix.get_by_role("rowheader", name=re.compile(f"^{name}"))).to_have_text(
        f"{name}已批准 {approved} · 已拒绝 {refused} · 待审核 {pending}"
    )
    expect(matrix.locator("td [data-decision]")).to_have_count(30 * 18)
    expect(page.get_by_text(f"经办人 {crowded['agent']}")).to_be_visible()
    expect(page.get_by_role("link", name=f"{crowded['materials'][0]}：{crowded['materials'][0]}.jpg")).to_be_visible()
    expect(page.get_by_role("link", name="申请人照片（欧阳明月）：欧阳明月-photo.jpg")).to_be_visible()
    page.context.close()


def test_the_detail_page_on_a_phone(browser, base_url: str, crowded):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        open_detail(page, base_url, crowded)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # The matrix becomes one card per person, its economies a wrapping list.
        expect(page.get_by_role("region", name="APEC经济体审核情况")).to_be_hidden()
        cards = page.locator("details[data-person]")
        expect(cards).to_have_count(30)
        first = cards.filter(has_text=crowded["names"][0])
        first.locator("summary").click()
        chips = first.locator("[data-decision]")
        expect(chips).to_have_count(18)
        for height in chips.evaluate_all("cs => cs.map(c => c.getBoundingClientRect().height)"):
            assert height <= 24  # economy name, word and date on one line
        # 办理记录 as cards, not a table.
        expect(page.get_by_role("table", name="办理记录")).to_be_hidden()
        expect(page.get_by_text(f"经办人 {crowded['agent']}").last).to_be_visible()
        # Every link, button and summary of the page's content is at least 44 px tall.
        small = page.locator("main").evaluate(
            """main => [...main.querySelectorAll('a, button, summary')]
                .filter(e => e.offsetParent !== null)
                .map(e => [e.textContent.trim().slice(0, 20), e.getBoundingClientRect().height])
                .filter(([, h]) => h < 44)"""
        )
        assert small == [], small
        code = page.get_by_role("img", name=f"申请单条码 {crowded['number']}")
        assert decode(code.screenshot()) == [crowded["number"]]  # one pixel per module on a phone
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_documents_deleted_by_the_retention_period_are_named_not_linked(browser, base_url: str, crowded, request):
    purged = run_seed(request.config.apec_data_dir, "purged", crowded["email"])
    assert purged["purged"] >= 30 * 5 + len(purged["materials"])
    page = browser.new_context().new_page()
    sign_in(page, base_url, crowded["email"], STRONG_PASSWORD)
    page.goto(f"{base_url}/user/applications/{purged['id']}")
    expect(page.get_by_role("heading", name="申请单详情")).to_be_visible(timeout=20_000)
    materials = page.locator("section").filter(has=page.get_by_role("heading", name="材料", exact=True))
    name = purged["materials"][0]
    expect(materials.get_by_text(f"{name}.jpg（已按规定删除）", exact=True)).to_be_visible()
    expect(materials.get_by_role("link")).to_have_count(0)
    person = page.get_by_test_id("person").filter(has=page.get_by_role("heading", name=re.compile("^欧阳明月（")))
    expect(person.get_by_text("欧阳明月-photo.jpg（已按规定删除）", exact=True)).to_be_visible()
    expect(person.get_by_role("link")).to_have_count(0)
    page.context.close()

    page = browser.new_context().new_page()
    staff_sign_in(page, base_url, "reviewer_js")
    page.goto(f"{base_url}/staff/applications/{purged['id']}")
    expect(page.get_by_text("申请人照片（欧阳明月）：欧阳明月-photo.jpg（已按规定删除）")).to_be_visible(timeout=20_000)
    expect(page.get_by_role("link", name="申请人照片（欧阳明月）：欧阳明月-photo.jpg")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^放大查看"))).to_have_count(0)  # no thumbnails
    page.context.close()


def test_delta_of_the_thirty_person_page(page: Page, base_url: str, crowded):
    """What the page's state sends for 30 people × 18 economies (printed; run with -s to see it)."""
    sizes: list[int] = []

    def record(ws):
        ws.on("framereceived", lambda f: sizes.append(len(f.encode() if isinstance(f, str) else f)))

    sign_in(page, base_url, crowded["email"], STRONG_PASSWORD)
    page.goto(f"{base_url}/user")
    page.on("websocket", record)
    page.goto(f"{base_url}/user/applications/{crowded['id']}")
    expect(page.get_by_role("region", name="APEC经济体审核情况")).to_be_visible(timeout=20_000)
    page.wait_for_timeout(500)
    print(json.dumps({"frames": len(sizes), "largest": max(sizes), "total": sum(sizes)}))
    assert max(sizes) < 200_000
