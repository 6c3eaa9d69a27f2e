"""Every string a user reads is marked for translation, so the practitioner
pages can be put into Welsh (or any language) by writing a catalogue, without
touching a template or a form (docs/TRANSLATION.md).

Templates: the text between tags, and the attributes a user reads or hears
(alt, title, aria-label, placeholder), must come from {% translate %},
{% blocktranslate %} or a variable; a literal string given to a tag or a
filter must be _("..."). Python: every form field's label, help text and
error messages are translated (gettext_lazy), or left to Django, whose own are."""

import ast
import importlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.template.base import Lexer, TokenType, filter_re
from django.utils.functional import Promise

ROOT = Path(settings.BASE_DIR)
APPS = sorted(
    path.parent.name
    for path in ROOT.glob("*/apps.py")
    if path.parent.name not in {"tests", "bench", "scripts", "node_modules"}
)

# Template folders left out for a time (none now): a folder being rewritten
# on another branch, say, until it is merged.
NOT_YET_CHECKED: tuple[str, ...] = ()

# Text that is the same in every language, each with why it is (a product's
# name such as "GOV.UK" said as itself, a code sample). None is needed today:
# the Design System's and the licence's names are inside translated sentences.
UNTRANSLATABLE: set[str] = set()

# A letter of any script.
LETTER = re.compile(r"[^\W\d_]")
# What a template tag outputs is not text of the template itself: stands in for it.
STAND_IN = "\ue000"
# Attributes a user reads (a tooltip, an image's text) or hears (a screen reader).
READ_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder", "aria-description"}
# Template tags whose whole content is translated, or never shown.
TRANSLATED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
HIDDEN_BLOCKS = {"comment": "endcomment"}
# Tags whose literal arguments are names, paths or formats, never text.
NAMING_TAGS = {
    "load", "url", "static", "include", "extends", "block", "endblock", "now",
    "templatetag", "translate", "trans", "get_current_language", "get_current_language_bidi",
    "language", "csrf_token", "widthratio", "cycle", "regroup", "resetcycle",
}  # fmt: skip
# Filters whose literal arguments are formats or names, never text.
FORMAT_FILTERS = {"date", "time", "add", "stringformat", "floatformat"}


def template_files():
    for pattern in ("*/templates/**/*.html", "*/templates/**/*.txt", "templates/**/*.html"):
        for path in sorted(ROOT.glob(pattern)):
            name = str(path.relative_to(ROOT))
            if not name.startswith(("node_modules/", "build/", ".venv/")):
                yield name, path


def _template_text(source):
    """The template with everything that is not its own untranslated text (a
    variable, a tag, a {% translate %}, a {% blocktranslate %} block) replaced
    by a stand-in, lines kept where they were; and the tags' tokens."""
    parts, tags, closing = [], [], None
    for token in Lexer(source).tokenize():
        lines = "\n" * token.contents.count("\n")
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            parts.append(STAND_IN + lines)
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            closing = TRANSLATED_BLOCKS.get(name) or HIDDEN_BLOCKS.get(name)
        if token.token_type in (TokenType.BLOCK, TokenType.VAR):
            tags.append(token)
        # A stand-in, so that text around a variable is still seen as text.
        parts.append(("" if token.token_type == TokenType.COMMENT else STAND_IN) + lines)
    return "".join(parts), tags


class _TextReader(HTMLParser):
    """Collects the text between tags and in the attributes a user reads,
    with its line; leaves out scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        # A button's words are its value.
        button = tag == "input" and dict(attrs).get("type") in ("submit", "button", "reset")
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES or (button and name == "value")):
                self._note(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self._note(data)

    def _note(self, text):
        line = self.getpos()[0]
        for piece in text.split(STAND_IN):
            words = " ".join(piece.split())
            if LETTER.search(words) and words not in UNTRANSLATABLE:
                before = piece[: len(piece) - len(piece.lstrip())]
                self.found.append((line + before.count("\n"), words))
            line += piece.count("\n")


def _literals(token):
    """The string literals a tag or variable gives, not marked _("..."), except
    those given to a filter of formats."""
    bits = token.split_contents()
    if token.token_type == TokenType.BLOCK:
        if bits[0] in NAMING_TAGS or bits[0].startswith("end"):
            return
        bits = bits[1:]
    for bit in bits:
        expression = bit.split("=", 1)[1] if re.match(r"^\w+=", bit) else bit
        for match in filter_re.finditer(expression):
            literal = match["constant"] or match["constant_arg"]
            if match["filter_name"] in FORMAT_FILTERS or not literal or literal.startswith("_("):
                continue
            yield literal[1:-1]


def _reads_as_text(literal):
    """A literal a user would read: not a CSS class list, a name or a format."""
    words = literal.split()
    if len(words) <= 1 and not re.search(r"[A-Z]", literal):
        return False
    return not all(re.search(r"[-_!]", word) for word in words)


def untranslated_text(source):
    text, tags = _template_text(source)
    reader = _TextReader()
    reader.feed(text)
    reader.close()
    found = list(reader.found)
    for token in tags:
        for literal in _literals(token):
            if LETTER.search(literal) and _reads_as_text(literal) and literal not in UNTRANSLATABLE:
                found.append((token.lineno, literal))
    return sorted(found)


def test_every_template_marks_its_text_for_translation():
    found = [
        f"{name}:{line}: {text[:70]!r}"
        for name, path in template_files()
        if not name.startswith(NOT_YET_CHECKED)
        for line, text in untranslated_text(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


def test_the_templates_not_yet_checked_are_there():
    # A folder renamed or merged would silently leave the skip-list stale.
    for folder in NOT_YET_CHECKED:
        assert (ROOT / folder).is_dir(), folder


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("<p>Close the case</p>", [(1, "Close the case")]),
        ('<p>{% translate "Close the case" %}</p>', []),
        ("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}", []),
        ("{% blocktrans count n=x %}One{% plural %}Many{% endblocktrans %}", []),
        ("<p>{{ name }}, {{ date }}.</p> &nbsp; &middot; – 12", []),
        ("<p>\n\n  {{ name }} Signed</p>", [(3, "Signed")]),
        ('<img alt="A crown">', [(1, "A crown")]),
        ('<input type="submit" value="Save"><input type="hidden" value="x y">', [(1, "Save")]),
        ('<nav aria-label="{% translate "Menu" %}" class="govuk-x">', []),
        ('<a href="{% url "x" %}" class="govuk-link" data-module="x">{{ text }}</a>', []),
        ("<script>var done = 'yes';</script><style>p { color: red }</style>", []),
        ("{% comment %}Why it is so{% endcomment %}{# a note #}<!-- a remark -->", []),
        ("<p>Postcode: {{ p }}</p>", [(1, "Postcode:")]),
        ("<p>Ask for help in Українська</p>", [(1, "Ask for help in Українська")]),
        ('{% govuk_tag "Not started" "govuk-tag--grey" %}', [(1, "Not started")]),
        ('{% govuk_tag _("Not started") "govuk-tag--grey" %}', []),
        ('{{ value|default:"Not known" }}', [(1, "Not known")]),
        ('{{ value|default:_("Not known") }}', []),
        ('{{ when|date:"j F Y" }}{% govuk_button x classes="govuk-button--secondary" %}', []),
    ],
)
def test_the_template_check_finds_text_and_only_text(source, found):
    assert untranslated_text(source) == found


def test_text_allowed_as_it_is_is_not_reported(monkeypatch):
    monkeypatch.setattr(f"{__name__}.UNTRANSLATABLE", {"GOV.UK"})
    assert untranslated_text("<p>GOV.UK</p><p>Back</p>") == [(1, "Back")]


def test_each_text_allowed_as_it_is_is_still_in_a_template():
    # So the list stays short: an entry no template has any more goes.
    sources = [path.read_text(encoding="utf-8") for _name, path in template_files()]
    assert [text for text in UNTRANSLATABLE if not any(text in s for s in sources)] == []


# Python: forms.


def _project_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            yield ".".join(path.relative_to(ROOT).with_suffix("").parts)


def project_forms():
    for name in _project_modules():
        importlib.import_module(name)
    seen, pending = set(), [forms.BaseForm]
    while pending:
        for form in pending.pop().__subclasses__():
            if form not in seen:
                seen.add(form)
                pending.append(form)
    return sorted(
        (form for form in seen if form.__module__.split(".")[0] in APPS),
        key=lambda form: f"{form.__module__}.{form.__qualname__}",
    )


def _is_translated(text):
    return not text or isinstance(text, Promise)


def untranslated_in_form(form):
    name = f"{form.__module__}.{form.__qualname__}"
    for field_name, field in getattr(form, "base_fields", {}).items():
        where = f"{name}.{field_name}"
        if not _is_translated(field.label):
            yield f"{where} label {field.label!r}"
        if not _is_translated(field.help_text):
            yield f"{where} help_text {field.help_text!r}"
        for key, message in field.error_messages.items():
            if not _is_translated(message):
                yield f"{where} error_messages[{key!r}] {message!r}"
        if isinstance(field, forms.ModelChoiceField):
            continue  # its choices are records, named by what was typed
        for value, label in getattr(field, "choices", None) or ():
            if isinstance(label, str) and not _is_translated(label) and LETTER.search(label):
                yield f"{where} choice {value!r} {label!r}"


def test_the_form_check_walks_the_project_forms():
    names = {f"{form.__module__}.{form.__qualname__}" for form in project_forms()}
    assert "core.forms.PeriodForm" in names
    assert len(names) > 50


def test_every_form_field_is_translated():
    found = [problem for form in project_forms() for problem in untranslated_in_form(form)]
    assert not found, "\n".join(found)


def test_the_form_check_finds_an_untranslated_label():
    from django.utils.translation import gettext_lazy as _

    class Example(forms.Form):
        plain = forms.CharField(label="Name", help_text="As written")
        marked = forms.CharField(label=_("Name"), error_messages={"required": _("Enter it")})
        unmarked = forms.CharField(error_messages={"required": "Enter it"})
        left_to_django = forms.CharField()

    where = f"{__name__}.test_the_form_check_finds_an_untranslated_label.<locals>.Example"
    assert list(untranslated_in_form(Example)) == [
        f"{where}.plain label 'Name'",
        f"{where}.plain help_text 'As written'",
        f"{where}.unmarked error_messages['required'] 'Enter it'",
    ]


# Python: text written in code (fields built in a form's __init__, messages,
# validation errors) is checked where it is written.

# Keyword arguments that are text a user reads.
TEXT_KEYWORDS = {"label", "help_text", "empty_label", "verbose_name", "verbose_name_plural"}
# Calls whose first text argument a user reads.
MESSAGE_CALLS = {"success", "error", "info", "warning", "add_message", "ValidationError"}
# Emails (their subject and body) and staff's updates (notifications/services.py).
EMAIL_CALLS = {"EmailMessage", "EmailMultiAlternatives", "send_mail"}
UPDATE_CALLS = {"notify", "notify_requester", "notify_about_cases", "email_staff"}
# The partner API (its answers, problems and schema's descriptions) is read by
# the partner systems' developers, in English like docs/API.md, never on a
# page; the API clients pages and what they call (API_PAGES, webhooks/) are
# the council administrator's, so they are checked.
API_PAGES = {"api/admin_forms.py", "api/admin_views.py", "api/clients.py"}


def _api_only(path):
    return path.startswith("api/") and path not in API_PAGES


def _literal_text(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        # Only the words written in it count, not the names of what it formats.
        written = "".join(_literal_text(part) or "" for part in node.values)
        return ast.unparse(node) if LETTER.search(written) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return _literal_text(node.left) or _literal_text(node.right)
    return None


def _untranslated_in_code(tree):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg in TEXT_KEYWORDS:
                text = _literal_text(keyword.value)
                if text and LETTER.search(text):
                    yield node.lineno, text
            if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                for value in keyword.value.values:
                    text = _literal_text(value)
                    if text and LETTER.search(text):
                        yield node.lineno, text
        function = node.func
        called = (
            function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        )
        if called in EMAIL_CALLS | UPDATE_CALLS:
            for argument in node.args[:2] if called in EMAIL_CALLS else node.args:
                text = _literal_text(argument)
                if text and LETTER.search(text):
                    yield node.lineno, text
        if called in MESSAGE_CALLS:
            receiver = function.value if isinstance(function, ast.Attribute) else None
            if called != "ValidationError" and getattr(receiver, "id", "") != "messages":
                continue
            for argument in node.args:
                given = argument.values if isinstance(argument, ast.Dict) else [argument]
                for value in given:
                    text = _literal_text(value)
                    if text and LETTER.search(text):
                        yield node.lineno, text


def test_text_written_in_code_is_translated():
    found = []
    for name in _project_modules():
        path = ROOT / (name.replace(".", "/") + ".py")
        if _api_only(str(path.relative_to(ROOT))):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [
            f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}"
            for line, text in _untranslated_in_code(tree)
        ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ('forms.CharField(label="Name")', [(1, "Name")]),
        ('forms.CharField(label=_("Name"), help_text=_("Hint"))', []),
        ('forms.CharField(error_messages={"required": "Enter a name"})', [(1, "Enter a name")]),
        ('messages.success(request, "Saved")', [(1, "Saved")]),
        ('messages.success(request, _("Saved"))', []),
        ('raise ValidationError("Too long")', [(1, "Too long")]),
        ('raise ValidationError(_("Too long"), code="long")', []),
        ('ValidationError("Choose one of: " + ", ".join(names))', [(1, "Choose one of: ")]),
        ('ValidationError(f"{name} is taken")', [(1, "f'{name} is taken'")]),
        ('ValidationError(f"{reference}: {refused}")', []),
        ('ValidationError({"events": "Choose one"})', [(1, "Choose one")]),
        ('EmailMessage(f"Case {ref}", _("Sign in"), sender, [to])', [(1, "f'Case {ref}'")]),
        ('EmailMessage(subject, body % {"x": 1}, sender, [to])', []),
        ('notify([lead], episode, "Feedback from the family")', [(1, "Feedback from the family")]),
        ('logger.error("Not for users")', []),
    ],
)
def test_the_code_check_reads_text_not_code(source, found):
    assert list(_untranslated_in_code(ast.parse(source))) == found


def test_every_choice_of_a_model_is_translated():
    """The labels of a model's choices (TextChoices) are what a page shows for
    a stored value (get_status_display, a form's radios)."""
    found = [
        f"{model.__module__}.{model.__qualname__}.{field.name}: {value!r} {label!r}"
        for model in apps.get_models()
        if model.__module__.split(".")[0] in APPS
        for field in model._meta.get_fields()
        for value, label in getattr(field, "flatchoices", None) or ()
        if isinstance(label, str) and not _is_translated(label) and LETTER.search(label)
    ]
    assert not found, "\n".join(found)
