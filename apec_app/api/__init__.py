"""HTTP routes mounted beside Reflex's own (api_transformer)."""

from __future__ import annotations

from apec_app.settings import Settings


def routes_for(settings: Settings) -> list:
    """The routes this configuration serves: the e-licence callback only with a platform configured, the
    simulated platform's pages only when it is the one chosen (it vouches for whatever its visitor types)."""
    from apec_app.api import cards, economy_api, elicense_callback, elicense_sim, examples, files, session, verify_page

    routes = [*session.routes, *files.routes, *examples.routes, *cards.routes, *verify_page.routes, *economy_api.routes]
    if settings.elicense_provider != "none":
        routes += elicense_callback.routes
    if settings.elicense_provider == "simulated":
        routes += elicense_sim.routes
    return routes
