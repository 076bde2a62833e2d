"""APEC economies deciding themselves, against the running app: an admin creates a Japanese officer, who signs
in at the staff sign-in, finds two people on the English portal and approves both at once, and the applicant
gets one message naming them; the machine API and its OpenAPI document over real HTTP, with a token an admin
issued (shown once) and then revoked."""

from __future__ import annotations

import re
from datetime import date, timedelta

import httpx
import pytest
from playwright.sync_api import Page, expect

from apec_app.pages.admin.staff import StaffState
from apec_app.pages.staff_review import StaffQueueState
from apec_app.states.economy_portal import EconomyPortalState
from apec_app.states.session import SessionState
from apec_app.states.staff import StaffLoginState
from tests.e2e.axe import Audit
from tests.e2e.helpers import (
    STRONG_PASSWORD,
    registered_enterprise,
    sign_in,
    sign_in_staff,
    unique,
)
from tests.e2e.seed import run_seed
from tests.socket_client import Tab

OFFICER_PASSWORD = "Japan#Officer2026"
# What the API tells an economy of a person: the passport's data and photo, nothing of the enterprise.
PERSON_FIELDS = ("person", "surname", "given_names", "name_in_chinese", "sex", "date_of_birth", "nationality",
                 "passport_number", "passport_expiry", "photo_url", "waiting_since")  # fmt: skip


@pytest.fixture(scope="module")
def enterprise(browser, base_url, request) -> dict:
    """A new enterprise; `seed()` gives it a 新办/续办 of two people waiting for every economy."""
    data_dir = request.config.apec_data_dir
    if not data_dir:
        pytest.skip("needs the instance's data directory")
    email = registered_enterprise(browser, base_url, "preclear", "预审测试有限公司")
    return {"email": email, "seed": lambda: run_seed(data_dir, "economy", email)}


def open_admin_tab(page: Page, base_url: str, tab: str) -> None:
    sign_in_staff(page, base_url)
    page.goto(f"{base_url}/admin/settings")
    page.get_by_role("tab", name=tab).click()


def create_officer(page: Page, base_url: str, economy: str) -> str:
    username = unique("officer").lower()
    open_admin_tab(page, base_url, "工作人员")
    page.get_by_role("button", name="新增工作人员").click()
    dialog = page.get_by_role("dialog", name="新增工作人员")
    dialog.get_by_label("用户名").fill(username)
    dialog.get_by_label("姓名").fill("Tanaka Yuki")
    dialog.get_by_label("密码").fill(OFFICER_PASSWORD)
    dialog.get_by_label("角色").select_option(label="经济体官员")
    dialog.get_by_label("所属经济体").select_option(label=economy)
    dialog.get_by_role("button", name="保存").click()
    expect(page.get_by_text("工作人员账号已创建")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=username)).to_contain_text(f"经济体：{economy}")
    return username


def officer_signs_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/staff/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/economy/?$"))


def test_a_japanese_officer_approves_two_people_at_once_and_the_applicant_gets_one_message(
    page: Page, browser, base_url: str, enterprise
):
    case = enterprise["seed"]()
    admin = browser.new_context()
    try:
        username = create_officer(admin.new_page(), base_url, "日本（JP）")
    finally:
        admin.close()

    officer_signs_in(page, base_url, username)
    expect(page.get_by_role("heading", name="Pre-clearance queue — Japan")).to_be_visible()
    page.get_by_label("Find by name").fill(case["tag"])
    page.get_by_role("button", name="Search").click()
    queue = page.get_by_role("table")
    for latin in case["latin"]:
        expect(queue.get_by_role("row").filter(has_text=latin)).to_be_visible()
    expect(page.get_by_text("2 waiting")).to_be_visible()
    # Only what pre-clearance needs: the passport's data and photo; never the 身份证号 or the enterprise.
    first = queue.get_by_role("row").filter(has_text=case["latin"][0])
    expect(first).to_contain_text(case["passports"][0])
    expect(first).to_contain_text("CHN")
    expect(first).to_contain_text("Male")
    photo = first.get_by_role("img", name=f"Photo of {case['latin'][0]}")
    expect(photo).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    content = page.content()
    for hidden in (*case["id_numbers"], "预审测试有限公司", "审核员"):
        assert hidden not in content
    audit = Audit()
    audit.check(page, "/economy")
    audit.assert_clean()

    for latin in case["latin"]:
        box = page.get_by_role("checkbox", name=f"Select {latin}")
        box.click()  # the server keeps the selection: checked once it answers
        expect(box).to_be_checked()
    expect(page.get_by_text("2 selected")).to_be_visible()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.get_by_text("2 people approved.")).to_be_visible()
    expect(page.get_by_text("Nobody is waiting for your decision.")).to_be_visible()

    # A reviewer's page is not the officer's: it is sent back to its own portal.
    page.goto(f"{base_url}/staff")
    expect(page).to_have_url(re.compile(r"/economy/?$"))

    applicant = browser.new_context()
    try:
        mine = applicant.new_page()
        sign_in(mine, base_url, enterprise["email"], STRONG_PASSWORD)
        mine.goto(f"{base_url}/messages")
        about = mine.get_by_text(re.compile(rf"{case['number']}）：APEC经济体审核结果"))
        expect(about).to_have_count(1)
        a, b = case["names"]
        body = mine.get_by_text(re.compile(f"{a}.*{b}|{b}.*{a}"))
        expect(body).to_have_count(1)
        expect(body).to_contain_text("获日本批准")
    finally:
        applicant.close()


def issue_token(page: Page, economy: str, label: str) -> str:
    page.get_by_role("button", name="签发令牌").click()
    dialog = page.get_by_role("dialog", name="签发接口令牌")
    dialog.get_by_label("经济体").select_option(label=economy)
    dialog.get_by_label("令牌名称").fill(label)
    dialog.get_by_role("button", name="保存").click()
    shown = page.get_by_role("dialog", name="令牌已签发")
    token = shown.get_by_label("新令牌").inner_text().strip()
    assert token.startswith("abtc_")
    shown.get_by_role("button", name="我已保存").click()
    expect(shown).to_be_hidden()
    expect(page.get_by_text(token)).to_have_count(0)  # shown once
    return token


def pending_all(client: httpx.Client, token: str) -> tuple[str, list[dict]]:
    people, cursor = [], None
    while True:
        params = {"limit": "200", **({"cursor": cursor} if cursor else {})}
        answer = client.get("/api/economy/v1/pending", params=params, headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        people += body["people"]
        cursor = body["next_cursor"]
        if not cursor:
            return body["economy"], people


def test_the_economy_api_over_http_with_tokens_an_admin_issued_and_revoked(page: Page, base_url: str, enterprise):
    case = enterprise["seed"]()
    open_admin_tab(page, base_url, "经济体接口")
    jp_token = issue_token(page, "日本（JP）", unique("JP border "))
    kr_token = issue_token(page, "韩国（KR）", unique("KR border "))
    audit = Audit()
    audit.check(page, "/admin/settings 经济体接口")
    audit.assert_clean()

    with httpx.Client(base_url=base_url, timeout=20) as client:
        schema = client.get("/api/economy/v1/openapi.json")
        assert schema.status_code == 200
        document = schema.json()
        assert document["openapi"].startswith("3.")
        assert {"/api/economy/v1/pending", "/api/economy/v1/decisions"} <= set(document["paths"])
        assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"

        refused = client.get("/api/economy/v1/pending")
        assert refused.status_code == 401 and refused.json()["error"] == "api_unauthorized"
        assert refused.headers["www-authenticate"].startswith("Bearer")

        economy, people = pending_all(client, jp_token)
        mine = [p for p in people if p["passport_number"] in case["passports"]]
        assert economy == "JP" and len(mine) == 2
        assert set(mine[0]) == set(PERSON_FIELDS)
        photo = client.get(mine[0]["photo_url"], headers={"Authorization": f"Bearer {jp_token}"})
        assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
        assert client.get(mine[0]["photo_url"], headers={"Authorization": f"Bearer {kr_token}"}).status_code == 404

        day = (date.today() - timedelta(days=1)).isoformat()
        jp = {"Authorization": f"Bearer {jp_token}"}
        batch = {
            "decisions": [
                {"id": f"{case['tag']}-1", "person": mine[0]["person"], "decision": "approved", "decided_on": day},
                {"id": f"{case['tag']}-2", "person": "1-nottheirs", "decision": "approved", "decided_on": day},
            ]
        }
        first = client.post("/api/economy/v1/decisions", json=batch, headers=jp)
        assert first.status_code == 200, first.text
        assert [(r["status"], r.get("error")) for r in first.json()["results"]] == [
            ("recorded", None), ("rejected", "not_found"),
        ]  # fmt: skip
        again = client.post("/api/economy/v1/decisions", json=batch, headers=jp)
        assert [r["status"] for r in again.json()["results"]] == ["replayed", "rejected"]
        changed = {"decisions": [{**batch["decisions"][0], "decision": "refused"}]}
        reused = client.post("/api/economy/v1/decisions", json=changed, headers=jp).json()["results"]
        assert reused == [{"id": f"{case['tag']}-1", "status": "rejected", "error": "api_id_reused",
                           "message": reused[0]["message"]}]  # fmt: skip
        assert client.post("/api/economy/v1/decisions", content=b"[", headers=jp).status_code == 400

        # Korea's token reads Korea's queue (both still waiting for Korea) and cannot decide with Japan's references.
        _, for_korea = pending_all(client, kr_token)
        korea_refs = {p["person"] for p in for_korea if p["passport_number"] in case["passports"]}
        assert len(korea_refs) == 2 and not korea_refs & {p["person"] for p in mine}
        kr = {"Authorization": f"Bearer {kr_token}"}
        crossed = {"decisions": [{"id": "x-1", "person": mine[1]["person"], "decision": "approved", "decided_on": day}]}
        answer = client.post("/api/economy/v1/decisions", json=crossed, headers=kr).json()["results"]
        assert answer[0]["status"] == "rejected" and answer[0]["error"] == "not_found"
        _, still = pending_all(client, jp_token)
        assert [p["person"] for p in still if p["passport_number"] in case["passports"]] == [mine[1]["person"]]

        # Revoked in the admin page: the next request is refused.
        row = page.get_by_role("row").filter(has_text=jp_token[:11])
        row.get_by_role("button", name="撤销").click()
        page.get_by_role("alertdialog").get_by_role("button", name="确定").click()
        expect(page.get_by_text("令牌已撤销")).to_be_visible()
        expect(row).to_contain_text("已撤销")
        assert client.get("/api/economy/v1/pending", headers=jp).status_code == 401
        assert client.get("/api/economy/v1/pending", headers=kr).status_code == 200


# --- the portal's state over the websocket: what a tab of one economy's officer can get ----------------------


def _signed_in(base_url: str, username: str, password: str) -> Tab:
    tab = Tab(base_url, path="/staff/login").connect()
    tab.send(StaffLoginState, "sign_in", {"form": {"username": username, "password": password}})
    tab.follow()
    tab.wait_for(lambda s: tab.var(SessionState, "signed_in"))
    return tab


def _officer_tab(base_url: str, admin: Tab, economy: str) -> Tab:
    username = unique(f"{economy.lower()}officer").lower()
    form = {"username": username, "name": f"{economy} officer", "password": OFFICER_PASSWORD, "role": "economy",
            "institution": "", "economy": economy}  # fmt: skip
    admin.send(StaffState, "save_staff", {"form": form})
    admin.wait_for(lambda s: any(r["username"] == username for r in admin.var(StaffState, "staff_rows", [])))
    tab = _signed_in(base_url, username, OFFICER_PASSWORD)
    tab.wait_for(lambda s: tab.var(EconomyPortalState, "economy_code") == economy)
    return tab


def _find(tab: Tab, tag: str) -> list[dict]:
    tab.send(EconomyPortalState, "find", {"form": {"search": tag}})
    tab.wait_for(lambda s: tab.var(EconomyPortalState, "search") == tag)
    tab.settle(0.5)
    return tab.var(EconomyPortalState, "rows")


def test_an_officers_tab_holds_its_own_economys_queue_only(base_url: str, enterprise):
    case = enterprise["seed"]()
    with _signed_in(base_url, "admin", "Admin@2026pass") as admin:
        admin.navigate("/admin/settings")
        admin.wait_for(lambda s: admin.var(StaffState, "staff_rows"))
        jp, kr = _officer_tab(base_url, admin, "JP"), _officer_tab(base_url, admin, "KR")
        # A reviewer-side state refuses the officer; the officer's portal refuses the admin.
        admin.send(EconomyPortalState, "on_load", path="/economy")
        admin.settle(1)
        assert admin.var(EconomyPortalState, "rows", []) == []
    try:
        rows = _find(jp, case["tag"])
        assert [r["passport_number"] for r in rows] == case["passports"]
        jp.send(EconomyPortalState, "decide_one", {"person_id": rows[0]["id"], "decision": "refused"})
        jp.wait_for(lambda s: len(jp.var(EconomyPortalState, "rows")) == 1)
        # Korea's officer still has both waiting for Korea, and nothing of Japan's decision reaches its tab.
        kr.deltas.clear()
        korea = _find(kr, case["tag"])
        assert [r["passport_number"] for r in korea] == case["passports"]
        assert "refused" not in kr.received_text() and "Japan" not in kr.received_text()
        # Korea deciding the person Japan refused decides for Korea only; Japan's queue is unchanged by it.
        kr.send(EconomyPortalState, "decide_one", {"person_id": korea[0]["id"], "decision": "approved"})
        kr.wait_for(lambda s: len(kr.var(EconomyPortalState, "rows")) == 1)
        assert [r["id"] for r in _find(jp, case["tag"])] == [rows[1]["id"]]
        # Japan sending the id of someone it already decided records nothing.
        jp.send(EconomyPortalState, "decide_one", {"person_id": rows[0]["id"], "decision": "approved"})
        jp.wait_for(lambda s: jp.var(EconomyPortalState, "problems"))
        assert "is not waiting for your economy" in jp.var(EconomyPortalState, "problems")[0]
        # The reviewers' queue is not the officer's.
        jp.deltas.clear()
        jp.send(StaffQueueState, "on_load", path="/staff")
        jp.settle(1)
        assert jp.var(StaffQueueState, "rows", []) == []
        assert case["names"][0] not in jp.received_text()
    finally:
        jp.close()
        kr.close()


def test_the_portal_needs_an_economy_officers_session(page: Page, base_url: str, request):
    page.goto(f"{base_url}/economy")
    expect(page).to_have_url(re.compile(r"/staff/login/?$"))
    # The demo enterprise is sent to its own home page; the demo admin to the reviewers' workbench.
    sign_in(page, base_url, "demo@example.com", "Demo@2026pass")
    page.goto(f"{base_url}/economy")
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", name=re.compile("Pre-clearance queue"))).to_have_count(0)
    staff = page.context.browser.new_context().new_page()
    sign_in_staff(staff, base_url)
    staff.goto(f"{base_url}/economy")
    expect(staff).to_have_url(re.compile(r"/staff/?$"))
    expect(staff.get_by_role("heading", name=re.compile("Pre-clearance queue"))).to_have_count(0)
    # The demo officer signs in at the staff sign-in and lands on Japan's portal.
    officer = page.context.browser.new_context().new_page()
    officer.goto(f"{base_url}/staff/login")
    officer.get_by_label("用户名").fill("officer_jp")
    officer.get_by_label("密码").fill("Economy@2026pass")
    officer.get_by_role("button", name="登录").click()
    expect(officer.get_by_role("heading", name="Pre-clearance queue — Japan")).to_be_visible()
    # On the public home page its header leads back to the portal, not to an applicant's 用户中心.
    officer.goto(f"{base_url}/")
    expect(officer.get_by_role("link", name="用户中心")).to_have_count(0)
    officer.get_by_role("link", name="Pre-clearance portal").click()
    expect(officer.get_by_role("heading", name="Pre-clearance queue — Japan")).to_be_visible()
    # Idle for 29 minutes: the portal warns in English and keeps the officer signed in on request.
    data_dir = request.config.apec_data_dir
    if data_dir:
        assert run_seed(data_dir, "idle", "officer_jp")["sessions"] >= 1
        warning = officer.get_by_role("alertdialog", name="You will be signed out soon")
        expect(warning).to_be_visible(timeout=45_000)
        warning.get_by_role("button", name="Stay signed in").click()
        expect(warning).to_be_hidden()
    officer.get_by_role("button", name="Sign out").click()
    expect(officer).to_have_url(re.compile(r"/staff/login/?$"))
