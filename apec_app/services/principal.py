"""Who is acting: the one type every service receives."""

from __future__ import annotations

from dataclasses import dataclass

from apec_app.services.errors import PermissionDenied

ENTERPRISE = "enterprise"
AGENT = "agent"
STAFF = "staff"
# An APEC economy's officer (a staff account of role "economy", signed in on the English portal) and an economy's
# API client (a bearer token): they decide for their own economy only, and see nothing of the back office.
ECONOMY = "economy"
ECONOMY_API = "economy_api"


@dataclass(frozen=True)
class Principal:
    kind: str
    id: int
    name: str
    enterprise_id: int | None = None
    role: str | None = None  # staff only: "reviewer" or "admin"
    institution_id: int | None = None  # reviewers only
    economy_code: str | None = None  # economy officers and API clients only
    session_id: int | None = None

    @property
    def is_enterprise(self) -> bool:
        return self.kind == ENTERPRISE

    @property
    def is_agent(self) -> bool:
        return self.kind == AGENT

    @property
    def is_staff(self) -> bool:
        return self.kind == STAFF

    @property
    def is_economy(self) -> bool:
        return self.kind in (ECONOMY, ECONOMY_API)

    @property
    def label(self) -> str:
        """For logs: kind and id, never a secret."""
        return f"{self.kind}:{self.id}"


def require_kind(principal: Principal | None, *kinds: str) -> Principal:
    if principal is None or principal.kind not in kinds:
        raise PermissionDenied()
    return principal
