"""The reviewer's application page shows what the applicant filled, by the form's words, and each person's
documents in that person's card: on a seeded three-person application with every field filled, the 注册资金,
家庭住址 and 申请事由 are there, the second person's passport page is in their card and opens at its own size,
and on a phone nothing is wider than the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import open_when_checked, staff_sign_in
from tests.e2e.seed import run_seed

PHONE = {"width": 390, "height": 844}


@pytest.fixture()
def complete(base_url, request) -> dict:
    data_dir = request.config.apec_data_dir
    if not data_dir:
        pytest.skip("set APEC_DATA_DIR to the --base-url instance's data directory")
    return run_seed(data_dir, "complete", "demo@example.com")


def open_application(page: Page, base_url: str, seeded: dict) -> None:
    staff_sign_in(page, base_url, "reviewer_js")
    # The pre-checks beside each person are computed by the background job seconds after the submission.
    open_when_checked(page, f"{base_url}/staff/applications/{seeded['id']}")
    expect(page.get_by_role("heading", name=f"申请单 {seeded['number']}")).to_be_visible(timeout=20_000)


def person_card(page: Page, name: str):
    return page.get_by_role("region", name=re.compile(f"^人员信息\\d+：{name}（"))


def test_every_field_and_each_persons_documents_in_their_card(page: Page, base_url: str, complete):
    page.set_viewport_size({"width": 1366, "height": 900})
    open_application(page, base_url, complete)
    unit, group, people = complete["unit"], complete["group"], complete["people"]
    expect(page.get_by_text(f"注册资金（人民币万元）：{unit['capital']}", exact=True)).to_be_visible()
    expect(page.get_by_text(f"经营范围：{unit['scope']}", exact=True)).to_be_visible()
    expect(page.get_by_text(f"申请事由：{group['reason']}", exact=True)).to_be_visible()
    for name, person in zip(complete["names"], people, strict=True):
        card = person_card(page, name)
        expect(card.get_by_text(f"家庭住址：{person['home_address']}", exact=True)).to_be_visible()
        expect(card.get_by_text(f"居留国家或地区：{person['residence']}", exact=True)).to_be_visible()
        expect(card.get_by_role("list", name="自动预审")).to_be_visible()  # the pre-checks beside the person

    second = complete["names"][1]
    card = person_card(page, second)
    passport = card.get_by_role("img", name=f"护照信息页（{second}）")
    passport.scroll_into_view_if_needed()
    expect(passport).to_have_attribute("src", re.compile(r"^/files/"))
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=passport.element_handle())
    assert passport.bounding_box()["width"] >= 600  # the machine-readable zone can be read on the page
    # Nobody else's passport page is in this card.
    expect(card.get_by_role("img", name=re.compile("^护照信息页"))).to_have_count(1)
    expect(person_card(page, complete["names"][0]).get_by_role("img", name=f"护照信息页（{second}）")).to_have_count(0)

    src = passport.get_attribute("src")
    card.get_by_role("button", name=f"放大查看护照信息页（{second}）").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("100%")).to_be_visible()
    large = dialog.get_by_role("img", name="材料大图")
    expect(large).to_have_attribute("src", src)
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=large.element_handle())
    natural = large.evaluate("img => img.naturalWidth")
    # Its own size, once the dialog's opening animation (a slight scale) has ended.
    own = "([img, w]) => Math.abs(img.getBoundingClientRect().width - w) <= 2"
    page.wait_for_function(own, arg=[large.element_handle(), natural])
    dialog.get_by_role("button", name="放大").click()
    expect(dialog.get_by_text("150%")).to_be_visible()
    grown = "([img, w]) => img.getBoundingClientRect().width > w * 1.4"
    page.wait_for_function(grown, arg=[large.element_handle(), natural])
    dialog.get_by_role("button", name="原始大小").click()
    expect(dialog.get_by_text("100%")).to_be_visible()
    dialog.get_by_role("button", name="关闭").click()
    expect(dialog).to_be_hidden()


def test_on_a_phone_the_cards_stack_and_nothing_is_wider_than_the_screen(browser, base_url: str, complete):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        open_application(page, base_url, complete)
        second = complete["names"][1]
        card = person_card(page, second)
        passport = card.get_by_role("img", name=f"护照信息页（{second}）")
        passport.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=passport.element_handle())
        data = card.get_by_text(f"家庭住址：{complete['people'][1]['home_address']}", exact=True)
        assert passport.bounding_box()["y"] > data.bounding_box()["y"]  # documents under the data
        assert passport.bounding_box()["width"] <= PHONE["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # 材料大图 opens at the page's own size (a corner of it on a phone); 适合窗口 shows it whole.
        card.get_by_role("button", name=f"放大查看护照信息页（{second}）").click()
        dialog = page.get_by_role("dialog")
        expect(dialog.get_by_text("100%")).to_be_visible()
        dialog.get_by_role("button", name="适合窗口").click()
        expect(dialog.get_by_text("100%")).to_be_hidden()
        large = dialog.get_by_role("img", name="材料大图")
        fits = "img => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width <= 390"
        page.wait_for_function(fits, arg=large.element_handle())
    finally:
        context.close()
