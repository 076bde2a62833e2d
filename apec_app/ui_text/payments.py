"""The 收银台 and the fees in the manual's words (manual 1.2.6): "应付金额：¥ 770 (制卡费¥720+外办代办费¥50)"."""

from __future__ import annotations

from apec_app.domain.fees import FeeLine, plain_yuan

# Who approved, as the 收银台 names it: "您办理的【APEC新办/续办】业务外办审核通过".
INSTITUTION_KIND_LABELS = {"fao": "外办", "ministry": "外交部"}
CASHIER_INTRO = "您办理的【APEC{business}】业务{institution}审核通过，请付款并上传支付凭证。"
REMIT_TO = "请汇款至："
UPLOAD_PROMPT = "汇款成功之后，请上传支付凭证照片"
UPLOAD_BUTTON = "上传支付凭证"
VOUCHER_HINT = "支持jpg、jpeg格式，文件大小需小于5M"
VOUCHER_REQUIRED = "请上传支付凭证照片"
VOUCHER_REFUSED = "未上传：仅支持jpg、jpeg格式，文件大小需小于5M"
VOUCHER_SUBMITTED = "提交支付凭证成功"
CONFIRMING_TITLE = "支付凭证确认中"
CONFIRMING = "支付凭证确认中，请及时关注申请单状态变更"
NO_FEE = "无需缴费"


def cashier_intro(business: str, institution_kind: str) -> str:
    return CASHIER_INTRO.format(business=business, institution=INSTITUTION_KIND_LABELS.get(institution_kind, "外办"))


def yuan(fen: int) -> str:
    """¥ 770: an amount as the 收银台 and 申请单信息 show it."""
    return f"¥ {plain_yuan(fen)}"


def _times(people: int) -> str:
    return f"×{people}" if people > 1 else ""


def amount_due(total_fen: int, lines: list[FeeLine]) -> str:
    """¥ 770 (制卡费¥720+外办代办费¥50); ¥ 1540 (制卡费¥720×2+外办代办费¥50×2); ¥ 720 (制卡费¥720) for 直办."""
    parts = "+".join(f"{line.label}¥{plain_yuan(line.per_person_fen)}{_times(line.people)}" for line in lines)
    return f"{yuan(total_fen)} ({parts})" if parts else yuan(total_fen)


def fee_amount(line: FeeLine) -> str:
    """One fee of 申请单信息: ¥ 720 for one person, ¥ 1440 (¥720×2) for two."""
    if line.people > 1:
        return f"{yuan(line.total_fen)} (¥{plain_yuan(line.per_person_fen)}{_times(line.people)})"
    return yuan(line.total_fen)
