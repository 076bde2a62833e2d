"""The demo data set: institutions, staff and one enterprise with an agent, loaded on an empty database."""

from __future__ import annotations

from sqlmodel import Session, select

from apec_app.domain.passwords import hash_password
from apec_app.models import Agent, Enterprise, Fee, Institution, Material, Notice, PickupPoint
from apec_app.models.base import row_id
from apec_app.services.accounts import staff
from apec_app.services.messaging import notifications
from apec_app.services.operations import demo_followups, demo_history
from apec_app.services.unit_of_work import UnitOfWork

INSTITUTIONS = [
    ("MFA", "外交部领事司", "ministry", "北京市", "010-65963500", "北京市朝阳区朝阳门南大街2号"),
    ("JS", "江苏省人民政府外事办公室", "fao", "江苏省", "025-83392000", "江苏省南京市北京西路70号"),
    ("BJ", "北京市人民政府外事办公室", "fao", "北京市", "010-55578000", "北京市朝阳区东三环北路27号"),
    ("SH", "上海市人民政府外事办公室", "fao", "上海市", "021-62511111", "上海市娄山关路85号"),
    ("GD", "广东省人民政府外事办公室", "fao", "广东省", "020-83341111", "广东省广州市东风中路305号"),
]

# Valid numbers (check characters computed by python-stdnum), unlike the manual's screenshots.
DEMO_ENTERPRISE = {
    "name": "江苏示例科技有限公司",
    "uscc": "91320100MA1MXXYC1G",
    "legal_rep": "王建国",
    "email": "demo@example.com",
    "password": "Demo@2026pass",
}
DEMO_AGENT = {"username": "jingban01", "password": "Agent@2026pass", "name": "李经办"}
DEMO_STAFF = [
    ("admin", "系统管理员", "Admin@2026pass", "admin", None),
    ("reviewer_mfa", "外交部审核员", "Review@2026pass", "reviewer", "MFA"),
    ("reviewer_js", "江苏外办审核员", "Review@2026pass", "reviewer", "JS"),
]
# An APEC economy's officer, on the English pre-clearance portal: (username, name, password, economy).
DEMO_OFFICERS = [("officer_jp", "Tanaka Yuki (Japan)", "Economy@2026pass", "JP")]


NOTICE_MFA = """一、申办对象：中央企业中从事商务活动、确有经常赴APEC经济体需要的人员。
二、申办人员须持有效期6个月以上的中华人民共和国普通护照。
三、申请人照片须为近6个月内白底彩色证件照，图片长宽在50*50-600*800像素之间。
四、提交的材料须真实有效，如有虚假，将不予受理。
五、审核通过后请按收银台提示缴纳制卡费，缴费后提交至各APEC经济体进行预审，各经济体审核时间不一。"""

NOTICE_LOCAL = """一、申办对象：在本地注册的企业中从事商务活动、确有经常赴APEC经济体需要的人员。
二、申办人员须持有效期6个月以上的中华人民共和国普通护照。
三、企业上年度进出口额、纳税情况等须符合本外办规定的条件。
四、提交的材料须真实有效，如有虚假，将不予受理。
五、审核通过后请按收银台提示缴纳制卡费及外办代办费。"""

MATERIALS = [
    ("new_renew", "all", "完税证明", "请上传完税证明", True, "/examples/tax.png"),
    ("new_renew", "all", "公司申请函原件（加盖公章）", "请上传加盖公章的公司申请函原件", True, "/examples/letter.png"),
    ("new_renew", "local", "新办续办-外办", "只针对外办", False, "/examples/local.png"),
    ("early_card", "all", "提前制卡所有", "提前制卡申请函（加盖公章）", True, "/examples/letter.png"),
    ("early_card", "direct", "提前制卡直办", "只针对直办企业", False, "/examples/local.png"),
    ("replace", "all", "换补卡申请函（加盖公章）", "写明换卡或补卡原因并加盖公章", True, "/examples/letter.png"),
    ("passport_change", "all", "更换护照说明（加盖公章）", "写明更换护照原因并加盖公章", True, "/examples/letter.png"),
    ("cancel", "all", "注销卡申请函（加盖公章）", "写明注销原因并加盖公章", True, "/examples/letter.png"),
]


def load_settings(db: Session) -> None:
    """Materials, 申办须知 and 代办点 (the back office edits them later)."""
    for sort, (business_type, channel, name, hint, required, example) in enumerate(MATERIALS):
        db.add(
            Material(
                business_type=business_type,
                channel=channel,
                name=name,
                hint=hint,
                required=required,
                example_image=example,
                accepted="jpg,jpeg,png,pdf",
                sort=sort,
            )
        )
    institutions = db.exec(select(Institution)).all()
    for institution in institutions:
        institution_id = row_id(institution)
        institution.bank_name = "中国银行北京分行" if institution.kind == "ministry" else "中国工商银行"
        institution.bank_account_name = institution.name
        institution.bank_account_number = f"1100 0000 {institution_id:04d} 0000 000"
        db.add(Fee(institution_id=institution_id, business_type="new_renew"))
        db.add(Fee(institution_id=institution_id, business_type="replace"))
        if institution.kind == "ministry":
            db.add(Notice(business_type="new_renew", institution_id=None, text=NOTICE_MFA))
        else:
            db.add(
                Notice(
                    business_type="new_renew",
                    institution_id=institution.id,
                    text=f"{institution.name}申办须知\n{NOTICE_LOCAL}",
                )
            )
        db.add(
            PickupPoint(
                institution_id=institution_id,
                name=f"{institution.name}证件受理窗口",
                address=institution.address,
                hours="工作日 9:00-11:30，13:30-17:00",
                phone=institution.contact_phone,
            )
        )


def is_empty(db: Session) -> bool:
    return db.exec(select(Institution.id)).first() is None


def load(uow: UnitOfWork) -> dict[str, str]:
    """Load once; returns the sign-in details to print."""
    db = uow.db
    for code, name, kind, province, phone, address in INSTITUTIONS:
        db.add(Institution(code=code, name=name, kind=kind, province=province, contact_phone=phone, address=address))
    db.flush()
    load_settings(db)
    for username, name, password, role, institution in DEMO_STAFF:
        staff.create_staff(db, username=username, name=name, password=password, role=role, institution_code=institution)
    for username, name, password, economy in DEMO_OFFICERS:
        staff.create_staff(db, username=username, name=name, password=password, role="economy", economy_code=economy)
    enterprise = Enterprise(
        name=DEMO_ENTERPRISE["name"],
        uscc=DEMO_ENTERPRISE["uscc"],
        legal_rep=DEMO_ENTERPRISE["legal_rep"],
        email=DEMO_ENTERPRISE["email"],
        password_hash=hash_password(DEMO_ENTERPRISE["password"]),
        reg_province="江苏省",
        reg_address="南京市雨花台区软件大道101号",
        phone="025-52345678",
        nature="民营企业",
        industry="信息传输、软件和信息技术服务业",
    )
    db.add(enterprise)
    db.flush()
    agent = Agent(
        enterprise_id=row_id(enterprise),
        name=DEMO_AGENT["name"],
        username=DEMO_AGENT["username"],
        password_hash=hash_password(DEMO_AGENT["password"]),
        mobile="13912345678",
        email="jingban01@example.com",
    )
    db.add(agent)
    db.flush()
    demo_followups.seed(uow, enterprise.email)
    demo_history.seed(uow)
    notifications.notify_creator(
        db,
        enterprise_id=row_id(enterprise),
        creator_agent_id=None,
        title="欢迎使用APEC商务旅行卡申请管理系统",
        body="贵单位账号已开通，可在首页选择业务【立即办理】。",
        now=uow.now(),
    )
    return {
        "企业账号": f"{enterprise.email} / {DEMO_ENTERPRISE['password']} (统一社会信用代码 {enterprise.uscc})",
        "经办人": f"{DEMO_AGENT['username']} / {DEMO_AGENT['password']}",
        **{f"工作人员 {u}": f"{u} / {p}" for u, _, p, _, _ in DEMO_STAFF},
        **{f"经济体官员 {u} ({e})": f"{u} / {p}" for u, _, p, e in DEMO_OFFICERS},
    }
