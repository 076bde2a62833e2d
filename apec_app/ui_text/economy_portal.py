"""The English words of the APEC economies' side: their officers' portal and their systems' API (the officers
and integrators of the other economies read English, not Chinese)."""

from __future__ import annotations

ERRORS_EN = {
    "not_found": "This person is not waiting for your economy's decision.",
    "decision_exists": "Your economy's decision on this person has already been recorded.",
    "decision_invalid": "The decision must be approved or refused.",
    "date_future": "The date of the decision cannot be in the future.",
    "date_invalid": "Enter the date of the decision as YYYY-MM-DD.",
    "transition_refused": "The application is no longer waiting for the economies' decisions.",
    "economy_not_deciding": "Your economy takes no pre-clearance decisions on these applicants.",
    "api_unauthorized": "The API token is missing, wrong or revoked.",
    "rate_limited": "Too many requests; try again in {seconds} seconds.",
    "api_duplicate_id": "This id appears more than once in the request.",
    "api_id_reused": "This id was already used for a different decision.",
    "api_client_id": "Each item needs an id of 1 to 64 letters, digits or . _ : -",
    "api_item_shape": "Each item is an object with id, person, decision and decided_on.",
    "api_date": "decided_on must be a date (YYYY-MM-DD).",
    "api_body": "The body must be a JSON object with a list of 1 to {limit} decisions.",
    "permission_denied": "You may not do this.",
    "none_selected": "Select at least one person.",
}
DECISIONS_EN = {"approved": "Approved", "refused": "Refused"}
SEX_EN = {"M": "Male", "F": "Female", "X": "Unspecified"}


def describe_en(code: str, **params: object) -> str:
    text = ERRORS_EN.get(code, "The request could not be completed.")
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text
