"""What a page says, as a reader hears it: text without tags (each tag read as
a space), spaces collapsed."""

import re
from html import unescape


def page_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", html)).split())
