"""What users read says "case", the word practitioners use; "episode" is the
code's word for one spell of early help and never reaches a page, email,
document or message."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = [
    path.parent
    for path in ROOT.glob("*/apps.py")
    if path.parent.name not in {"tests", "bench", "scripts", "node_modules"}
]
TRANSLATE = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext"}
TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
TRANSLATED_IN_TAG = re.compile(r'{%\s*(?:translate|trans)\s+"([^"]*)"')
BLOCK = re.compile(r"{%\s*blocktranslate.*?%}(.*?){%\s*endblocktranslate\s*%}", re.S)
HTML_TAG = re.compile(r"<[^>]*>")


def translatable_strings(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in TRANSLATE
        ):
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield node.lineno, arg.value


def python_files():
    for app in APPS:
        for path in app.rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def template_files():
    for pattern in ("*/templates/**/*.html", "*/templates/**/*.txt", "templates/**/*.html"):
        yield from ROOT.glob(pattern)


def text_a_user_reads(source):
    texts = TRANSLATED_IN_TAG.findall(source) + BLOCK.findall(source)
    texts.append(HTML_TAG.sub(" ", TAG.sub(" ", source)))
    return texts


def test_translatable_strings_never_say_episode():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in python_files()
        for line, text in translatable_strings(path)
        if "episode" in text.lower()
    ]
    assert found == []


def test_pages_never_say_episode():
    found = [
        f"{path.relative_to(ROOT)}: {text.strip()[:80]!r}"
        for path in template_files()
        for text in text_a_user_reads(path.read_text())
        if "episode" in text.lower()
    ]
    assert found == []


@pytest.mark.parametrize(
    ("source", "says_episode"),
    [
        ('{% translate "Close the episode" %}', True),
        ("{% blocktranslate %}This episode closed{% endblocktranslate %}", True),
        ("<p>Episode closed</p>", True),
        ("<a href=\"{% url 'episodes:detail' episode.pk %}\">Case</a>", False),
        ('<section class="app-episode">{{ episode.reference }}</section>', False),
    ],
)
def test_the_page_check_reads_text_not_code(source, says_episode):
    found = any("episode" in text.lower() for text in text_a_user_reads(source))
    assert found is says_episode
