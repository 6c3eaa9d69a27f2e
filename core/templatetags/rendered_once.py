"""{% rendered_once %}...{% endrendered_once %}: a part of a template that is
the same for everyone, rendered once per language (and set of URLs) and then
reused, for the layout every page pays for: its footer, the words of the
session dialog, the buttons with no value of their own.

Only for markup that reads nothing of the request, the user or the page:
anything inside is worked out for the first reader and shown to every other
reader of that language."""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

# Enough for every language and script prefix a process serves.
MAX_VERSIONS = 16


class RenderedOnceNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.versions: dict[tuple[object, ...], str] = {}

    def render(self, context: template.Context) -> str:
        key = (
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            settings.ROOT_URLCONF,
            settings.STATIC_URL,
        )
        rendered = self.versions.get(key)
        if rendered is None:
            rendered = self.nodelist.render(context)
            if len(self.versions) >= MAX_VERSIONS:
                self.versions.clear()
            self.versions[key] = rendered
        return rendered


@register.tag
def rendered_once(parser: template.base.Parser, token: template.base.Token) -> RenderedOnceNode:
    nodelist = parser.parse(("endrendered_once",))
    parser.delete_first_token()
    return RenderedOnceNode(nodelist)
