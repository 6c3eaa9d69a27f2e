from django import template
from django.http import QueryDict
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.forms import error_list, render_field
from core.govuk import options_escaped_once, render_component, summary_row

register = template.Library()


@register.simple_tag
def govuk(name, params):
    """{% govuk "button" params %}: any GOV.UK component from its macro options."""
    return render_component(name, params)


@register.simple_tag
def govuk_field(bound_field):
    return render_field(bound_field)


def _summary(items):
    if not items:
        return ""
    return render_component(
        "error-summary", {"titleText": _("There is a problem"), "errorList": items}
    )


@register.simple_tag
def govuk_error_summary(*forms):
    """The one error summary: errors from every form given, or nothing."""
    items = []
    for form in forms:
        if getattr(form, "errors", None):
            items.extend(error_list(form))
    return _summary(items)


@register.simple_tag
def govuk_problem_summary(problems):
    """The same error summary for problems that belong to no form field, such as
    a refused state change: a list of {"text", "href"}."""
    return _summary(list(problems or []))


@register.simple_tag
def govuk_button(
    text,
    classes="",
    name="",
    value="",
    *,
    href="",
    hidden_text="",
    button_type="",
    prevent_double_click=True,
    start=False,
    id="",
    **data_and_aria,
):
    """{% govuk_button label "govuk-button--secondary" %}: a submit button, or a
    link styled as a button with `href=`. `hidden_text` is read to screen
    readers after the label ("Lift" + " date of birth"). Keywords starting
    `data_` or `aria_` are attributes, with `-` for `_`
    (`data_autosave_restore=True` writes `data-autosave-restore`)."""
    params = {"classes": classes, "name": name, "isStartButton": start, "id": id}
    # govukButton leaves out a falsy value, so the number 0 (the first row's
    # index) is written as the text "0", which is kept.
    params["value"] = "" if value is None else str(value)
    if hidden_text:
        params["html"] = format_html(
            '{}<span class="govuk-visually-hidden"> {}</span>', text, hidden_text
        )
    else:
        params["text"] = text
    if href:
        params["href"] = href
    else:
        params["type"] = button_type or "submit"
        if prevent_double_click:
            params["preventDoubleClick"] = True
    if data_and_aria:
        params["attributes"] = _data_and_aria_attributes(data_and_aria, "govuk_button")
    return render_component("button", params)


def _data_and_aria_attributes(keywords, tag):
    attrs = {}
    for keyword, value in keywords.items():
        if not keyword.startswith(("data_", "aria_")):
            raise template.TemplateSyntaxError(f"{tag}: unknown option {keyword!r}")
        # True writes the attribute without a value; None or False leaves it out.
        attrs[keyword.replace("_", "-")] = {"value": value, "optional": True}
    return attrs


@register.simple_tag
def govuk_tag(text, classes=""):
    """{% govuk_tag _("Overdue") "govuk-tag--red" %}"""
    return render_component("tag", {"text": text, "classes": classes})


@register.simple_tag
def govuk_options(choices, chosen=None):
    """The <option>s of a filter's <select>, `chosen` selected:
    {% govuk_options organisations filters.organisation %}. `choices`:
    (value, label, ...) sequences; values are compared as text, so a number
    from the query matches a primary key. One tag, not a loop of template
    nodes: the worklist's 200 organisations and their workers, each option
    written by four template lookups, cost more than its table of alerts."""
    chosen = None if chosen is None else str(chosen)
    pairs = _plain_pairs(choices)
    if pairs is not None:
        # Escaped once for every page given the same list (hundreds of names).
        return options_escaped_once(pairs, chosen)
    return _options_each(choices, chosen)


def _options_each(choices, chosen):
    """The options written one by one (`chosen`: text or None)."""
    options = []
    for choice in choices:
        value = str(choice[0])
        selected = " selected" if value == chosen else ""
        options.append(
            f'<option value="{conditional_escape(value)}"{selected}>'
            f"{conditional_escape(choice[1])}</option>"
        )
    return mark_safe("".join(options))  # noqa: S308  (every value and label escaped above)


def _plain_pairs(choices):
    """The choices as (value as text, label) pairs when every value is a
    whole number or text and every label plain text (a district's, an
    organisation's, a worker's name): None otherwise (a lazy translation,
    safe HTML), for the loop above."""
    pairs = []
    for choice in choices:
        value, label = choice[0], choice[1]
        if type(label) is not str or type(value) not in (int, str):
            return None
        pairs.append((str(value), label))
    return tuple(pairs)


# Summary lists and tables are written in the template, row by row, so that
# each value is still looked up (and escaped, and guarded) by the template:
#
#   {% govuk_summary_list %}
#     {% govuk_summary_row _("Name") href=url hidden_text=_("name") %}
#       {{ user.full_name }}
#     {% endgovuk_summary_row %}
#   {% endgovuk_summary_list %}
#
#   {% govuk_table caption=_("Users") caption_classes="govuk-visually-hidden" %}
#     {% govuk_head %}
#       {% govuk_cell _("Name") %}{% govuk_cell %}<span>...</span>{% endgovuk_cell %}
#     {% endgovuk_head %}
#     {% for user in users %}{% govuk_row %}
#       {% govuk_cell %}{{ user.full_name }}{% endgovuk_cell %}
#     {% endgovuk_row %}{% endfor %}
#   {% endgovuk_table %}
#
# A cell given its text as an argument has no end tag; one without takes the
# HTML up to {% endgovuk_cell %}. Each block collects what its inner tags give
# it and renders the component once, with the same options as the Nunjucks macro.

_ROWS = "_govuk_rows"
_CELLS = "_govuk_cells"
_CARD = "_govuk_card"


def _arguments(parser, token):
    """The positional and keyword arguments of a tag, as filter expressions."""
    bits = token.split_contents()
    args, kwargs = [], {}
    for bit in bits[1:]:
        name, equals, value = bit.partition("=")
        if equals and name.isidentifier():
            kwargs[name] = parser.compile_filter(value)
        elif kwargs:
            raise template.TemplateSyntaxError(f"{bits[0]}: positional argument after a keyword")
        else:
            args.append(parser.compile_filter(bit))
    return bits[0], args, kwargs


def _resolve(expressions, context):
    return {name: expression.resolve(context) for name, expression in expressions.items()}


def _collect(nodelist, context, key, tag):
    """Render the body of a block with an empty list under `key` for its inner
    tags to fill; anything else it prints would be lost, so that is an error."""
    collected = []
    with context.push({key: collected}):
        stray = nodelist.render(context).strip()
    if stray:
        raise template.TemplateSyntaxError(f"{tag}: text outside its rows or cells: {stray[:60]!r}")
    return collected


def _body(nodelist, context):
    """A block's HTML, as the template escaped it (strip() would lose the mark)."""
    return mark_safe(nodelist.render(context).strip())  # noqa: S308


def _add(context, key, item, tag):
    target = context.get(key)
    if target is None:
        raise template.TemplateSyntaxError(f"{tag} is only allowed inside its list or table")
    target.append(item)
    return ""


class SummaryListNode(template.Node):
    def __init__(self, nodelist, rows, kwargs):
        self.nodelist, self.rows, self.kwargs = nodelist, rows, kwargs

    def render(self, context):
        options = _resolve(self.kwargs, context)
        if self.rows is not None:
            rows = self.rows.resolve(context)
        else:
            rows = _collect(self.nodelist, context, _ROWS, "govuk_summary_list")
        params = {"rows": rows, "classes": options.get("classes", "")}
        if options.get("card_title"):
            params["card"] = {"title": {"text": options["card_title"]}}
        elif context.get(_CARD):
            params["inCard"] = {"title": context[_CARD]["title"]}
        if options.get("id"):
            params["attributes"] = {"id": options["id"]}
        return render_component("summary-list", params)


@register.tag
def govuk_summary_list(parser, token):
    """{% govuk_summary_list rows [classes= card_title= id=] %} for rows built in
    Python (core.govuk.summary_row), or a block of {% govuk_summary_row %}s
    ending {% endgovuk_summary_list %}."""
    tag, args, kwargs = _arguments(parser, token)
    if args:
        return SummaryListNode(None, args[0], kwargs)
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return SummaryListNode(nodelist, None, kwargs)


class SummaryRowNode(template.Node):
    def __init__(self, nodelist, actions_nodelist, key, kwargs):
        self.nodelist, self.actions_nodelist = nodelist, actions_nodelist
        self.key, self.kwargs = key, kwargs

    def render(self, context):
        options = _resolve(self.kwargs, context)
        row = summary_row(
            self.key.resolve(context),
            _body(self.nodelist, context),
            href=options.get("href"),
            action_text=options.get("action_text"),
            hidden_text=options.get("hidden_text"),
            classes=options.get("classes"),
        )
        for part in ("key", "value"):
            if options.get(f"{part}_classes"):
                row[part]["classes"] = options[f"{part}_classes"]
        if options.get("value_id"):
            row["value"]["attributes"] = {"id": options["value_id"]}
        if self.actions_nodelist is not None:
            if "actions" in row:
                raise template.TemplateSyntaxError(
                    "govuk_summary_row: give either href= or {% govuk_summary_actions %}"
                )
            actions_html = _body(self.actions_nodelist, context)
            if actions_html:
                row["actions"] = {"html": actions_html}
        return _add(context, _ROWS, row, "govuk_summary_row")


@register.tag
def govuk_summary_row(parser, token):
    """{% govuk_summary_row key [href= action_text= hidden_text= classes= key_classes=
    value_classes= value_id=] %}value HTML{% endgovuk_summary_row %}

    A row whose action is not a link (a small form with a button) writes it
    after {% govuk_summary_actions %}, before the end tag."""
    tag, args, kwargs = _arguments(parser, token)
    if len(args) != 1:
        raise template.TemplateSyntaxError(f"{tag} takes the row's key")
    nodelist = parser.parse(("govuk_summary_actions", f"end{tag}"))
    actions_nodelist = None
    if parser.next_token().contents == "govuk_summary_actions":
        actions_nodelist = parser.parse((f"end{tag}",))
        parser.delete_first_token()
    return SummaryRowNode(nodelist, actions_nodelist, args[0], kwargs)


# A summary card around any content (our extension beyond the macros; the card
# is the one `govukSummaryList` writes with its `card` option):
#
#   {% govuk_summary_card title=_("Goal 1") heading_level=3 id="goal-1" %}
#     {% govuk_card_action _("Change") href=url hidden_text=_("goal 1") %}
#     {% govuk_summary_list %}...{% endgovuk_summary_list %}
#     {% govuk_table %}...{% endgovuk_table %}
#   {% endgovuk_summary_card %}
#
# A title with HTML in it (a tag beside a name) is written in
# {% govuk_card_title %}...{% endgovuk_card_title %} instead of title=.


class SummaryCardNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist, self.kwargs = nodelist, kwargs

    def render(self, context):
        options = _resolve(self.kwargs, context)
        unknown = set(options) - {"title", "heading_level", "classes", "id"}
        if unknown:
            raise template.TemplateSyntaxError(
                f"govuk_summary_card: unknown options {sorted(unknown)}"
            )
        title = {} if options.get("title") is None else {"text": options["title"]}
        if options.get("heading_level"):
            title["headingLevel"] = options["heading_level"]
        parts = {"title": title, "actions": []}
        with context.push({_CARD: parts}):
            content = _body(self.nodelist, context)
        card = {"title": parts["title"], "classes": options.get("classes")}
        if options.get("id"):
            card["attributes"] = {"id": options["id"]}
        if parts["actions"]:
            card["actions"] = {"items": parts["actions"]}
        return render_component("summary-card", {**card, "html": content})


@register.tag
def govuk_summary_card(parser, token):
    """{% govuk_summary_card [title= heading_level= classes= id=] %}content
    {% endgovuk_summary_card %}"""
    tag, args, kwargs = _arguments(parser, token)
    if args:
        raise template.TemplateSyntaxError(f"{tag} takes keyword arguments only")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return SummaryCardNode(nodelist, kwargs)


class CardTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        parts = context.get(_CARD)
        if parts is None:
            raise template.TemplateSyntaxError("govuk_card_title is only allowed inside a card")
        title = {key: value for key, value in parts["title"].items() if key != "text"}
        parts["title"] = {**title, "html": _body(self.nodelist, context)}
        return ""


@register.tag
def govuk_card_title(parser, token):
    """{% govuk_card_title %}title HTML{% endgovuk_card_title %}, inside a card."""
    tag, args, kwargs = _arguments(parser, token)
    if args or kwargs:
        raise template.TemplateSyntaxError(f"{tag} takes no arguments")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return CardTitleNode(nodelist)


@register.simple_tag(takes_context=True)
def govuk_card_action(context, text, *, href, hidden_text=None):
    """{% govuk_card_action _("Change") href=url [hidden_text=] %}, inside a card:
    a link in its title bar. Screen readers also hear the card's title."""
    parts = context.get(_CARD)
    if parts is None:
        raise template.TemplateSyntaxError("govuk_card_action is only allowed inside a card")
    action = {"href": href, "text": text}
    if hidden_text:
        action["visuallyHiddenText"] = hidden_text
    parts["actions"].append(action)
    return ""


class TableNode(template.Node):
    def __init__(self, nodelist, kwargs):
        self.nodelist, self.kwargs = nodelist, kwargs

    def render(self, context):
        options = _resolve(self.kwargs, context)
        collected = _collect(self.nodelist, context, _ROWS, "govuk_table")
        heads = [cells for is_head, cells in collected if is_head]
        params = {
            "caption": options.get("caption"),
            "captionClasses": options.get("caption_classes"),
            "classes": options.get("classes"),
            "firstCellIsHeader": bool(options.get("first_cell_is_header")),
            "head": heads[0] if heads else None,
            "rows": [cells for is_head, cells in collected if not is_head]
            + list(options.get("rows") or []),
        }
        if options.get("id"):
            params["attributes"] = {"id": options["id"]}
        return render_component("table", params)


@register.tag
def govuk_table(parser, token):
    """{% govuk_table [caption= caption_classes= classes= first_cell_is_header= id= rows=] %}
    a {% govuk_head %} and {% govuk_row %}s {% endgovuk_table %}. `rows` are
    rows built in Python (lists of cells as render_component takes them),
    after those written in the block: for a long table of values that are no
    person's (who has looked at a record), where the template's work on each
    cell would cost more than the rest of the page."""
    tag, args, kwargs = _arguments(parser, token)
    if args:
        raise template.TemplateSyntaxError(f"{tag} takes keyword arguments only")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return TableNode(nodelist, kwargs)


class TableRowNode(template.Node):
    def __init__(self, nodelist, is_head):
        self.nodelist, self.is_head = nodelist, is_head

    def render(self, context):
        tag = "govuk_head" if self.is_head else "govuk_row"
        cells = _collect(self.nodelist, context, _CELLS, tag)
        return _add(context, _ROWS, (self.is_head, cells), tag)


def _table_row(parser, token, is_head):
    tag, args, kwargs = _arguments(parser, token)
    if args or kwargs:
        raise template.TemplateSyntaxError(f"{tag} takes no arguments")
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return TableRowNode(nodelist, is_head)


@register.tag
def govuk_head(parser, token):
    return _table_row(parser, token, is_head=True)


@register.tag
def govuk_row(parser, token):
    return _table_row(parser, token, is_head=False)


_CELL_OPTIONS = ("format", "classes", "colspan", "rowspan")


class TableCellNode(template.Node):
    def __init__(self, nodelist, text, kwargs):
        self.nodelist, self.text, self.kwargs = nodelist, text, kwargs

    def render(self, context):
        options = _resolve(self.kwargs, context)
        unknown = set(options) - set(_CELL_OPTIONS)
        if unknown:
            raise template.TemplateSyntaxError(f"govuk_cell: unknown options {sorted(unknown)}")
        cell = {name: value for name, value in options.items() if value}
        if self.text is not None:
            cell["text"] = self.text.resolve(context)
        else:
            cell["html"] = _body(self.nodelist, context)
        return _add(context, _CELLS, cell, "govuk_cell")


@register.tag
def govuk_cell(parser, token):
    """{% govuk_cell text [format= classes= colspan= rowspan=] %}, or without the
    text, the cell's HTML up to {% endgovuk_cell %}."""
    tag, args, kwargs = _arguments(parser, token)
    if len(args) > 1:
        raise template.TemplateSyntaxError(f"{tag} takes at most the cell's text")
    if args:
        return TableCellNode(None, args[0], kwargs)
    nodelist = parser.parse((f"end{tag}",))
    parser.delete_first_token()
    return TableCellNode(nodelist, None, kwargs)


@register.simple_tag(takes_context=True)
def govuk_page_href(context, number, parameter="page", kept_query=None):
    """A link to page `number` of a list: the page's own query (its filters,
    another list's page) with only `parameter` changed, so moving through one
    list keeps everything else the reader chose. `kept_query`: a query string
    the view built from the filters it accepted (the case list's), kept
    instead of whatever the address held."""
    query = QueryDict(kept_query, mutable=True) if kept_query else context["request"].GET.copy()
    query[parameter] = number
    return "?" + query.urlencode()
