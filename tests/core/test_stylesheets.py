"""The service's styles are compiled from Sass with GOV.UK Frontend's settings
(frontend/), never hand-typed CSS beside it that could drift from it."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BUILT = ROOT / "build" / "static" / "govuk" / "govuk-frontend.css"


def test_no_app_ships_a_hand_typed_stylesheet():
    hand_typed = [
        path.relative_to(ROOT)
        for pattern in ("*/static/**/*.css", "*/templates/**/*.css")
        for path in ROOT.glob(pattern)
        if "node_modules" not in path.parts and "build" not in path.parts
    ]
    assert hand_typed == []


def test_the_service_classes_are_compiled_into_the_one_stylesheet():
    css = BUILT.read_text()
    sources = (ROOT / "frontend" / "_app.scss").read_text()
    classes = set(re.findall(r"^\.(app-[\w-]+)", sources, re.M))
    assert classes, "frontend/_app.scss defines the service's classes"
    for name in classes:
        assert f".{name}" in css, name
    # Built with the Design System's colours, not typed-in copies of them.
    assert "var(--govuk-link-colour" in css.split(".app-link-button", 1)[1].split("}", 1)[0]


def test_every_page_links_the_compiled_stylesheet(client):
    page = client.get("/accessibility/").content.decode()
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) == [
        "/static/govuk/govuk-frontend.css"
    ]
