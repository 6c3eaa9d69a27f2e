"""What a page says, as a reader sees it: text without tags, spaces collapsed."""

import re
from html import unescape

from django.utils.html import strip_tags


def page_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(strip_tags(html)).split())
