"""新办/续办 from the home page to the detail page, a draft resumed after sign-out, and access checks."""

from __future__ import annotations

import random
import re
from datetime import date

from playwright.sync_api import Page, expect

from apec_app.ui_text.person import PERSON_MESSAGES
from tests.e2e.files import jpeg, png
from tests.e2e.helpers import (
    STRONG_PASSWORD,
    fill_address,
    fill_person,
    new_uscc,
    quick_register,
    registered_enterprise,
    sign_in,
    sign_out,
    unique,
    upload,
)
from tests.e2e.seed import run_seed
from tests.ocr_samples import make_passport_image


def test_two_person_application_from_home_to_detail(page: Page, base_url: str, mailbox, tmp_path):
    files = {
        "photo": jpeg(tmp_path / "photo.jpg", (300, 400)),
        "signature": jpeg(tmp_path / "sign.jpg", (400, 150)),
        "social_security": jpeg(tmp_path / "ss.jpg", (800, 1000)),
        "no_criminal_record": jpeg(tmp_path / "ncr.jpg", (800, 1000)),
        "material": png(tmp_path / "material.png"),
        "too_big_photo": jpeg(tmp_path / "big.jpg", (700, 900)),
        "plain_passport": jpeg(tmp_path / "plain_passport.jpg", (1200, 850), "PASSPORT"),
    }
    passport_bytes, expected = make_passport_image(7)
    (tmp_path / "passport.jpg").write_bytes(passport_bytes)

    email = f"{unique('wiz')}@example.com"
    quick_register(page, base_url, mailbox, "南京向导测试有限公司", new_uscc(), email)
    page.goto(f"{base_url}/")
    page.get_by_role("link", name="立即办理").click()
    page.get_by_label("办理机构").select_option(label="江苏省人民政府外事办公室")
    expect(page.get_by_text("江苏省人民政府外事办公室申办须知")).to_be_visible()
    page.get_by_role("checkbox", name="我已阅读并知晓").click()
    page.get_by_role("button", name="立即办理").click()

    # 1 单位信息
    expect(page.get_by_label("统一社会信用代码")).to_have_attribute("readonly", "")
    values = {
        "员工人数": "120",
        "注册资金（人民币万元）": "1223",
        "上年度资产总额（人民币万元）": "23",
        "上年度营业额（人民币万元）": "34",
        "上年度应纳税额（人民币万元）": "45",
        "上年度负债率（%）": "120",
        "上年度进出口贸易额（人民币万元）": "22222",
        "经营范围": "通讯设备",
        "与APEC经济体来往情况": "经常往来",
    }
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("成立日期").fill("2010-03-13")
    page.get_by_role("button", name="下一步").click()
    expect(page.get_by_text("请上传文件").first).to_be_visible()
    expect(page.get_by_text(PERSON_MESSAGES["percentage_range"])).to_be_visible()
    # What was typed stays after the error.
    expect(page.get_by_label("经营范围", exact=True)).to_have_value("通讯设备")
    page.get_by_label("上年度负债率（%）", exact=True).fill("20")
    upload(page, "material-1", files["material"])
    upload(page, "material-2", files["material"])
    expect(page.get_by_text("已上传：material.png")).to_have_count(2)
    page.get_by_role("button", name="下一步").click()

    # 2 团组信息, person 1 by passport OCR
    page.get_by_label("团组名称").fill("赴新加坡商务考察团")
    page.get_by_label("联系人姓名").fill("李四")
    page.get_by_label("联系人电话").fill("15412341234")
    page.get_by_label("申请事由").fill("商务洽谈")
    upload(page, "up-passport_page-0", tmp_path / "passport.jpg")
    dialog = page.get_by_role("dialog", name="请确认以下护照信息的正确性")
    expect(dialog).to_be_visible(timeout=15000)
    expect(dialog.get_by_label("护照号码")).to_have_value(expected["number"])
    dialog.get_by_role("button", name="确认护照信息").click()
    expect(page.locator("#p0-passport_number")).to_have_value(expected["number"])
    expect(page.locator("#p0-expiry_date")).to_have_value(expected["expiry_date"])
    birth = date.fromisoformat(expected["birth_date"])
    male = expected["sex"] == "M"
    fill_person(
        page, 0, files, surname="张", given="平", male=male, salt=random.randint(10, 49), birth=birth, passport=None
    )
    # 姓名拼音 from OCR stays; a photo outside the size limits is refused at the field.
    upload(page, "up-photo-0", files["too_big_photo"])
    expect(page.get_by_text("图片长宽需在50*50-600*800像素之间")).to_be_visible()
    upload(page, "up-photo-0", files["photo"])

    page.get_by_role("button", name="新增人员").click()
    fill_person(
        page, 1, files, surname="欧阳", given="娜娜", male=False, salt=22, birth=date(1988, 2, 29), passport="EA1234567"
    )
    expect(page.locator("#p1-pinyin")).to_have_value("OUYANG NANA")
    page.get_by_role("button", name="下一步").click()

    # 3 取卡方式: 邮寄 with a new address
    page.get_by_role("radio", name="邮寄").click()
    page.get_by_role("button", name="选择地址").click()
    address = page.get_by_role("dialog", name="选择地址")
    fill_address(address, "王五", "13900000000", "鼓楼区", "北京西路1号")
    address.get_by_role("button", name="保存并使用").click()
    expect(page.get_by_role("status", name="已选地址")).to_contain_text("王五")
    page.get_by_role("button", name="下一步").click()

    # 4 信息确认 with 【修改】: its 【保存】 comes straight back.
    expect(page.get_by_text("赴新加坡商务考察团")).to_be_visible()
    page.get_by_role("button", name="修改团组信息").click()
    expect(page.get_by_label("团组名称")).to_have_value("赴新加坡商务考察团")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("heading", name="信息确认")).to_be_visible()
    submit = page.get_by_role("button", name="提交")
    submit.dblclick()

    expect(page.get_by_role("heading", name="申请单详情")).to_be_visible(timeout=15000)
    number = page.get_by_text(re.compile(r"申请单号：APEC\d{14}")).inner_text().split("：")[1]
    expect(page.get_by_text("外办审核中").first).to_be_visible()
    expect(page.get_by_role("img", name=f"申请单条码 {number}")).to_be_visible()
    expect(page.get_by_text("邮寄：王五")).to_be_visible()

    # Documents: the owner downloads through a signed URL; another enterprise gets 404 for the same URL.
    href = page.get_by_role("link", name="photo.jpg").first.get_attribute("href")
    own = page.context.request.get(f"{base_url}{href}")
    assert own.status == 200 and own.headers["content-type"] == "image/jpeg"
    stranger = page.context.browser.new_context()
    stranger_page = stranger.new_page()
    sign_in(stranger_page, base_url, "demo@example.com", "Demo@2026pass")
    assert stranger.request.get(f"{base_url}{href}").status == 404
    stranger.close()

    page.goto(f"{base_url}/user")
    expect(page.get_by_role("row", name=re.compile(number))).to_have_count(1)
    row = page.get_by_role("row", name=re.compile(number))
    expect(row).to_contain_text("外办审核中")
    # 撤回 while no reviewer has started: back to 草稿 with its number, editable again.
    row.get_by_role("button", name="撤回").click()
    page.get_by_role("alertdialog").get_by_role("button", name="确定").click()
    expect(row).to_contain_text("草稿")
    expect(row.get_by_role("link", name="继续填写")).to_be_visible()


def test_draft_survives_sign_out_and_strangers_get_not_found(page: Page, base_url: str, mailbox, browser):
    email = f"{unique('draft')}@example.com"
    quick_register(page, base_url, mailbox, "草稿测试有限公司", new_uscc(), email)
    page.goto(f"{base_url}/apply/new-renew")
    page.get_by_label("办理机构").select_option(label="北京市人民政府外事办公室")
    page.get_by_role("checkbox", name="我已阅读并知晓").click()
    page.get_by_role("button", name="立即办理").click()
    page.get_by_label("员工人数").fill("88")
    page.get_by_label("经营范围").fill("软件开发与咨询")
    page.get_by_label("经营范围").blur()
    expect(page.get_by_role("status").filter(has_text="草稿已自动保存")).to_be_visible()
    draft_url = page.url
    sign_out(page)
    sign_in(page, base_url, email, STRONG_PASSWORD)
    page.goto(f"{base_url}/user")
    page.get_by_role("link", name="继续填写").click()
    expect(page.get_by_label("员工人数")).to_have_value("88")
    expect(page.get_by_label("经营范围")).to_have_value("软件开发与咨询")

    # Another enterprise gets the not-found page for the same URL.
    other = browser.new_context().new_page()
    other.goto(f"{base_url}/login")
    other.get_by_placeholder("请输入邮箱账号").fill("demo@example.com")
    other.get_by_placeholder("请输入密码").fill("Demo@2026pass")
    other.get_by_role("button", name="确认").click()
    expect(other.get_by_role("button", name="账户菜单")).to_be_visible()
    other.goto(draft_url)
    expect(other.get_by_role("heading", name="未找到申请单")).to_be_visible()
    other.goto(draft_url.replace("/apply/", "/user/applications/"))
    expect(other.get_by_role("heading", name="未找到申请单")).to_be_visible()


# Records each websocket frame the page sends and receives (a script added before the page's own).
FRAMES = """(() => {
  const log = (window.__frames = []);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      const send = this.send.bind(this);
      this.send = (data) => { log.push({ dir: "sent", text: String(data) }); return send(data); };
      this.addEventListener("message", (e) => log.push({ dir: "received", text: String(e.data) }));
    }
  };
})();"""


def test_a_keystroke_in_a_thirty_person_group_sends_back_only_what_changed(page: Page, base_url: str, browser, request):
    """Typing in the 30th person's 家庭住址 saves the draft while typing, and the reply is the save's own few vars:
    not the whole group (about 26 KB), which the browser would re-render card by card at every key."""
    email = registered_enterprise(browser, base_url, "crowd-draft", "三十人草稿测试有限公司")
    drafts = run_seed(request.config.apec_data_dir, "drafts", email)
    page.add_init_script(FRAMES)
    sign_in(page, base_url, email, STRONG_PASSWORD)
    page.goto(f"{base_url}/apply/{drafts['30']}")
    last = page.get_by_role("heading", name="人员信息30", exact=True)
    expect(last).to_be_visible(timeout=30_000)
    address = page.locator("#person-30").get_by_label("家庭住址")
    address.fill("上海市黄浦区中山东一路18号")
    expect(page.get_by_role("status").filter(has_text="草稿已自动保存")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)
    frames = page.evaluate("() => window.__frames")
    sent = [i for i, f in enumerate(frames) if f["dir"] == "sent" and ".set_person" in f["text"]]
    assert sent, "the typed text was sent while typing"
    replies = [f["text"] for f in frames[sent[0] + 1 :] if f["dir"] == "received" and len(f["text"]) > 8]
    assert replies and all("people_rx_state_" not in r and len(r) < 3000 for r in replies), [len(r) for r in replies]

    # Saved: a reload shows it, and the other people are as they were.
    page.reload()
    expect(last).to_be_visible(timeout=30_000)
    expect(page.locator("#person-30").get_by_label("家庭住址")).to_have_value("上海市黄浦区中山东一路18号")
    expect(page.locator("#person-29").get_by_label("家庭住址")).to_have_value("南京市玄武区中山路1号")
    # A select that shows other fields still does: 出生国家 其他 hides 出生省份.
    card = page.locator("#person-30")
    card.get_by_label("出生国家").select_option("其他")
    expect(card.get_by_label("出生省份")).to_have_count(0)
    card.get_by_label("出生国家").select_option("中国")
    expect(card.get_by_label("出生省份")).to_be_visible()


BUILT = """(() => {
  // The cards there were in the frame in which the first person's card first appeared.
  window.__firstFrame = null;
  const look = () => {
    if (document.getElementById("person-1")) {
      window.__firstFrame = document.querySelectorAll("[id^=person-]").length;
      return;
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})();"""


def test_a_thirty_person_group_can_be_typed_in_before_all_of_it_is_built(page: Page, base_url: str, browser, request):
    """The first people's cards are built with the page and the others after it, so the form can be used at
    once; what is typed in the meantime is kept, and every card ends up built with its person's values."""
    email = registered_enterprise(browser, base_url, "crowd-build", "三十人分批测试有限公司")
    drafts = run_seed(request.config.apec_data_dir, "drafts", email)
    page.add_init_script(BUILT)
    sign_in(page, base_url, email, STRONG_PASSWORD)
    page.goto(f"{base_url}/apply/{drafts['30']}")
    first = page.locator("#person-1").get_by_label("家庭住址")
    expect(first).to_have_value("南京市玄武区中山路1号", timeout=30_000)
    assert 0 < page.evaluate("() => window.__firstFrame") < 30
    first.fill("上海市黄浦区中山东一路18号")
    last = page.get_by_role("heading", name="人员信息30", exact=True)
    expect(last).to_be_visible(timeout=30_000)
    expect(page.locator("#person-30").get_by_label("姓", exact=True)).not_to_have_value("")
    expect(page.get_by_role("status").filter(has_text="草稿已自动保存")).to_be_visible(timeout=15_000)
    page.reload()
    kept = page.locator("#person-1").get_by_label("家庭住址")
    expect(kept).to_have_value("上海市黄浦区中山东一路18号", timeout=30_000)
    expect(page.locator("#person-30").get_by_label("家庭住址")).to_have_value("南京市玄武区中山路1号", timeout=30_000)
