"""The reviewer's application page shows every field the applicant filled, with the form's own labels in the
form's order, and each person's documents with that person (the service's read model, labelled as the page
labels it)."""

from __future__ import annotations

import json

from apec_app.domain.application_form import PERSON_DOCS, UNIT_FIELDS
from apec_app.domain.people_import import LABELS
from apec_app.models import Application
from apec_app.services.applications import filing
from apec_app.services.review import views
from apec_app.ui_text import forms
from tests.factories import (
    TODAY,
    filled,
    make_enterprise,
    principal_for_enterprise,
    setup_institutions,
    staff_principal,
    uow_for,
)

# What the applicant typed beyond the factory's valid form: the optional 曾用名 too, and a 是 for each question.
EXTRA = (
    {"former_name": "张小平", "apec_visa": "是", "residence": "新加坡", "old_card": "否", "insured_place": "上海市",
     "home_address": "南京市玄武区中山路100号"},
    {"former_name": "李晓", "apec_visa": "否", "residence": "美国", "old_card": "是", "insured_place": "浙江省",
     "home_address": "苏州市工业园区星湖街328号", "surname": "李", "given_name": "娜", "pinyin": "LI NA"},
)  # fmt: skip


def run(db, who, use_case, *args, **kwargs):
    uow = uow_for(db, who, today=TODAY)
    result = use_case(uow, *args, **kwargs)
    uow.complete()
    return result


def submitted_with_every_field(db):
    _, js = setup_institutions(db)
    me = principal_for_enterprise(db, make_enterprise(db))
    application = filled(db, me, js.id, people=2)
    form = json.loads(db.get(Application, application.id).form_json)
    form["people"] = [p | extra for p, extra in zip(form["people"], EXTRA, strict=True)]
    run(db, me, filing.save_draft, application.id, form)
    run(db, me, filing.submit, application.id)
    db.commit()
    return application.id, form


def _lines(lines: list[list[str]]) -> list[tuple[str, str]]:
    return [(label, value) for label, value in lines]


def test_every_field_the_applicant_filled_is_shown_with_the_forms_label(db):
    app_id, form = submitted_with_every_field(db)
    view = run(db, staff_principal(db, "rev_js", "reviewer", "JS"), views.application_view, app_id)

    unit = _lines(forms.unit_field_lines(view.unit))
    assert [label for label, _ in unit] == [label for label, _ in forms.UNIT_LINES]  # the form's order
    assert len(unit) == len(UNIT_FIELDS)
    for (label, key), line in zip(forms.UNIT_LINES, unit, strict=True):
        assert line == (label, form["unit"][key]) and form["unit"][key]
    assert ("注册资金（人民币万元）", "1223") in unit and ("经营范围", "通讯设备") in unit
    assert ("性质", form["unit"]["nature"]) in unit and ("成立日期", "2010-03-13") in unit

    group = _lines(forms.group_field_lines(view.group, len(view.people)))
    assert group == [("团组名称", "赴新加坡商务考察团"), ("联系人姓名", "李四"), ("联系人电话", "15412341234"),
                     ("申请事由", "商务洽谈"), ("人员数量", "2 人")]  # fmt: skip

    assert len(view.people) == 2
    for row, typed in zip(view.people, form["people"], strict=True):
        lines = _lines(forms.person_field_lines(row))
        labels = [label for label, _ in lines]
        for key, label in LABELS.items():  # every field of 团组信息 by the form's own words
            if key in ("birth_country", "birth_province", "birth_city"):
                continue
            assert (label, typed[key]) in lines, (label, typed[key])
        birth_place = f"{typed['birth_country']} / {typed['birth_province']} / {typed['birth_city']}"
        assert ("出生地点", birth_place) in lines
        # The form's order: 姓 first, the passport after the person, the two questions around 居留国家或地区.
        assert labels.index("姓") < labels.index("家庭住址") < labels.index("护照号码") < labels.index("是否有旧APEC卡")
        assert labels[-3:] == ["是否有APEC经济体签证记录", "居留国家或地区", "是否有旧APEC卡"]
    assert ("是否有APEC经济体签证记录", "是") in _lines(forms.person_field_lines(view.people[0]))
    assert ("居留国家或地区", "美国") in _lines(forms.person_field_lines(view.people[1]))

    assert _lines(forms.delivery_lines(view.delivery)) == [("取卡方式", "邮寄"), ("邮寄地址", view.delivery["address"])]
    assert "南京市1号" in view.delivery["address"]


def test_each_persons_documents_go_with_that_person_and_the_materials_with_the_application(db):
    app_id, form = submitted_with_every_field(db)
    view = run(db, staff_principal(db, "rev_js", "reviewer", "JS"), views.application_view, app_id)
    for seq, typed in enumerate(form["people"], start=1):
        mine = [d for d in view.documents if d.person_seq == seq]
        assert [d.kind for d in mine] == list(PERSON_DOCS)  # 护照信息页 first, then 照片, 签名, the proofs
        assert {d.person for d in mine} == {typed["surname"] + typed["given_name"]}
        assert all(d.url.startswith("/files/") for d in mine)
    own = [d for d in view.documents if d.person_seq == 0]
    assert own and all(d.kind.startswith("material:") and not d.person for d in own)
    assert len(view.documents) == len(own) + 2 * len(PERSON_DOCS)
