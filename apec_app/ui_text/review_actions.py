"""The reviewer's actions that ask for confirmation, and what the dialog says: which application, what will
happen, with the reason or tracking number given."""

from __future__ import annotations

# action → (button text, what happens to the application)
CONFIRMED_ACTIONS: dict[str, tuple[str, str]] = {
    "approve": ("通过", "审核通过，申请人将收到缴费通知"),
    "return": ("退回修改", "退回申请人修改"),
    "reject": ("不通过", "审核不通过，此操作不可撤销"),
    "confirm_payment": ("确认收款", "确认已收到款项，送APEC经济体审核"),
    "refuse_payment": ("退回支付凭证", "退回支付凭证，申请人需重新缴费"),
    "mail": ("已邮寄", "登记为已邮寄，并通知申请人"),
}
NEXT_BUTTON = "下一个"
NO_NEXT = "该队列中已没有其他申请单"
# While the economies decide there is no status action, but there is work: the decisions below.
ECONOMY_ENTRY = "等待APEC经济体审核结果：在下方逐条录入或导入CSV文件"


def confirm_title(action: str) -> str:
    return f"确认{CONFIRMED_ACTIONS[action][0]}？"


def confirm_text(action: str, number: str, enterprise: str, reason: str = "", tracking: str = "") -> str:
    """e.g. 申请单 APEC20261126000001（江苏示例科技有限公司）将审核通过，申请人将收到缴费通知。"""
    text = f"申请单 {number}（{enterprise}）将{CONFIRMED_ACTIONS[action][1]}。"
    if reason:
        text += f"原因：{reason}。"
    if tracking:
        text += f"快递单号：{tracking}。"
    return text
