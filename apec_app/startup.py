"""Start-up checks: the demo-only features must never be reachable on a public address by accident.

The simulated e-licence platform signs in whoever types an enterprise's 三要素, and the development mailbox
shows verification codes; either on a public host is an account takeover. The app refuses to start with them
when PUBLIC_URL is not a localhost address, unless UNSAFE_DEMO_FEATURES_ON_PUBLIC_HOST says so explicitly.
"""

from __future__ import annotations

import sys

from apec_app.settings import Settings

FORCE = "UNSAFE_DEMO_FEATURES_ON_PUBLIC_HOST"


def demo_features(settings: Settings) -> list[str]:
    """The demo-only features this configuration turns on, as the warning names them."""
    features = []
    if settings.elicense_provider == "simulated":
        features.append("模拟电子营业执照平台（ELICENSE_PROVIDER=simulated：任何人都能以任意企业的三要素授权）")
    if settings.dev_mailbox:
        features.append("开发邮箱（DEV_MAILBOX=1：/dev/mailbox 显示验证码，仅限本机的管理员查看）")
    if settings.client_limit_scale != 1:
        features.append(
            f"放宽的频率限制（CLIENT_LIMIT_SCALE={settings.client_limit_scale}：每个地址的登录、验证码次数上限随之放大）"
        )
    return features


def refusal(settings: Settings) -> str | None:
    """Why this configuration must not start, or None."""
    features = demo_features(settings)
    if features and not settings.public_url_is_local and not settings.unsafe_demo_on_public_host:
        return (
            f"refusing to start: PUBLIC_URL={settings.public_url} is not a localhost address, and these demo-only "
            f"features are on: {'; '.join(features)}. Turn them off (ELICENSE_PROVIDER=platform or none, "
            f"DEV_MAILBOX=0), or set {FORCE}=1 on a throw-away demonstration host."
        )
    return None


def check(settings: Settings) -> None:
    """Refuse a dangerous configuration (SystemExit), and warn loudly about the demo features that are on."""
    reason = refusal(settings)
    if reason:
        raise SystemExit(reason)
    from apec_app.integrations import crypto
    from apec_app.services.accounts.elicense import provider_for

    try:
        provider_for(settings)
        crypto.check_keys()  # a malformed DATA_KEYS/INDEX_KEY would otherwise fail at the first request
    except ValueError as exc:
        raise SystemExit(f"refusing to start: {exc}") from exc
    for feature in demo_features(settings):
        print(f"WARNING 仅供演示，切勿用于生产：已启用{feature}", file=sys.stderr, flush=True)
