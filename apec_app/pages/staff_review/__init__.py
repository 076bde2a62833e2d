"""The reviewers' pages: 审核工作台 (/staff) and one application (/staff/applications/[app_id])."""

from apec_app.pages.staff_review.application import review_page
from apec_app.pages.staff_review.application_state import StaffReviewState
from apec_app.pages.staff_review.queue import queue_page
from apec_app.pages.staff_review.queue_state import StaffQueueState

__all__ = ["StaffQueueState", "StaffReviewState", "queue_page", "review_page"]
