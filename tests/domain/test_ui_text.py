"""Every error code the code raises or returns has its Chinese text in apec_app/ui_text (a missing one would
show the raw code to the user). Read from the source, so a new code without text fails here."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from apec_app.ui_text.economy_portal import ERRORS_EN
from apec_app.ui_text.errors import _all_messages, describe

APP = Path(__file__).resolve().parents[2] / "apec_app"
CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$|^required$")
# Exceptions and results whose argument at this position is a code shown to people.
CODE_ARGS = {
    "ServiceError": 0, "Conflict": 0, "NotFound": 0, "PermissionDenied": 0, "InvalidInput": 1,
    "RowError": 2, "SignInResult": 1, "UploadRejected": 0,
}  # fmt: skip
# Codes that are never shown: they are mapped to another message first (e.g. the platform's refusals).
NOT_SHOWN = {"assertion_malformed", "assertion_bad_signature", "assertion_wrong_issuer", "assertion_wrong_audience",
             "assertion_bad_lifetime", "assertion_expired"}  # fmt: skip


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def raised_codes() -> dict[str, str]:
    """code → where it is used."""
    found: dict[str, str] = {}
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(APP.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in CODE_ARGS:
                index = CODE_ARGS[_name(node.func)]
                if len(node.args) > index and isinstance(node.args[index], ast.Constant):
                    value = node.args[index].value
                    if isinstance(value, str) and CODE.match(value):
                        found.setdefault(value, f"{rel}:{node.lineno}")
            # the domain rules return codes (`return "code"`, `errors[field] = "code"`, `{field: "code"}`)
            if rel.parts[1] == "domain":
                value = None
                if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant):
                    value = node.value.value
                elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and node.value.elts:
                    first = node.value.elts[0]
                    value = first.value if isinstance(first, ast.Constant) else None
                elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
                    value = node.value.value if isinstance(node.value, ast.Constant) else None
                if isinstance(value, str) and CODE.match(value):
                    found.setdefault(value, f"{rel}:{node.lineno}")
    return found


def test_every_code_raised_or_returned_has_a_message():
    messages = _all_messages() | ERRORS_EN  # the economies' portal and API speak English
    missing = {code: where for code, where in raised_codes().items() if code not in messages and code not in NOT_SHOWN}
    assert missing == {}


def test_the_scan_finds_the_codes():
    codes = raised_codes()
    assert len(codes) > 70
    assert {"uscc_checksum", "application_changed", "qr_used", "id_checksum"} <= set(codes)


def test_describe_fills_in_parameters():
    assert describe("code_wrong", remaining=3) == "验证码错误，还可尝试3次"
