"""All tables, imported here so alembic's autogenerate and the app see every one."""

from apec_app.models.application import Application, Document, NumberSequence, Person, StatusEvent
from apec_app.models.cards import CardHolderLink
from apec_app.models.economy import EconomyApiDecision, EconomyApiToken
from apec_app.models.enterprise import Address, Agent, Enterprise
from apec_app.models.jobs import JobLease
from apec_app.models.message import Message, OutboxEmail, Reminder
from apec_app.models.prechecks import PrecheckResult, PrecheckRun
from apec_app.models.review import Card, EconomyDecision, EconomySetting, Fee, Payment
from apec_app.models.security import (
    AccountLink,
    ELicenseAuthorization,
    LoginAttempt,
    RateEvent,
    SecurityEvent,
    SessionHandoff,
    UserSession,
    VerificationCode,
)
from apec_app.models.settings import Material, Notice, PickupPoint
from apec_app.models.staff import Institution, StaffUser

__all__ = [
    "AccountLink",
    "Reminder",
    "Card",
    "CardHolderLink",
    "EconomyApiDecision",
    "EconomyApiToken",
    "EconomyDecision",
    "EconomySetting",
    "Fee",
    "Payment",
    "Address",
    "Application",
    "Document",
    "Material",
    "Notice",
    "NumberSequence",
    "Person",
    "PrecheckResult",
    "PrecheckRun",
    "PickupPoint",
    "StatusEvent",
    "Agent",
    "ELicenseAuthorization",
    "Enterprise",
    "Institution",
    "JobLease",
    "LoginAttempt",
    "RateEvent",
    "SessionHandoff",
    "Message",
    "OutboxEmail",
    "SecurityEvent",
    "StaffUser",
    "UserSession",
    "VerificationCode",
]
