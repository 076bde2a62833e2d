"""Management commands: python -m apec_app.cli COMMAND --help."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from apec_app.db import checkpoint, get_engine, session_scope
from apec_app.domain.clock import SYSTEM_CLOCK
from apec_app.services.unit_of_work import unit_of_work


def migrate() -> None:
    """Bring the schema to the newest alembic revision (the only way the schema changes)."""
    from alembic.config import Config

    from alembic import command
    from apec_app.settings import PROJECT_ROOT

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    with get_engine().begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    checkpoint(get_engine())


def cmd_migrate(_args: argparse.Namespace) -> int:
    migrate()
    print("数据库已迁移到最新版本")
    return 0


def cmd_load_demo(args: argparse.Namespace) -> int:
    from apec_app.services.operations import demo_data

    migrate()
    with unit_of_work() as uow:
        if not demo_data.is_empty(uow.db):
            if not args.quiet:
                print("数据库已有数据，未加载演示数据。")
            return 0
        details = demo_data.load(uow)
    print("已加载演示数据。登录信息：")
    for label, value in details.items():
        print(f"  {label}: {value}")
    return 0


def cmd_demo_followups(args: argparse.Namespace) -> int:
    from apec_app.services.errors import NotFound
    from apec_app.services.operations import demo_followups

    try:
        with unit_of_work() as uow:
            numbers = demo_followups.seed(uow, args.email)
    except NotFound:
        print(f"未找到邮箱为 {args.email} 的企业账号", file=sys.stderr)
        return 2
    print("已生成演示申请单：" + "、".join(numbers))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from apec_app.services.operations import backup
    from apec_app.settings import get_settings

    settings = get_settings()
    try:
        manifest = backup.create(Path(args.to), settings.database_url, settings.upload_dir, now=SYSTEM_CLOCK.now())
    except backup.BackupError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(
        f"已备份到 {args.to}：申请单 {manifest.applications} 份，材料 {manifest.documents} 份，文件 {manifest.files} 个"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from apec_app.services.operations import backup
    from apec_app.settings import get_settings

    settings = get_settings()
    try:
        manifest = backup.restore(Path(args.source), settings.database_url, settings.upload_dir, force=args.force)
    except backup.BackupError as exc:
        print(exc, file=sys.stderr)
        return 2
    migrate()  # an older backup comes up to the current schema
    counts = f"申请单 {manifest.applications} 份，材料 {manifest.documents} 份"
    print(f"已从 {args.source} 恢复：{counts}（备份于 {manifest.created_at}）")
    return 0


def cmd_create_staff(args: argparse.Namespace) -> int:
    from apec_app.services.accounts import staff
    from apec_app.services.errors import InvalidInput
    from apec_app.ui_text import describe

    password = args.password or getpass.getpass("密码: ")
    try:
        with session_scope() as db:
            user = staff.create_staff(
                db,
                username=args.username,
                name=args.name,
                password=password,
                role=args.role,
                institution_code=args.institution,
                economy_code=args.economy,
            )
    except InvalidInput as exc:
        for field, code in exc.errors.items():
            print(f"{field}: {describe(code)}", file=sys.stderr)
        return 2
    print(f"已创建工作人员账号 {user.username}（{args.role}）")
    return 0


def cmd_send_outbox(args: argparse.Namespace) -> int:
    from apec_app.integrations.smtp import smtp_sender
    from apec_app.services.messaging import mail
    from apec_app.settings import get_settings

    with session_scope() as db:
        counts = mail.deliver_due(db, smtp_sender(get_settings()), now=SYSTEM_CLOCK.now(), limit=args.limit)
    print(f"sent={counts['sent']} failed={counts['failed']} kept={counts['kept']}")
    return 0


def cmd_send_reminders(_args: argparse.Namespace) -> int:
    from apec_app.services.messaging import reminders

    with unit_of_work() as uow:
        sent = reminders.send_due(uow)
    print(f"sent={sent}")
    return 0


def cmd_new_key(_args: argparse.Namespace) -> int:
    from apec_app.settings import new_key

    print(new_key())
    return 0


def cmd_rotate_keys(args: argparse.Namespace) -> int:
    """Everything under the first of DATA_KEYS, blind indexes under INDEX_KEY; then say whether any older key
    is still needed (it is until a run reports nothing left)."""
    import time

    from sqlmodel import SQLModel

    import apec_app.models  # noqa: F401 - every table, for their encrypted columns
    from apec_app.integrations import crypto
    from apec_app.services.operations import key_rotation

    ids = crypto.configured_key_ids()
    print(f"加密密钥：{ids[0]}；其余可解密的密钥：{'、'.join(ids[1:]) or '无'}")
    started = time.monotonic()
    done = key_rotation.rotate(get_engine(), SQLModel.metadata, batch_size=args.batch_size, reindex=True)
    seconds = time.monotonic() - started
    for name, count in done.items():
        print(f"{name}: {count}")
    left = key_rotation.stale_counts(get_engine(), SQLModel.metadata)
    print(f"用时 {seconds:.1f} 秒")
    if any(left.values()):
        print("仍有未用当前密钥加密的数据（运行期间被写入？）：" + "，".join(f"{k} {v}" for k, v in left.items() if v))
        return 1
    print("全部数据已用当前密钥加密：其余密钥可从 DATA_KEYS 中移除")
    return 0


def cmd_purge_documents(_args: argparse.Namespace) -> int:
    from apec_app.services.operations import retention
    from apec_app.services.unit_of_work import UnitOfWork
    from apec_app.settings import get_settings

    purged = retention.purge_all(UnitOfWork(None))
    days = get_settings().document_retention_days
    counts = f"文件 {purged.files} 个，申请单 {len(purged.applications)} 份"
    print(f"已删除办结超过 {days} 天的材料 {purged.documents} 份（{counts}）")
    return 0


def cmd_prechecks(args: argparse.Namespace) -> int:
    from apec_app.services.review import prechecks

    if args.missing:
        with unit_of_work() as uow:
            print(f"asked={prechecks.request_missing(uow)}")
    print(f"ran={prechecks.run_due(most=args.limit)}")
    return 0


def cmd_ocr(args: argparse.Namespace) -> int:
    from apec_app.ocr_cli import main as ocr_main

    return ocr_main(args.files)


def cmd_verify_card(args: argparse.Namespace) -> int:
    """A virtual card's QR code: the signature (with the key folder's public keys, or a JWK Set given with
    --keys), then, unless --offline, the card's standing in the database. Prints one JSON object; exit code 0
    for a valid card, 1 for a genuine card that is not valid, 2 for a token that is not ours."""
    import json

    from apec_app.integrations import card_keys
    from apec_app.services.cards import tokens, verification

    token = sys.stdin.read().strip() if args.token == "-" else args.token
    keys = card_keys.from_jwks(json.loads(Path(args.keys).read_text())) if args.keys else None
    try:
        verified = tokens.verify(token, keys)
    except tokens.TokenRejected as exc:
        print(json.dumps({"verified": False, "error": exc.code}))
        return 2
    claims = verified.claims
    if args.offline:
        standing = verification.offline_standing(claims, SYSTEM_CLOCK.today())
    else:
        with unit_of_work() as uow:
            standing = tokens.standing_now(uow.db, claims, uow.today())
    print(
        json.dumps(
            {
                "verified": True,
                "kid": verified.kid,
                "standing": standing,
                "checked_with_server": not args.offline,
                "card_number": claims.card_number,
                "name": claims.name,
                "passport_number": claims.passport_number,
                "valid_until": claims.valid_until.isoformat(),
                "economies": list(claims.economies),
            },
            ensure_ascii=False,
        )
    )
    return 0 if standing == "valid" else 1


def cmd_card_keys(args: argparse.Namespace) -> int:
    """The virtual cards' signing keys (integrations/card_keys.py): list, rotate, retire."""
    import json

    from apec_app.integrations import card_keys

    if args.action == "rotate":
        print(f"新的签名密钥：{card_keys.rotate()}（旧密钥的公钥继续用于核验，直至 retire）")
    elif args.action == "retire":
        try:
            card_keys.retire(args.kid or "")
        except card_keys.RetireRefused as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(f"已停用密钥 {args.kid}：其签发的二维码不再通过核验")
    else:
        print(json.dumps({"current": card_keys.current_kid(), **card_keys.jwks()}, indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m apec_app.cli", description="APEC商务旅行卡申请管理系统 管理命令")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("migrate", help="apply database migrations")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser(
        "load-demo", help="migrate, then load demo data into an empty database and print sign-in details"
    )
    p.add_argument("--quiet", action="store_true", help="say nothing when the database already has data")
    p.set_defaults(func=cmd_load_demo)

    p = sub.add_parser(
        "demo-followups",
        help="give an enterprise two demo applications to try 提前制卡, 换补卡, 仅更换护照 and 注销卡 with",
    )
    p.add_argument("--email", required=True, help="the enterprise account's email")
    p.set_defaults(func=cmd_demo_followups)

    p = sub.add_parser("backup", help="database and uploaded files into one .tar.gz (SQLite or PostgreSQL)")
    p.add_argument("--to", required=True, metavar="FILE", help="e.g. backups/apec-2026-11-27.tar.gz")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup made with `backup`, then migrate")
    p.add_argument("--from", dest="source", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="overwrite a database that already holds data")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("create-staff", help="create a reviewer, admin or APEC economy officer account")
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True, help="display name, e.g. 江苏外办审核员")
    p.add_argument("--role", required=True, choices=["reviewer", "admin", "economy"])
    p.add_argument("--institution", help="institution code for reviewers (MFA, JS, BJ, SH, GD in the demo data)")
    p.add_argument("--economy", help="the economy's code for an economy officer (JP, KR, SG …)")
    p.add_argument("--password", help="the password (asked for when omitted)")
    p.set_defaults(func=cmd_create_staff)

    p = sub.add_parser("ocr", help="read passport pages (MRZ); prints one JSON object per image")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(func=cmd_ocr)

    p = sub.add_parser("prechecks", help="run the automatic pre-checks that are due now (the app also does this)")
    p.add_argument("--missing", action="store_true", help="first ask for them on open applications that never had them")
    p.add_argument("--limit", type=int, default=1000, help="at most this many applications")
    p.set_defaults(func=cmd_prechecks)

    p = sub.add_parser("send-reminders", help="send due card reminders now (the app also does this every hour)")
    p.set_defaults(func=cmd_send_reminders)

    p = sub.add_parser("new-key", help="print a new random key for DATA_KEYS or INDEX_KEY")
    p.set_defaults(func=cmd_new_key)

    p = sub.add_parser(
        "rotate-keys",
        help="re-encrypt every encrypted column and stored file under the first of DATA_KEYS and recompute blind "
        "indexes made with another INDEX_KEY; resumable, a second run changes nothing",
    )
    p.add_argument("--batch-size", type=int, default=500, help="rows per committed batch")
    p.set_defaults(func=cmd_rotate_keys)

    p = sub.add_parser(
        "purge-documents",
        help="delete now the documents whose retention period ended (the app also does this daily)",
    )
    p.set_defaults(func=cmd_purge_documents)

    p = sub.add_parser("verify-card", help="check a virtual card's QR code content (signature, then standing)")
    p.add_argument("token", help="the QR code's content, or - to read it from standard input")
    p.add_argument("--keys", help="a JWK Set file (GET /api/cards/keys) instead of the key folder")
    p.add_argument("--offline", action="store_true", help="signature and validity only, no database")
    p.set_defaults(func=cmd_verify_card)

    p = sub.add_parser("card-keys", help="the virtual cards' signing keys: list, rotate, retire KID")
    p.add_argument("action", choices=("list", "rotate", "retire"))
    p.add_argument("kid", nargs="?", help="the key id to retire")
    p.set_defaults(func=cmd_card_keys)

    p = sub.add_parser("send-outbox", help="send queued emails that are due (the app also does this every few seconds)")
    p.add_argument("--limit", type=int, default=200)
    p.set_defaults(func=cmd_send_outbox)
    return parser


def main(argv: list[str] | None = None) -> int:
    from apec_app import bootstrap

    bootstrap.wire()
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    os.umask(0o077)  # the database, backups and keys it writes hold personal data: owner-only
    sys.exit(main())
