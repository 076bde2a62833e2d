import pytest
from sqlmodel import Session, select

from apec_app import cli
from apec_app.db import get_engine
from apec_app.models import StaffUser
from apec_app.services.accounts import auth
from tests.factories import act


def test_load_demo_then_create_staff_and_sign_in(capsys):
    assert cli.main(["load-demo"]) == 0
    out = capsys.readouterr().out
    assert "demo@example.com" in out or "已有数据" in out
    assert (
        cli.main(
            [
                "create-staff",
                "--username",
                "reviewer_sh",
                "--name",
                "上海外办审核员",
                "--role",
                "reviewer",
                "--institution",
                "SH",
                "--password",
                "Staff#Pass2026",
            ]
        )
        == 0
    )
    with Session(get_engine()) as db:
        staff = db.exec(select(StaffUser).where(StaffUser.username == "reviewer_sh")).one()
        assert staff.institution_id is not None
        result = act(auth.sign_in_staff, db, "reviewer_sh", "Staff#Pass2026")
        assert result.ok and result.principal.role == "reviewer"


def test_create_staff_makes_an_economy_officer_who_signs_in_as_its_economy(capsys):
    cli.main(["load-demo"])
    args = ["create-staff", "--username", "officer_nz", "--name", "NZ officer", "--role", "economy"]
    assert cli.main([*args, "--economy", "XX", "--password", "Staff#Pass2026"]) == 2
    assert cli.main([*args, "--economy", "nz", "--password", "Staff#Pass2026"]) == 0
    with Session(get_engine()) as db:
        result = act(auth.sign_in_staff, db, "officer_nz", "Staff#Pass2026")
        assert result.ok and result.principal.kind == "economy" and result.principal.economy_code == "NZ"


def test_create_staff_refuses_a_weak_password_and_an_unknown_institution(capsys):
    cli.main(["load-demo", "--quiet"])
    assert (
        cli.main(["create-staff", "--username", "weak1", "--name", "x", "--role", "admin", "--password", "weak"]) == 2
    )
    assert "密码" in capsys.readouterr().err
    assert (
        cli.main(
            [
                "create-staff",
                "--username",
                "nobody1",
                "--name",
                "x",
                "--role",
                "reviewer",
                "--institution",
                "XX",
                "--password",
                "Staff#Pass2026",
            ]
        )
        == 2
    )


def test_every_command_has_help():
    for command in ("migrate", "load-demo", "create-staff", "send-outbox"):
        with pytest.raises(SystemExit) as exc:
            cli.main([command, "--help"])
        assert exc.value.code == 0
