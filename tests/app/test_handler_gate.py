"""Every event handler of every state goes through the one gate (apec_app/states/gate.py), or is on the short,
named list of public handlers; and no handler of a page is open to more people than the page itself.

Read from the running state classes (not from the source text), so a handler is judged by the declaration it
actually carries, whatever its helpers are called.
"""

from __future__ import annotations

import inspect

import reflex as rx

import apec_app.apec_app  # noqa: F401 - registers every page and state
from apec_app.routes import PAGES
from apec_app.states.gate import ADMIN, APPLICANT, ECONOMY_OFFICER, STAFF_ANY, Need, Public, gate_of

# Handlers anyone may call, each checking its own credential (password, code, QR nonce, one-time link) or
# touching nothing but the caller's own tab.
PUBLIC = {
    ("SessionState", "load_header"),
    ("SessionState", "sign_out"),
    ("SessionState", "check_idle"),
    ("SessionState", "stay_signed_in"),
    ("LoginState", "on_load"),
    ("LoginState", "set_tab"),
    ("LoginState", "toggle_qr"),
    ("LoginState", "refresh_qr"),
    ("LoginState", "sign_in"),
    ("LoginState", "watch_qr"),
    ("RegisterState", "on_load"),
    ("RegisterState", "refresh_qr"),
    ("RegisterState", "draft_info"),
    ("RegisterState", "submit_info"),
    ("RegisterState", "back"),
    ("RegisterState", "set_email"),
    ("RegisterState", "send_code"),
    ("RegisterState", "register"),
    ("RegisterState", "watch_qr"),
    ("RegisterState", "run_countdown"),
    ("ForgotState", "on_load"),
    ("ForgotState", "set_mode"),
    ("ForgotState", "refresh_qr"),
    ("ForgotState", "confirm_identity"),
    ("ForgotState", "send_code"),
    ("ForgotState", "verify_code"),
    ("ForgotState", "set_new_password"),
    ("ForgotState", "watch_qr"),
    ("ForgotState", "run_countdown"),
    ("StaffLoginState", "on_load"),
    ("StaffLoginState", "sign_in"),
    ("SetPasswordState", "on_load"),
    ("SetPasswordState", "submit"),
    ("MailboxState", "load"),
    # The holder's virtual card (the emailed link, then the emailed code) and the border officers' /verify.
    ("HolderCardState", "on_load"),
    ("HolderCardState", "send_code"),
    ("HolderCardState", "open_card"),
    ("HolderCardState", "refresh"),
    ("HolderCardState", "run_countdown"),
    ("VerifyState", "on_load"),
    ("VerifyState", "verify"),
    # An account page's own QR watcher and code countdown (they read only what this tab started).
    ("AccountSettingsState", "watch_qr"),
    ("AccountSettingsState", "run_countdown"),
}
# Who each kind of path is for: a page's state must be at least this strict.
AUDIENCES = (
    ("/admin", ADMIN),
    ("/staff/login", None),
    ("/staff", STAFF_ANY),
    ("/economy", ECONOMY_OFFICER),
    *((prefix, APPLICANT) for prefix in ("/user", "/apply", "/followup", "/messages", "/account")),
)


def app_states() -> list[type]:
    """Every state class of the app (subclasses of rx.State defined in apec_app)."""
    found, todo = [], [rx.State]
    while todo:
        cls = todo.pop()
        for sub in cls.get_substates():
            todo.append(sub)
            if sub.__module__.startswith("apec_app."):
                found.append(sub)
    return found


# Reflex's `setvar(name, value)` only calls the state's own `set_<name>` handler, which the gate guards.
REFLEX_DISPATCHERS = {"setvar"}


def own_handlers(cls: type) -> dict[str, object]:
    """The handlers a class defines itself (inherited ones are judged on the class that defines them)."""
    return {
        name: h.fn
        for name, h in cls.event_handlers.items()
        if name not in REFLEX_DISPATCHERS and (name in vars(cls) or _from_mixin(cls, name))
    }


def _from_mixin(cls: type, name: str) -> bool:
    return any(name in vars(base) for base in cls.__mro__[1:] if getattr(base, "_mixin", False))


def problems(handlers: dict[str, dict[str, object]], page_needs: dict[str, Need], public: set) -> list[str]:
    """What is wrong: {state class name: {handler name: function}}, the need of each page's state, the public list."""
    found = []
    for cls, by_name in handlers.items():
        for name, fn in by_name.items():
            gate = gate_of(fn)
            if isinstance(gate, Public):
                if (cls, name) not in public:
                    found.append(f"{cls}.{name} is public but not on the public list")
            elif not isinstance(gate, Need):
                found.append(f"{cls}.{name} does not go through the gate")
            elif cls in page_needs and not gate.at_least(page_needs[cls]):
                found.append(f"{cls}.{name} admits {gate}, its page only {page_needs[cls]}")
    return found


def page_needs() -> dict[str, Need]:
    return {p.state.__name__: p.need for p in PAGES if p.need is not None}


def test_every_handler_of_every_state_goes_through_the_gate():
    handlers = {cls.__name__: own_handlers(cls) for cls in app_states()}
    assert sum(len(h) for h in handlers.values()) > 150  # the scan really read the states
    assert problems(handlers, page_needs(), PUBLIC) == []


def test_each_page_is_for_the_people_its_path_says():
    for page in PAGES:
        audience = next((need for prefix, need in AUDIENCES if page.path.startswith(prefix)), "public")
        if audience == "public" or audience is None:
            continue
        assert page.need is not None and page.need.at_least(audience), page.path


def test_the_public_list_names_real_public_handlers():
    handlers = {cls.__name__: own_handlers(cls) for cls in app_states()}
    for cls, name in PUBLIC:
        assert isinstance(gate_of(handlers[cls][name]), Public), (cls, name)


# --- the checker itself fails where it must -----------------------------------------------------------------


def _gated(need):
    def fn(self, uow):
        return None

    fn.__gate__ = need
    return fn


def test_the_check_fails_for_a_new_unguarded_handler():
    def export_everything(self):
        return None

    assert problems({"AuditState": {"export_everything": export_everything}}, {}, PUBLIC) == [
        "AuditState.export_everything does not go through the gate"
    ]


def test_the_check_fails_for_a_handler_guarded_for_the_wrong_role():
    found = problems({"AuditState": {"search": _gated(STAFF_ANY)}}, {"AuditState": ADMIN}, PUBLIC)
    assert found == ["AuditState.search admits staff, its page only staff(admin)"]


def test_the_check_fails_for_an_unguarded_handler_named_like_a_guarded_one_elsewhere():
    """The old source scan trusted helper names across classes; a name proves nothing now."""

    def on_load(self):
        return None

    handlers = {"DetailState": {"on_load": _gated(APPLICANT)}, "RogueState": {"on_load": on_load}}
    assert problems(handlers, {}, PUBLIC) == ["RogueState.on_load does not go through the gate"]


def test_the_check_fails_for_a_public_handler_not_on_the_list():
    def sneak(self):
        return None

    sneak.__gate__ = Public("trust me")
    assert problems({"DetailState": {"sneak": sneak}}, {}, PUBLIC) == [
        "DetailState.sneak is public but not on the public list"
    ]


def test_gated_handlers_show_reflex_the_signature_without_the_unit_of_work():
    from apec_app.pages.detail import DetailState

    params = list(inspect.signature(DetailState.event_handlers["download_pdf"].fn).parameters)
    assert params == ["self"]


def test_the_economy_portal_admits_only_economy_officers():
    """Every handler of the officers' portal is behind ECONOMY_OFFICER: no reviewer, admin or applicant passes,
    and an officer passes none of the reviewers' or admins' handlers."""
    from apec_app.services.principal import AGENT, ECONOMY, ENTERPRISE, STAFF, Principal
    from apec_app.states.economy_portal import EconomyPortalState

    handlers = own_handlers(EconomyPortalState)
    assert {"on_load", "decide_selected", "decide_one", "toggle", "toggle_all", "go_page"} <= set(handlers)
    officer = Principal(ECONOMY, 1, "JP officer", role="economy", economy_code="JP")
    others = [
        Principal(STAFF, 2, "admin", role="admin"),
        Principal(STAFF, 3, "reviewer", role="reviewer", institution_id=1),
        Principal(ENTERPRISE, 4, "ent", enterprise_id=4),
        Principal(AGENT, 5, "agent", enterprise_id=4),
        Principal(ECONOMY, 6, "no role", role="reviewer", economy_code="JP"),
        None,
    ]
    for name, fn in handlers.items():
        gate = gate_of(fn)
        assert gate == ECONOMY_OFFICER, name
        assert gate.admits(officer) and not any(gate.admits(p) for p in others), name
    assert not ADMIN.admits(officer) and not STAFF_ANY.admits(officer) and not APPLICANT.admits(officer)
    assert ECONOMY_OFFICER.sign_in_page == "/staff/login"
