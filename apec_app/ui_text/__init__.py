"""Every word the UI shows for a code: error messages and labels. Services return codes; only the layers that
talk to people (states, pages, API pages, message texts) import this package."""

from apec_app.ui_text.errors import MESSAGES, describe
from apec_app.ui_text.labels import (
    BUSINESS_TYPE_LABELS,
    CARD_STATUS_LABELS,
    CHANNEL_LABELS,
    DECISION_LABELS,
    PAYMENT_STATUS_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    STEP_LABELS,
    actor_label,
    decision_summary,
    decision_text,
    status_label,
)
from apec_app.ui_text.uploads import describe_upload_error

__all__ = [
    "BUSINESS_TYPE_LABELS",
    "CARD_STATUS_LABELS",
    "CHANNEL_LABELS",
    "DECISION_LABELS",
    "MESSAGES",
    "PAYMENT_STATUS_LABELS",
    "ROLE_LABELS",
    "STATUS_LABELS",
    "STEP_LABELS",
    "actor_label",
    "decision_summary",
    "decision_text",
    "describe",
    "describe_upload_error",
    "status_label",
]
