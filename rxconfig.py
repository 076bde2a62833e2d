"""Reflex configuration; deployment settings come from the environment (see apec_app/settings.py)."""

import os

import reflex as rx

from apec_app.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="apec_app",
    telemetry_enabled=False,
    redis_url=settings.redis_url,
    state_manager_mode="redis" if settings.redis_url else "disk",
    # A closed tab's state is dropped 35 minutes after its last event (Reflex's default: an hour), in memory and
    # on disk, or in Redis: its session ends 30 minutes after the last event anyway (IDLE_TIMEOUT).
    redis_token_expiration=35 * 60,
    cors_allowed_origins=list(settings.cors_origins),
    show_built_with_reflex=False,
    default_color_mode="light",
    plugins=[rx.plugins.RadixThemesPlugin(), rx.plugins.SitemapPlugin()],
    disable_plugins=[rx.plugins.TailwindV4Plugin],
    frontend_port=int(os.environ.get("FRONTEND_PORT", "3000")),
    backend_port=int(os.environ.get("BACKEND_PORT", "8000")),
    api_url=settings.api_url,
)
