"""后台设置 (SPEC §6): only admins change institutions, fees, 代办点, materials, 申办须知, economies and staff."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta

import pytest
from PIL import Image
from reflex.state import State as RootState
from sqlmodel import select
from starlette.requests import Request

from apec_app.api import examples
from apec_app.db import session_scope
from apec_app.domain.clock import BEIJING
from apec_app.integrations import storage
from apec_app.models import EconomySetting, Fee, Institution, Material, Notice, PickupPoint, SecurityEvent, StaffUser
from apec_app.models.base import utcnow
from apec_app.pages.admin import AdminSettingsState
from apec_app.pages.admin.institutions import InstitutionsState
from apec_app.services.accounts import auth
from apec_app.services.applications import filing as applications
from apec_app.services.applications import payments
from apec_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from apec_app.services.principal import ENTERPRISE, Principal
from apec_app.services.review import decisions
from apec_app.services.settings import audit_log
from apec_app.services.settings import back_office as admin
from apec_app.services.settings.back_office import InstitutionForm, MaterialForm, PickupPointForm
from apec_app.states.session import SessionState
from tests.factories import STAFF_PASSWORD, setup_institutions, staff_principal, uow_for


def png_bytes(size=(80, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, "PNG")
    return buffer.getvalue()


def fetch_example(path: str):
    """GET through the route table of apec_app/api/examples.py, as Starlette would dispatch it."""
    (route,) = examples.routes
    matched, child = route.matches({"type": "http", "method": "GET", "path": path})
    if not child:
        return None
    scope = {"type": "http", "method": "GET", "path": path, "headers": [], **child}
    return asyncio.run(route.endpoint(Request(scope)))


def good_institution_form(**changes) -> InstitutionForm:
    values = {
        "name": "江苏省人民政府外事办公室",
        "contact_phone": "025-83392000",
        "address": "江苏省南京市北京西路70号",
        "bank_name": "中国工商银行南京分行",
        "bank_account_name": "江苏省人民政府外事办公室",
        "bank_account_number": "4301 0000 1234 5678 901",
        "allow_pickup": True,
        "allow_mail": True,
    }
    return InstitutionForm(**(values | changes))


@pytest.fixture()
def case(db):
    mfa, js = setup_institutions(db)
    result = {
        "db": db,
        "mfa": mfa,
        "js": js,
        "admin": staff_principal(db, "admin1", "admin"),
        "reviewer": staff_principal(db, "rev_js", "reviewer", "JS"),
    }
    db.commit()
    return result


def snapshot(db, js):
    """Everything an admin function could change, to prove a refused or invalid call changed nothing."""
    db.expire_all()
    return (
        db.get(Institution, js.id).model_dump(),
        [f.model_dump() for f in db.exec(select(Fee)).all()],
        [p.model_dump() for p in db.exec(select(PickupPoint)).all()],
        [m.model_dump() for m in db.exec(select(Material)).all()],
        [n.model_dump() for n in db.exec(select(Notice)).all()],
        [e.model_dump() for e in db.exec(select(EconomySetting)).all()],
        [(s.username, s.active) for s in db.exec(select(StaffUser)).all()],
    )


def every_admin_call(case):
    db, js = case["db"], case["js"]
    point = db.exec(select(PickupPoint).where(PickupPoint.institution_id == js.id)).first()
    material = db.exec(select(Material)).first()
    admin_id = db.exec(select(StaffUser.id).where(StaffUser.username == "admin1")).one()
    return [
        lambda p: admin.list_institutions(uow_for(db, p)),
        lambda p: admin.institution_settings(uow_for(db, p), js.id),
        lambda p: admin.update_institution(uow_for(db, p), js.id, good_institution_form()),
        lambda p: admin.update_fees(uow_for(db, p), js.id, {"new_renew": ("1", "1")}),
        lambda p: admin.save_pickup_point(uow_for(db, p), js.id, PickupPointForm(name="新窗口", address="新地址")),
        lambda p: admin.save_pickup_point(
            uow_for(db, p), js.id, PickupPointForm(name="改名", address="地址"), point.id
        ),
        lambda p: admin.delete_pickup_point(uow_for(db, p), point.id),
        lambda p: admin.list_materials(uow_for(db, p)),
        lambda p: admin.save_material(uow_for(db, p), MaterialForm(business_type="new_renew", name="新材料")),
        lambda p: admin.delete_material(uow_for(db, p), material.id),
        lambda p: admin.set_material_example(uow_for(db, p), material.id, png_bytes()),
        lambda p: admin.clear_material_example(uow_for(db, p), material.id),
        lambda p: admin.get_notice(uow_for(db, p), "new_renew", None),
        lambda p: admin.set_notice(uow_for(db, p), "new_renew", None, "须知"),
        lambda p: admin.list_economies(uow_for(db, p)),
        lambda p: admin.update_economy(uow_for(db, p), "JP", active=False),
        lambda p: admin.list_staff(uow_for(db, p)),
        lambda p: admin.create_staff_account(
            uow_for(db, p),
            username="newrev",
            name="新审核员",
            password=STAFF_PASSWORD,
            role="reviewer",
            institution_code="JS",
        ),
        lambda p: admin.set_staff_active(uow_for(db, p), admin_id, False),
    ]


def test_reviewer_and_enterprise_are_refused_every_admin_function_and_nothing_changes(case):
    db, js = case["db"], case["js"]
    before = snapshot(db, js)
    applicant = Principal(ENTERPRISE, 1, "企业", enterprise_id=1)
    calls = every_admin_call(case)
    for call in calls:
        for principal in (case["reviewer"], applicant, None):
            with pytest.raises(PermissionDenied):
                call(principal)
    assert snapshot(db, js) == before
    assert len(calls) == 19


def test_fee_update_parses_yuan_and_new_cashier_amounts_use_it(case):
    db, admin_p, js = case["db"], case["admin"], case["js"]
    assert db.exec(select(Fee)).first() is None  # setup_institutions creates no Fee rows
    fees = admin.update_fees(
        uow_for(db, admin_p), js.id, {"new_renew": ("¥1,000.5", "60"), "replace": ("800.00", "55.5")}
    )
    db.commit()
    assert payments.current_fees(db, js.id, "new_renew") == (100_050, 6_000)
    assert payments.current_fees(db, js.id, "replace") == (80_000, 5_550)
    assert {f.business_type: (f.card_fee_fen, f.agency_fee_fen) for f in fees}["new_renew"] == (100_050, 6_000)
    admin.update_fees(uow_for(db, admin_p), js.id, {"new_renew": ("720", "50")})
    db.commit()
    assert payments.current_fees(db, js.id, "new_renew") == (72_000, 5_000)
    assert len(db.exec(select(Fee).where(Fee.institution_id == js.id)).all()) == 2
    assert db.exec(select(SecurityEvent).where(SecurityEvent.action == "admin_fees")).first() is not None


def test_ministry_charges_no_agency_fee_so_a_blank_one_keeps_the_stored_value(case):
    db, admin_p, mfa = case["db"], case["admin"], case["mfa"]
    admin.update_fees(uow_for(db, admin_p), mfa.id, {"new_renew": ("700", "")})
    assert payments.current_fees(db, mfa.id, "new_renew") == (70_000, 5_000)


@pytest.mark.parametrize(
    ("fees", "errors"),
    [
        ({"new_renew": ("abc", "50")}, {"card_fee.new_renew": "fee_format"}),
        ({"new_renew": ("-720", "50")}, {"card_fee.new_renew": "fee_format"}),
        ({"new_renew": ("720.123", "50")}, {"card_fee.new_renew": "fee_format"}),
        ({"new_renew": ("720", "")}, {"agency_fee.new_renew": "required"}),
        ({"new_renew": ("100001", "50")}, {"card_fee.new_renew": "fee_too_large"}),
        ({"replace": ("800", "50"), "new_renew": ("1,00", "x")}, {"card_fee.new_renew": "fee_format"}),
        ({"cancel": ("100", "50")}, {"card_fee.cancel": "fee_not_charged"}),
    ],
)
def test_bad_fee_input_changes_no_fee(case, fees, errors):
    db, admin_p, js = case["db"], case["admin"], case["js"]
    before = snapshot(db, js)
    with pytest.raises(InvalidInput) as caught:
        admin.update_fees(uow_for(db, admin_p), js.id, fees)
    for field, code in errors.items():
        assert caught.value.errors[field] == code
    db.rollback()
    assert snapshot(db, js) == before
    assert payments.current_fees(db, js.id, "replace") == (72_000, 5_000)


def test_institution_contact_bank_and_delivery_are_updated(case):
    db, admin_p, js = case["db"], case["admin"], case["js"]
    admin.update_institution(uow_for(db, admin_p), js.id, good_institution_form(allow_mail=False))
    db.commit()
    db.expire_all()
    saved = db.get(Institution, js.id)
    assert (saved.contact_phone, saved.bank_account_number) == ("025-83392000", "4301 0000 1234 5678 901")
    assert (saved.allow_pickup, saved.allow_mail) == (True, False)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"contact_phone": "12345"}, "contact_phone", "phone_format"),
        ({"name": " "}, "name", "required"),
        ({"address": "地" * 201}, "address", "too_long"),
        ({"bank_account_number": "62220-ABC"}, "bank_account_number", "bank_account_format"),
        ({"allow_pickup": False, "allow_mail": False}, "delivery", "delivery_required"),
    ],
)
def test_bad_institution_input_changes_nothing(case, changes, field, code):
    db, admin_p, js = case["db"], case["admin"], case["js"]
    before = snapshot(db, js)
    with pytest.raises(InvalidInput) as caught:
        admin.update_institution(uow_for(db, admin_p), js.id, good_institution_form(**changes))
    assert caught.value.errors == {field: code}
    db.rollback()
    assert snapshot(db, js) == before


def test_pickup_points_are_added_edited_and_the_last_one_kept_while_pickup_is_allowed(case):
    db, admin_p, js, mfa = case["db"], case["admin"], case["js"], case["mfa"]
    first = db.exec(select(PickupPoint).where(PickupPoint.institution_id == js.id)).one()
    with pytest.raises(Conflict):
        admin.delete_pickup_point(uow_for(db, admin_p), first.id)
    added = admin.save_pickup_point(
        uow_for(db, admin_p),
        js.id,
        PickupPointForm(name="苏州代办点", address="苏州市1号", hours="工作日", phone="0512-1234567"),
    )
    admin.save_pickup_point(
        uow_for(db, admin_p), js.id, PickupPointForm(name="苏州代办点（新）", address="苏州市2号"), added.id
    )
    assert [p.name for p in applications.pickup_points(db, js.id)] == [first.name, "苏州代办点（新）"]
    with pytest.raises(NotFound):  # a point of another institution cannot be edited through this one
        admin.save_pickup_point(uow_for(db, admin_p), mfa.id, PickupPointForm(name="x", address="y"), added.id)
    with pytest.raises(InvalidInput) as caught:
        admin.save_pickup_point(uow_for(db, admin_p), js.id, PickupPointForm(name="", address="y", phone="abc"))
    assert caught.value.errors == {"name": "required", "phone": "phone_format"}
    admin.delete_pickup_point(uow_for(db, admin_p), first.id)
    assert [p.id for p in applications.pickup_points(db, js.id)] == [added.id]


def test_materials_are_listed_added_edited_and_deleted(case):
    db, admin_p = case["db"], case["admin"]
    material = admin.save_material(
        uow_for(db, admin_p),
        MaterialForm(
            business_type="replace", channel="local", name="报失证明", hint="补卡须上传", accepted=" JPG，.pdf"
        ),
    )
    assert material.accepted == "jpg,pdf"
    assert [m.name for m in admin.list_materials(uow_for(db, admin_p), "replace")] == ["报失证明"]
    assert [m.name for m in applications.materials_for(db, "replace", "local")] == ["报失证明"]
    assert applications.materials_for(db, "replace", "direct") == []
    admin.save_material(
        uow_for(db, admin_p),
        MaterialForm(business_type="replace", channel="all", name="报失证明", required=False),
        material.id,
    )
    assert [m.name for m in applications.materials_for(db, "replace", "direct")] == ["报失证明"]
    admin.delete_material(uow_for(db, admin_p), material.id)
    assert admin.list_materials(uow_for(db, admin_p), "replace") == []


def test_bad_material_input_changes_nothing(case):
    db, admin_p, js = case["db"], case["admin"], case["js"]
    before = snapshot(db, js)
    with pytest.raises(InvalidInput) as caught:
        admin.save_material(
            uow_for(db, admin_p), MaterialForm(business_type="visa", channel="everyone", name="", accepted="exe,jpg")
        )
    assert caught.value.errors == {
        "business_type": "business_type_unknown",
        "channel": "channel_unknown",
        "name": "required",
        "accepted": "accepted_types_invalid",
    }
    db.rollback()
    assert snapshot(db, js) == before


def test_material_example_upload_refuses_a_non_image_and_stores_a_good_one(case, engine, monkeypatch):
    db, admin_p = case["db"], case["admin"]
    material = db.exec(select(Material)).first()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for bad in (pdf, b"<html><script>alert(1)</script></html>", b"GIF89a" + b"\0" * 20, b""):
        with pytest.raises(InvalidInput) as caught:
            admin.set_material_example(uow_for(db, admin_p), material.id, bad)
        assert caught.value.field == "example_image"
        assert caught.value.code.startswith("upload_")
    db.expire_all()
    assert db.get(Material, material.id).example_image == ""

    url = admin.set_material_example(uow_for(db, admin_p), material.id, png_bytes()).example_image
    db.commit()
    assert url.startswith("/examples-files/")
    key = url.removeprefix("/examples-files/")
    stored = storage.read_private(key)
    assert stored.startswith(b"\x89PNG") and Image.open(io.BytesIO(stored)).size == (80, 60)
    assert admin.is_published_example(db, key)

    # The public route serves exactly the keys a material names, with the sniffed type.
    monkeypatch.setattr(examples, "session_scope", lambda: session_scope(engine))
    response = fetch_example(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.body == stored
    private = storage.save_private(png_bytes()).key  # e.g. someone's document: stored, but no material's example
    assert fetch_example(f"/examples-files/{private}").status_code == 404
    assert fetch_example("/examples-files/..%2Fsecret_key").status_code == 404

    admin.clear_material_example(uow_for(db, admin_p), material.id)
    db.commit()
    assert fetch_example(url).status_code == 404


def test_notice_per_business_type_and_institution_falls_back_to_the_general_text(case):
    db, admin_p, js = case["db"], case["admin"], case["js"]
    admin.set_notice(uow_for(db, admin_p), "new_renew", None, "通用须知\r\n第二行")
    admin.set_notice(uow_for(db, admin_p), "new_renew", js.id, "江苏须知")
    assert admin.get_notice(uow_for(db, admin_p), "new_renew", None) == "通用须知\n第二行"
    assert applications.notice_text(db, "new_renew", js) == "江苏须知"
    assert applications.notice_text(db, "new_renew", case["mfa"]) == "通用须知\n第二行"
    admin.set_notice(uow_for(db, admin_p), "new_renew", js.id, "  ")
    assert applications.notice_text(db, "new_renew", js) == "通用须知\n第二行"
    with pytest.raises(InvalidInput) as caught:
        admin.set_notice(uow_for(db, admin_p), "new_renew", None, "")
    assert caught.value.errors == {"text": "required"}
    with pytest.raises(InvalidInput) as caught:
        admin.set_notice(uow_for(db, admin_p), "new_renew", js.id, "字" * 20_001)
    assert caught.value.errors == {"text": "too_long"}
    admin.set_notice(uow_for(db, admin_p), "replace", js.id, "字" * 20_000)
    with pytest.raises(InvalidInput):
        admin.set_notice(uow_for(db, admin_p), "visa", None, "x")
    with pytest.raises(NotFound):
        admin.set_notice(uow_for(db, admin_p), "new_renew", 9999, "x")


def test_economy_toggles_change_which_economies_decide(case):
    db, admin_p = case["db"], case["admin"]

    def deciding():
        return {e.code for e in decisions.deciding(db)}

    assert len(deciding()) == 18 and "US" not in deciding() and "JP" in deciding()
    admin.update_economy(uow_for(db, admin_p), "JP", active=False)
    admin.update_economy(uow_for(db, admin_p), "KR", transitional=True)
    admin.update_economy(uow_for(db, admin_p), "US", transitional=False)
    db.flush()
    assert len(deciding()) == 17
    assert "JP" not in deciding() and "KR" not in deciding() and "US" in deciding()
    listed = admin.list_economies(uow_for(db, admin_p))
    assert len(listed) == 21  # inactive ones stay listed for the admin
    assert {e.code for e in listed if e.deciding} == deciding()  # the admin's list says who decides
    admin.update_economy(uow_for(db, admin_p), "JP", active=True, name_zh="日本国")
    assert {e.code: e.name_zh for e in decisions.deciding(db)}["JP"] == "日本国"
    with pytest.raises(InvalidInput):
        admin.update_economy(uow_for(db, admin_p), "JP", name_zh=" ")
    with pytest.raises(NotFound):
        admin.update_economy(uow_for(db, admin_p), "XX", active=True)


def test_staff_accounts_are_listed_and_created(case):
    db, admin_p = case["db"], case["admin"]
    rows = {r.username: r for r in admin.list_staff(uow_for(db, admin_p))}
    assert rows["rev_js"].institution == "江苏外办" and rows["admin1"].institution is None  # every institution
    with pytest.raises(InvalidInput) as caught:
        admin.create_staff_account(
            uow_for(db, admin_p), username="x", name="", password="short", role="reviewer", institution_code=""
        )
    assert set(caught.value.errors) == {"username", "name", "password", "institution"}
    with pytest.raises(InvalidInput) as caught:
        admin.create_staff_account(
            uow_for(db, admin_p),
            username="rev_js",
            name="重复",
            password=STAFF_PASSWORD,
            role="reviewer",
            institution_code="JS",
        )
    assert caught.value.errors == {"username": "username_taken"}
    created = admin.create_staff_account(
        uow_for(db, admin_p),
        username="rev_mfa",
        name="外交部审核员",
        password=STAFF_PASSWORD,
        role="reviewer",
        institution_code="MFA",
    )
    assert created.institution_id == case["mfa"].id
    assert auth.sign_in_staff(uow_for(db), "rev_mfa", STAFF_PASSWORD).ok


def test_staff_deactivation_revokes_sessions_and_an_admin_cannot_deactivate_itself(case):
    db, admin_p, reviewer = case["db"], case["admin"], case["reviewer"]
    second_token = auth.sign_in_staff(uow_for(db), "rev_js", STAFF_PASSWORD).token
    db.commit()
    with pytest.raises(Conflict) as caught:
        admin.set_staff_active(uow_for(db, admin_p), admin_p.id, False)
    assert caught.value.code == "staff_self_deactivate"

    admin.set_staff_active(uow_for(db, admin_p), reviewer.id, False)
    db.commit()
    assert auth.resolve_session(db, second_token, now=utcnow()) is None
    assert not auth.sign_in_staff(uow_for(db), "rev_js", STAFF_PASSWORD).ok
    assert not {r.username: r for r in admin.list_staff(uow_for(db, admin_p))}["rev_js"].active

    admin.set_staff_active(uow_for(db, admin_p), reviewer.id, True)
    db.commit()
    assert auth.resolve_session(db, second_token, now=utcnow()) is None  # revoked sessions stay revoked
    assert auth.sign_in_staff(uow_for(db), "rev_js", STAFF_PASSWORD).ok
    actions = set(db.exec(select(SecurityEvent.action)).all())
    assert {"admin_staff_deactivate", "admin_staff_activate"} <= actions


def test_audit_log_is_searched_by_text_action_and_beijing_day_for_admins_only(case):
    db, admin_p, js = case["db"], case["admin"], case["js"]
    admin.update_institution(uow_for(db, admin_p, client_ip="10.1.2.3"), js.id, good_institution_form())
    db.add(SecurityEvent(action="sign_in_failed", actor="staff:50%_off", detail="wrong password"))
    db.commit()

    def search(**query):
        return audit_log.search(uow_for(db, admin_p), audit_log.AuditQuery(**query))

    changed = search(action="admin_")
    assert [(e.action, e.client_ip) for e in changed.lines] == [("admin_institution", "10.1.2.3")]
    assert search(text="10.1.2").total == 1
    assert [e.actor for e in search(text="50%_").lines] == ["staff:50%_off"]  # typed % and _ are no wildcards
    assert search(text="5_%").total == 0
    everything = search()
    assert everything.total >= 4 and everything.lines[0].action == "sign_in_failed"  # newest first
    today = everything.lines[0].created_at.astimezone(BEIJING).date()
    assert search(date_from=today, date_to=today).total == everything.total
    assert search(date_to=today - timedelta(days=1)).total == 0
    assert audit_log.search(uow_for(db, admin_p), audit_log.AuditQuery(), page=99).page == 1  # the last page
    for refused in (case["reviewer"], None):
        with pytest.raises(PermissionDenied):
            audit_log.search(uow_for(db, refused), audit_log.AuditQuery())


# --- the settings page's states, called as the gate calls them ---------------------------------------------------


def tab_state(cls, db, username: str, monkeypatch):
    """`cls`'s instance for a browser signed in as `username`, on /admin/settings."""
    token = auth.sign_in_staff(uow_for(db), username, STAFF_PASSWORD).token
    db.commit()
    monkeypatch.setattr(cls, "_current_path", lambda self: "/admin/settings")
    monkeypatch.setattr(SessionState, "_session_token", lambda self: token)  # the cookie its websocket carries
    session = RootState(_reflex_internal_init=True).substates[SessionState.get_name()]
    return session.substates[cls.get_name()]


def redirected_to(events) -> str | None:
    """Where the returned events send the browser (rx.redirect's path), if anywhere."""
    for event in events or []:
        args = {name._js_expr: getattr(value, "_var_value", None) for name, value in getattr(event, "args", ())}
        if "path" in args:
            return args["path"]
    return None


def call(state, handler: str, *args):
    return type(state).event_handlers[handler].fn(state, *args)


def test_typed_fees_survive_a_reload_until_saved_and_late_keystrokes_are_ignored(case, app_engine, monkeypatch):
    db, js = case["db"], case["js"]
    tab = tab_state(InstitutionsState, db, "admin1", monkeypatch)
    call(tab, "on_load")
    assert tab.loaded_path == "/admin/settings"
    call(tab, "pick_institution", str(js.id))
    call(tab, "keep_draft", "fees", "card_fee.new_renew", "750", tab.inst_version)
    call(tab, "keep_draft", "fees", "no_such_field", "1", tab.inst_version)
    call(tab, "on_load")  # the browser reloads the page
    assert tab.inst_id == js.id and tab.fees_shown["card_fee.new_renew"] == "750"
    assert tab.fees["card_fee.new_renew"] == "720.00" and "no_such_field" not in tab.fees_shown

    refused = call(tab, "save_fees", {"card_fee.new_renew": "-5", "agency_fee.new_renew": "50"})
    assert refused is None and tab.errors["fees:card_fee.new_renew"]  # at the field, nothing saved
    assert payments.current_fees(db, js.id, "new_renew") == (72_000, 5_000)
    form = {f"{part}.{t}": "750" for part in ("card_fee", "agency_fee") for t in ("new_renew", "replace")}
    typed_into = tab.inst_version
    call(tab, "save_fees", form)
    db.expire_all()
    assert payments.current_fees(db, js.id, "new_renew") == (75_000, 75_000)
    assert tab.drafts == {} and not any(k.startswith("fees:") for k in tab.errors)
    call(tab, "keep_draft", "fees", "card_fee.new_renew", "750", typed_into)  # debounced, from before the save
    assert tab.drafts == {}


def test_a_reviewer_calling_the_settings_handlers_is_refused_and_logged(case, app_engine, monkeypatch):
    db, js = case["db"], case["js"]
    for cls, handler, args in (
        (AdminSettingsState, "on_load", ()),
        (InstitutionsState, "on_load", ()),
        (InstitutionsState, "save_fees", ({"card_fee.new_renew": "1", "agency_fee.new_renew": "1"},)),
    ):
        state = tab_state(cls, db, "rev_js", monkeypatch)
        events = call(state, handler, *args)
        assert redirected_to(events) == "/staff"  # back to the reviewer's own home page, with nothing loaded
        assert state.loaded_path == "" and not getattr(state, "institutions", [])
    db.expire_all()
    assert payments.current_fees(db, js.id, "new_renew") == (72_000, 5_000)
    refused = db.exec(select(SecurityEvent.detail).where(SecurityEvent.action == "access_refused")).all()
    assert len(refused) == 3 and all("needs staff(admin)" in d for d in refused)
