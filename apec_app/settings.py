"""Typed settings read from environment variables, with safe local defaults.

Everything the deployment varies (database, Redis, SMTP, e-licence provider, secrets) comes from here so that
the same code runs the demo on SQLite and production on PostgreSQL + Redis.
"""

from __future__ import annotations

import base64
import os
import secrets
import stat
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def private_dir(path: Path) -> Path:
    """A folder only the app's user can enter: it holds the database, keys and personal documents."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    info = path.stat()
    # Tighten our own folder; never a shared one such as /tmp (sticky) or someone else's.
    if info.st_mode & 0o077 and info.st_uid == os.getuid() and not info.st_mode & stat.S_ISVTX:
        path.chmod(0o700)
    return path


def _secret_key(data_dir: Path) -> str:
    """Use SECRET_KEY, or a random key kept in the data folder so restarts keep codes and links valid."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    private_dir(data_dir)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def new_key() -> str:
    """A fresh 256-bit key, as DATA_KEYS and INDEX_KEY take them (URL-safe base64)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def _key_file(path: Path) -> list[str]:
    """The keys in `path` (one a line, the first encrypting; '#' comments), created with one new key if missing.

    Created under its final name in one step (a hard link), so two workers starting at once cannot each keep a
    key of their own: the loser reads the winner's.
    """
    if not path.exists():
        private_dir(path.parent)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".new-")  # created 0600
        with os.fdopen(descriptor, "w") as handle:
            handle.write(new_key() + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line]


def _keys(variable: str, path: Path) -> tuple[str, ...]:
    """Keys from the environment (comma-separated), else from their file in the key folder."""
    configured = os.environ.get(variable, "")
    if configured.strip():
        return tuple(k.strip() for k in configured.split(",") if k.strip())
    return tuple(_key_file(path))


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    redis_url: str | None
    secret_key: str
    public_url: str
    api_url: str
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_tls: bool
    smtp_ssl: bool
    mail_from: str
    elicense_provider: str  # "none", "simulated" or "platform"
    elicense_platform_url: str
    elicense_platform_issuer: str
    elicense_platform_public_key: Path | None
    dev_mailbox: bool
    # Lets the simulated e-licence platform and the development mailbox run on a public address. Both let anyone
    # who can reach the server take over accounts: only for a throw-away demonstration host.
    unsafe_demo_on_public_host: bool
    upload_dir: Path
    cors_origins: tuple[str, ...]
    # Personal data at rest (integrations/crypto.py): the data keys (the first encrypts, all decrypt) and the key
    # of the blind indexes; and where generated keys are kept (never inside a backup).
    data_keys: tuple[str, ...] = ()
    index_key: str = ""
    key_dir: Path = Path()
    # Documents of an ended application are deleted this many days after its end (services/operations/retention.py).
    document_retention_days: int = 183
    # Multiplies the per-client-address limits (services/accounts/throttle.py): for a test instance whose every
    # request comes from 127.0.0.1. 1 everywhere else.
    client_limit_scale: int = 1

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def public_url_is_local(self) -> bool:
        return is_local_url(self.public_url)


def database_url(url: str) -> str:
    """PostgreSQL through psycopg 3, the one PostgreSQL driver installed: `postgresql://` and
    `postgresql+psycopg2://` (what earlier deployments set) name it too."""
    scheme, separator, rest = url.partition("://")
    if separator and scheme in {"postgres", "postgresql", "postgresql+psycopg2"}:
        return f"postgresql+psycopg://{rest}"
    return url


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


def is_local_url(url: str) -> bool:
    """Whether an address can only be reached from this machine (what the demo-only features require)."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")


def _twins(url: str) -> list[str]:
    """localhost and 127.0.0.1 name the same local server: allow both origins."""
    urls = [url]
    if "//localhost" in url:
        urls.append(url.replace("//localhost", "//127.0.0.1"))
    elif "//127.0.0.1" in url:
        urls.append(url.replace("//127.0.0.1", "//localhost"))
    return urls


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    data_dir = Path(os.environ.get("APEC_DATA_DIR", PROJECT_ROOT / "data"))
    smtp_host = os.environ.get("SMTP_HOST") or None
    public_url = os.environ.get("PUBLIC_URL", "http://localhost:3000").rstrip("/")
    api_url = os.environ.get("API_URL", f"http://localhost:{os.environ.get('BACKEND_PORT', '8000')}").rstrip("/")
    origins = os.environ.get("CORS_ORIGINS", ",".join(_twins(public_url)))
    key_dir = Path(os.environ.get("KEY_DIR", data_dir / "keys"))
    return Settings(
        data_dir=data_dir,
        database_url=database_url(os.environ.get("DATABASE_URL", f"sqlite:///{data_dir / 'apec.db'}")),
        redis_url=os.environ.get("REDIS_URL") or None,
        secret_key=_secret_key(data_dir),
        public_url=public_url,
        api_url=api_url,
        smtp_host=smtp_host,
        smtp_port=int(os.environ.get("SMTP_PORT", "25")),
        smtp_user=os.environ.get("SMTP_USER") or None,
        smtp_password=os.environ.get("SMTP_PASSWORD") or None,
        smtp_tls=_flag("SMTP_TLS", False),
        smtp_ssl=_flag("SMTP_SSL", False),
        mail_from=os.environ.get("MAIL_FROM", "APEC商务旅行卡 <noreply@apec.localhost>"),
        # Off unless chosen: the simulated platform vouches for whatever its visitor types.
        elicense_provider=(os.environ.get("ELICENSE_PROVIDER") or "none").strip().lower(),
        elicense_platform_url=os.environ.get("ELICENSE_PLATFORM_URL", "").strip(),
        elicense_platform_issuer=os.environ.get("ELICENSE_PLATFORM_ISSUER", "").strip(),
        elicense_platform_public_key=Path(key) if (key := os.environ.get("ELICENSE_PLATFORM_PUBLIC_KEY")) else None,
        # The development mailbox shows queued email (codes included): off unless asked for, never in production.
        dev_mailbox=_flag("DEV_MAILBOX", False),
        client_limit_scale=max(1, int(os.environ.get("CLIENT_LIMIT_SCALE", "1") or "1")),
        unsafe_demo_on_public_host=_flag("UNSAFE_DEMO_FEATURES_ON_PUBLIC_HOST", False),
        upload_dir=Path(os.environ.get("UPLOAD_DIR", data_dir / "files")),
        cors_origins=tuple(o.strip() for o in origins.split(",") if o.strip()),
        data_keys=_keys("DATA_KEYS", key_dir / "data_keys"),
        index_key=(*_keys("INDEX_KEY", key_dir / "index_key"), "")[0],
        key_dir=key_dir,
        document_retention_days=int(os.environ.get("DOCUMENT_RETENTION_DAYS", "183") or "183"),
    )
