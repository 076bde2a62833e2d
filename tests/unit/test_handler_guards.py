"""Every Reflex event handler either checks who is calling (directly or through a helper that does: _me,
_current, _enter, _require, _call, _denied), is one of the public handlers of the sign-in, registration and
recovery pages, or only changes what the page shows: it opens no database session and calls no service.

Read from the source, so a new handler that touches data without a check fails here before it ships.
"""

from __future__ import annotations

import ast
from pathlib import Path

STATES = Path(__file__).resolve().parents[2] / "apec_app" / "states"
CHECKS = {"_me", "_current", "_enter", "_require", "_call", "_denied"}
# Handlers of pages anyone may open: each checks its own credential (password, code, QR nonce, one-time link).
PUBLIC = {
    ("ForgotState", "confirm_identity"),
    ("ForgotState", "send_code"),
    ("ForgotState", "verify_code"),
    ("ForgotState", "set_new_password"),
    ("LoginState", "on_load"),
    ("LoginState", "sign_in"),
    ("StaffLoginState", "on_load"),
    ("StaffLoginState", "sign_in"),
    ("RegisterState", "submit_info"),
    ("RegisterState", "send_code"),
    ("RegisterState", "register"),
    ("SetPasswordState", "on_load"),
    ("SetPasswordState", "submit"),
    ("MailboxState", "load"),  # development mailbox: refuses unless DEV_MAILBOX is on
    ("SessionState", "load_header"),
    ("SessionState", "sign_out"),
    ("SessionState", "check_idle"),
    ("ApplyStartState", "choose_institution"),  # the 外办's public notice and conditions
}


def _handlers():
    """(class, handler, node, module tree) of every @rx.event method, and each class's helper methods."""
    found, helpers = [], {}
    for path in sorted(STATES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
                helpers.setdefault(fn.name, set()).update(_self_calls(fn))
                if any("event" in ast.unparse(d) for d in fn.decorator_list):
                    found.append((cls.name, fn.name, fn, tree))
    return found, helpers


def _self_calls(fn) -> set[str]:
    return {n.func.attr for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}


def _checked_helpers(helpers: dict[str, set[str]]) -> set[str]:
    checked, grew = set(CHECKS), True
    while grew:
        grew = False
        for name, calls in helpers.items():
            if name not in checked and calls & checked:
                checked.add(name)
                grew = True
    return checked


def _service_names(tree) -> set[str]:
    """Names a state module imported from apec_app.services (modules and functions)."""
    names = set()
    for node in ast.walk(tree):
        module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
        # principal kinds and error classes are constants, not data access
        if module.startswith("apec_app.services") and module not in (
            "apec_app.services.principal",
            "apec_app.services.errors",
        ):
            names |= {a.asname or a.name for a in node.names}
    return names | {"session_scope"}


def test_every_handler_checks_the_caller_or_touches_no_data():
    handlers, helpers = _handlers()
    checked = _checked_helpers(helpers)
    unguarded = []
    for cls, name, fn, tree in handlers:
        if _self_calls(fn) & checked or (cls, name) in PUBLIC:
            continue
        touched = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name)} & _service_names(tree)
        if touched:
            unguarded.append(f"{cls}.{name} uses {sorted(touched)} without checking the caller")
    assert unguarded == []
    assert len(handlers) > 150  # the scan really read the states


def test_the_public_list_names_real_handlers():
    handlers, _ = _handlers()
    names = {(cls, name) for cls, name, _, _ in handlers}
    assert PUBLIC <= names
