"""The demo data set: institutions, staff and one enterprise with an agent, loaded on an empty database."""

from __future__ import annotations

from sqlmodel import Session, select

from apec_app.domain.passwords import hash_password
from apec_app.models import Agent, Enterprise, Institution
from apec_app.services import notifications, staff

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


def is_empty(db: Session) -> bool:
    return db.exec(select(Institution.id)).first() is None


def load(db: Session) -> dict[str, str]:
    """Load once; returns the sign-in details to print."""
    for code, name, kind, province, phone, address in INSTITUTIONS:
        db.add(Institution(code=code, name=name, kind=kind, province=province, contact_phone=phone, address=address))
    db.flush()
    for username, name, password, role, institution in DEMO_STAFF:
        staff.create_staff(db, username=username, name=name, password=password, role=role, institution_code=institution)
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
        enterprise_id=enterprise.id,
        name=DEMO_AGENT["name"],
        username=DEMO_AGENT["username"],
        password_hash=hash_password(DEMO_AGENT["password"]),
        mobile="13912345678",
        email="jingban01@example.com",
    )
    db.add(agent)
    db.flush()
    notifications.notify_creator(
        db,
        enterprise_id=enterprise.id,
        creator_agent_id=None,
        title="欢迎使用APEC商务旅行卡申请管理系统",
        body="贵单位账号已开通，可在首页选择业务【立即办理】。",
    )
    return {
        "企业账号": f"{enterprise.email} / {DEMO_ENTERPRISE['password']} (统一社会信用代码 {enterprise.uscc})",
        "经办人": f"{DEMO_AGENT['username']} / {DEMO_AGENT['password']}",
        **{f"工作人员 {u}": f"{u} / {p}" for u, _, p, _, _ in DEMO_STAFF},
    }
