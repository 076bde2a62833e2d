"""What the codes of statuses, business types, cards and payments read as, everywhere they are shown."""

from __future__ import annotations

STATUS_LABELS = {
    "draft": "草稿",
    "fao_review": "外办审核中",
    "mfa_review": "外交部审核中",
    "returned": "退回修改",
    "rejected": "审核不通过",
    "awaiting_payment": "待缴费",
    "payment_review": "支付凭证确认中",
    "economy_review": "APEC 经济体审核中",
    "economies_done": "全部经济体审核完成",
    "card_production": "制卡中",
    "awaiting_pickup": "待自取",
    "picked_up": "已自取",
    "mailed": "已邮寄",
    "approved": "审核通过",
}

BUSINESS_TYPE_LABELS = {
    "new_renew": "新办/续办",
    "early_card": "提前制卡",
    "replace": "换补卡",
    "passport_change": "未制卡仅更换护照",
    "cancel": "注销卡",
}


EARLY_CARD_SUFFIX = "，已提前制卡"
CARD_STATUS_LABELS = {
    "producing": "制卡中",
    "ready": "待自取",
    "picked_up": "已自取",
    "mailed": "已邮寄",
    "replaced": "已换发新卡（原卡失效）",
    "cancelled": "已注销",
}


def status_label(status: str, early_card_done: bool = False) -> str:
    """'APEC 经济体审核中，已提前制卡' once an early card reached someone of a 新办/续办 application."""
    label = STATUS_LABELS.get(status, status)
    if early_card_done and status in ("economy_review", "economies_done"):
        label += EARLY_CARD_SUFFIX
    return label


# One wording for applicants and reviewers alike.
PAYMENT_STATUS_LABELS = {"submitted": "支付凭证确认中", "confirmed": "已确认收款", "refused": "已退回"}
DECISION_LABELS = {"approved": "批准", "refused": "拒绝"}
PENDING_DECISION = "待审核"
CHANNEL_LABELS = {"all": "全部", "direct": "直办（外交部）", "local": "外办"}
ROLE_LABELS = {"reviewer": "审核员", "admin": "管理员", "economy": "经济体官员"}

# Form steps are codes; these are their names on the progress bar (the first step of a follow-up is its own).
STEP_LABELS = {
    "unit": "单位信息",
    "group": "团组信息",
    "delivery": "取卡方式",
    "confirm": "信息确认",
    "materials": "上传材料",
    "contact": "在线填表",
    "replace_reason": "换补卡原因",
    "passport": "更换护照",
    "cancel_reason": "注销原因",
}


def decision_text(decision: str | None, decided_on: str = "") -> str:
    """批准 2026-11-01 / 拒绝 … / 待审核: one economy's decision for one person."""
    if not decision:
        return PENDING_DECISION
    return f"{DECISION_LABELS.get(decision, decision)} {decided_on}".strip()


# 办理记录: who acted (services/applications/actors.py gives the kind and the names).
def actor_label(kind: str, name: str = "", institution: str = "") -> str:
    """企业账号 / 经办人 李经办 / 江苏省人民政府外事办公室 审核员 张审 / 管理员 王管 / 系统."""
    if kind == "enterprise":
        return "企业账号"
    if kind == "agent":
        return f"经办人 {name}".strip()
    if kind == "reviewer":
        return " ".join(part for part in (institution, "审核员", name) if part)
    if kind == "admin":
        return f"管理员 {name}".strip()
    return "系统"


def decision_summary(approved: int, refused: int, pending: int) -> str:
    """One person's economies at a glance: 已批准 17 · 已拒绝 0 · 待审核 1."""
    return f"已批准 {approved} · 已拒绝 {refused} · {PENDING_DECISION} {pending}"


def delivery_text(delivery: dict[str, str]) -> str:
    """取卡方式 in one line, from the delivery read model (services/applications/views.py)."""
    if delivery.get("method") == "pickup":
        if "name" in delivery:
            return f"自取：{delivery['name']}（{delivery['address']}，{delivery['hours']}）"
        return "自取"
    if delivery.get("method") == "mail":
        return f"邮寄：{delivery['address']}" if "address" in delivery else "邮寄"
    return ""
