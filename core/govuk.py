"""GOV.UK Design System components rendered from Django templates.

`render_component(name, params)` takes the same options as the Nunjucks macro
of the same name (`govukInput`, `govukRadios`, `govukLabel`, ...), for the
subset we use, so the partials can be tested against the `fixtures.json` files
that ship in the govuk-frontend package (tests/core/test_govuk_components.py).

Derived values (ids, aria-describedby, which item is checked, the options of
the nested label, hint and error message) are worked out here, in Python, where
they are easy to read; the templates only lay them out. A nested component is
passed to its template as `{"params": ..., "derived": ...}`, exactly what
`render_component` would give it, so `input.html`'s label has the same
options `govukInput` passes to `govukLabel`.

What a page can have hundreds of is written in Python instead, because the
template engine spent more on it than on the rest of the page: the table
(`_render_table`), a select's options, radios' and checkboxes' items, and
the label and hint (`_label_html`, `_hint_html`: the one writer of each,
their HTML handed to the templates that show them as `derived.label.html`).
The fixture tests hold all of it to the macros' HTML like the rest.

A few options go beyond the macros, each marked "our extension" where it is
handled: the "summary-card" component (the summary list's card around any
content), and on a summary list `inCard`, `rows[].actions.html` and
`rows[].value.attributes`. Fixtures never use them, so the fixture tests
still compare the macros' own options; tests/core covers the extensions.

Values follow Nunjucks where it matters for the output: an option that is
absent differs from one that is `None` (`visuallyHiddenText`, `value`), and
`True`/`False` print as `true`/`false`.
"""

import functools

from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

_ABSENT = object()


def _join(*parts):
    return " ".join(str(part) for part in parts if part)


def _truthy(value):
    """JavaScript truthiness: an empty dict or list is true, as in Nunjucks."""
    if isinstance(value, dict | list | tuple):
        return True
    return bool(value)


def _js_str(value):
    """A value as Nunjucks prints it."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _default(mapping, key, fallback):
    """Nunjucks `mapping.key | default(fallback)`: only an absent key falls back."""
    if isinstance(mapping, dict) and key in mapping:
        return mapping[key]
    return fallback


def attributes(attrs):
    """`govukAttributes`: a mapping of extra attributes as escaped HTML.

    A value may be `{"value": ..., "optional": True}`: then `None` or `False`
    leaves the attribute out and `True` writes it without a value.
    """
    if not attrs:
        return ""
    if not isinstance(attrs, dict):
        raise TypeError("GOV.UK component attributes must be a mapping")
    html = []
    for name, item in attrs.items():
        if isinstance(item, dict):
            value, optional = item.get("value"), item.get("optional") is True
        else:
            value, optional = item, False
        if optional and value is True:
            html.append(f" {escape(name)}")
        elif optional and (value is None or value is False):
            continue
        else:
            html.append(f' {escape(name)}="{escape(_js_str(value))}"')
    return mark_safe("".join(html))  # noqa: S308  (every part escaped above)


def _component(name, params):
    """The template context of a nested component, as `render_component` builds it."""
    return {"params": params, "derived": PREPARE.get(name, _no_derived)(params)}


def _no_derived(_params):
    return {}


# label, hint, error message


def _prepare_label(params):
    return {"attributes": attributes(params.get("attributes"))}


def _prepare_hint(params):
    return {"attributes": attributes(params.get("attributes"))}


def _prepare_error_message(params):
    return {
        "attributes": attributes(params.get("attributes")),
        "visually_hidden_text": _default(params, "visuallyHiddenText", "Error"),
    }


def _with_html(name, params):
    component = _component(name, params)
    component["html"] = mark_safe(RENDERERS[name](component))  # noqa: S308  (escaped there)
    return component


def _label(label, for_id, classes=""):
    """A nested label, with its HTML (`html`) for the templates that show it."""
    label = label or {}
    return _with_html(
        "label",
        {
            "html": label.get("html"),
            "text": label.get("text"),
            "classes": _join(classes, label.get("classes")),
            "isPageHeading": label.get("isPageHeading"),
            "attributes": label.get("attributes"),
            "for": for_id,
        },
    )


def _hint(hint, hint_id, classes=""):
    """A nested hint, with its HTML (`html`) for the templates that show it."""
    return _with_html(
        "hint",
        {
            "id": hint_id,
            "classes": _join(classes, hint.get("classes")),
            "attributes": hint.get("attributes"),
            "html": hint.get("html"),
            "text": hint.get("text"),
        },
    )


def _hint_and_error(params, id_base, described_by=""):
    """The hint and error message of a field, and the aria-describedby they make."""
    derived = {"hint": None, "error_message": None}
    hint = params.get("hint")
    if _truthy(hint):
        hint_id = f"{id_base}-hint"
        described_by = _join(described_by, hint_id)
        derived["hint"] = _hint(hint, hint_id)
    error = params.get("errorMessage")
    if _truthy(error):
        error_id = f"{id_base}-error"
        described_by = _join(described_by, error_id)
        derived["error_message"] = _component(
            "error-message",
            {
                "id": error_id,
                "classes": error.get("classes"),
                "attributes": error.get("attributes"),
                "html": error.get("html"),
                "text": error.get("text"),
                **(
                    {"visuallyHiddenText": error["visuallyHiddenText"]}
                    if "visuallyHiddenText" in error
                    else {}
                ),
            },
        )
    derived["described_by"] = described_by
    return derived


def _form_group(params, has_error):
    form_group = params.get("formGroup") or {}
    return {
        "classes": _join(
            "govuk-form-group",
            "govuk-form-group--error" if has_error else "",
            form_group.get("classes"),
        ),
        "attributes": attributes(form_group.get("attributes")),
    }


def _fieldset(params, described_by, role=None):
    fieldset = params.get("fieldset")
    if not _truthy(fieldset):
        return None
    return {
        "classes": fieldset.get("classes"),
        "role": role,
        "described_by": described_by,
        "attributes": attributes(fieldset.get("attributes")),
        "legend": fieldset.get("legend") or {},
    }


# input, textarea, select


def _prepare_single(params, control):
    """One control with a label, hint and error message."""
    id_ = params.get("id") or params.get("name")
    has_error = _truthy(params.get("errorMessage"))
    derived = {
        "id": id_,
        "label": _label(params.get("label"), id_),
        "form_group": _form_group(params, has_error),
        "attributes": attributes(params.get("attributes")),
        **_hint_and_error(params, id_, params.get("describedBy") or ""),
    }
    spellcheck = params.get("spellcheck")
    if spellcheck is True or spellcheck is False:
        derived["spellcheck"] = _js_str(spellcheck)
    derived["classes"] = _join(
        f"govuk-{control}",
        params.get("classes"),
        f"govuk-{control}--error" if has_error else "",
    )
    return derived


def _affix(affix):
    if not affix or not (affix.get("text") or affix.get("html")):
        return None
    return {
        "classes": affix.get("classes"),
        "attributes": attributes(affix.get("attributes")),
        "html": affix.get("html"),
        "text": affix.get("text"),
    }


def _prepare_input(params):
    derived = _prepare_single(params, "input")
    value = params.get("value")
    # An optional attribute: left out when None or False, as in govukInput.
    derived["value"] = None if value is None or value is False else _js_str(value)
    derived["prefix"] = _affix(params.get("prefix"))
    derived["suffix"] = _affix(params.get("suffix"))
    wrapper = params.get("inputWrapper") or {}
    derived["wrapper"] = (
        {
            "classes": _join("govuk-input__wrapper", wrapper.get("classes")),
            "attributes": attributes(wrapper.get("attributes")),
        }
        if derived["prefix"] or derived["suffix"]
        else None
    )
    return derived


def _prepare_textarea(params):
    derived = _prepare_single(params, "textarea")
    derived["rows"] = params.get("rows") or 5
    derived["value"] = _js_str(params.get("value"))
    return derived


def _loose_equal(a, b):
    return a == b or _js_str(a) == _js_str(b)


def _prepare_select(params):
    derived = _prepare_single(params, "select")
    derived["options_html"] = _options_html(params.get("items") or [], params.get("value"))
    return derived


def _options_html(items, value):
    """The <option>s as the template's loop wrote them, one a line: a select
    of a council's workers has hundreds (a plan's form has one for each
    action), and the template engine spent most of such a page on them. An
    item is selected as the macro selects it: by its own `selected`, else by
    its value (or text) loosely equal to the select's `value` (as radios and
    checkboxes do)."""
    plain = _plain_pairs(items) if len(items) >= _LONG_SELECT else None
    if plain is not None:
        return _plain_options_html(plain, value)
    value_given = _truthy(value)
    parts = []
    for item in items:
        if not item:
            continue
        selected = item.get("selected")
        if not _truthy(selected):
            effective = item["value"] if "value" in item else item.get("text")
            selected = value_given and _loose_equal(effective, value) and selected is not False
        html_value = ""
        if "value" in item:
            html_value = f' value="{conditional_escape(_js_str(item["value"]))}"'
        text = item.get("text")
        parts.append(
            f"<option{html_value}{' selected' if selected else ''}"
            f"{' disabled' if item.get('disabled') else ''}"
            f"{attributes(item.get('attributes'))}>"
            f"{'' if text is None else _printed(text)}</option>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308  (every part escaped above)


# Options kept escaped only for selects this long: a council's agencies or
# workers, read by every page of a plan. A family's few members are written
# afresh each time, so no family member's name is kept between requests.
_LONG_SELECT = 50


def _plain_pairs(items):
    """The items as (value, text) pairs when each is only a text value and
    a text (every select of a form's choices), else None."""
    pairs = []
    for item in items:
        if (
            not isinstance(item, dict)
            or len(item) != 2
            or type(item.get("value")) is not str
            or type(item.get("text")) is not str
        ):
            return None
        pairs.append((item["value"], item["text"]))
    return tuple(pairs)


@functools.lru_cache(maxsize=64)
def _option_lines(pairs, end_of_line):
    """Each <option> of `pairs` ((value, text), both plain text) escaped once,
    unselected and selected, and where each value is: a plan's form gives
    the council's hundreds of agencies and workers to a select for each goal
    and action, and the worklist's filters the council's organisations and
    an officer's workers. Staff and agencies' names only, never a family's."""
    lines, chosen_lines, at = [], [], {}
    for index, (value, text) in enumerate(pairs):
        start = f'<option value="{escape(value)}"'
        end = f">{escape(text)}</option>{end_of_line}"
        lines.append(start + end)
        chosen_lines.append(start + " selected" + end)
        at.setdefault(value, []).append(index)
    return tuple(lines), tuple(chosen_lines), at


def options_escaped_once(pairs, chosen, end_of_line=""):
    """The <option>s of `pairs` (a tuple of plain-text (value, text)), each
    whose value is `chosen` (text, or None for none) selected, from the
    lines escaped once for every page given the same pairs."""
    lines, chosen_lines, at = _option_lines(pairs, end_of_line)
    picked = at.get(chosen, ()) if chosen is not None else ()
    if not picked:
        return mark_safe("".join(lines))  # noqa: S308  (every part escaped above)
    parts = list(lines)
    for index in picked:
        parts[index] = chosen_lines[index]
    return mark_safe("".join(parts))  # noqa: S308  (every part escaped above)


def _plain_options_html(pairs, value):
    """_options_html's <option>s for plain pairs, escaped once: the same HTML
    (a value given selects each item whose value is it, as Nunjucks prints it)."""
    return options_escaped_once(pairs, _js_str(value) if _truthy(value) else None, "\n")


# radios and checkboxes


def _prepare_choices(params, control):
    """radios and checkboxes: a list of items, optionally in a fieldset."""
    id_prefix = params.get("idPrefix") or params.get("name")
    fieldset_options = params.get("fieldset") or {}
    has_fieldset = _truthy(params.get("fieldset"))
    if control == "checkboxes":
        described_by = fieldset_options.get("describedBy") or params.get("describedBy") or ""
        chosen = params.get("values")
        if isinstance(chosen, str):
            chosen = [chosen]
    else:
        described_by = fieldset_options.get("describedBy") or ""
        value = params.get("value")
        chosen = [value] if _truthy(value) else []
    chosen = list(chosen or [])
    has_error = _truthy(params.get("errorMessage"))
    derived = _hint_and_error(params, id_prefix, described_by)

    items = []
    # The index counts every item given, even empty ones, as `loop.index` does.
    for index, item in enumerate(params.get("items") or [], start=1):
        if not item:
            continue
        if item.get("divider"):
            items.append({"divider": item["divider"]})
            continue
        item_id = item.get("id") or (id_prefix if index == 1 else f"{id_prefix}-{index}")
        checked = item.get("checked")
        if not _truthy(checked):
            checked = (
                any(_loose_equal(item.get("value"), v) for v in chosen)
                and item.get("checked") is not False
            )
        hint = item.get("hint") or {}
        has_hint = bool(hint.get("text") or hint.get("html"))
        item_hint_id = f"{item_id}-item-hint" if has_hint else ""
        if control == "checkboxes":
            item_described_by = _join("" if has_fieldset else derived["described_by"], item_hint_id)
        else:
            item_described_by = item_hint_id
        conditional = item.get("conditional") or {}
        items.append(
            {
                "id": item_id,
                "name": (item.get("name") if control == "checkboxes" else None)
                or params.get("name"),
                "value": _js_str(item.get("value")),
                "checked": bool(checked),
                "disabled": item.get("disabled"),
                "behaviour": item.get("behaviour") if control == "checkboxes" else None,
                "described_by": item_described_by,
                "attributes": attributes(item.get("attributes")),
                "label": _label(
                    {
                        "html": item.get("html"),
                        "text": item.get("text"),
                        "classes": (item.get("label") or {}).get("classes"),
                        "attributes": (item.get("label") or {}).get("attributes"),
                    },
                    item_id,
                    classes=f"govuk-{control}__label",
                ),
                "hint": _hint(hint, item_hint_id, classes=f"govuk-{control}__hint")
                if has_hint
                else None,
                "conditional_id": f"conditional-{item_id}",
                "conditional_html": conditional.get("html"),
            }
        )
    derived.update(
        id_prefix=id_prefix,
        form_group=_form_group(params, has_error),
        fieldset=_fieldset(params, derived["described_by"]),
        classes=_join(f"govuk-{control}", params.get("classes")),
        attributes=attributes(params.get("attributes")),
        items_html=_choices_html(items, control),
    )
    return derived


def _label_html(label):
    """The label component (every label of every form control)."""
    params, derived = label["params"], label["derived"]
    if not (params.get("html") or params.get("text")):
        return ""
    classes = f" {_printed(params['classes'])}" if params.get("classes") else ""
    for_id = f' for="{_printed(params["for"])}"' if params.get("for") else ""
    content = str(params["html"]) if params.get("html") else _printed(params["text"])
    html = f'<label class="govuk-label{classes}"{derived["attributes"]}{for_id}>{content}</label>'
    return f'<h1 class="govuk-label-wrapper">{html}</h1>' if params.get("isPageHeading") else html


def _hint_html(hint):
    """The hint component (every hint of every form control)."""
    params, derived = hint["params"], hint["derived"]
    hint_id = f' id="{_printed(params["id"])}"' if params.get("id") else ""
    classes = f" {_printed(params['classes'])}" if params.get("classes") else ""
    if params.get("html"):
        content = str(params["html"])
    else:
        content = "" if params.get("text") is None else _printed(params["text"])
    return f'<div{hint_id} class="govuk-hint{classes}"{derived["attributes"]}>{content}</div>'


def _choices_html(items, control):
    """The items of radios or checkboxes as the template's loop wrote them:
    the consent page asks about each family member's sharing with each
    organisation, hundreds of items, and the template engine spent most of
    the page on them."""
    kind = "checkbox" if control == "checkboxes" else "radio"
    parts = []
    for item in items:
        if item.get("divider"):
            parts.append(
                f'<div class="govuk-{control}__divider">{_printed(item["divider"])}</div>\n'
            )
            continue
        name = "" if item["name"] is None else _printed(item["name"])
        extra = " checked" if item["checked"] else ""
        extra += " disabled" if item["disabled"] else ""
        if item["conditional_html"]:
            extra += f' data-aria-controls="{_printed(item["conditional_id"])}"'
        if control == "checkboxes" and item["behaviour"]:
            extra += f' data-behaviour="{_printed(item["behaviour"])}"'
        if item["described_by"]:
            extra += f' aria-describedby="{_printed(item["described_by"])}"'
        parts.append(
            f'<div class="govuk-{control}__item">\n'
            f'<input class="govuk-{control}__input" id="{_printed(item["id"])}" name="{name}"'
            f' type="{kind}" value="{_printed(item["value"])}"{extra}{item["attributes"]}>\n'
            f"{item['label']['html']}\n\n"
        )
        if item["hint"]:
            parts.append(f"{item['hint']['html']}\n\n")
        parts.append("</div>\n")
        if item["conditional_html"]:
            hidden = "" if item["checked"] else f" govuk-{control}__conditional--hidden"
            parts.append(
                f'<div class="govuk-{control}__conditional{hidden}"'
                f' id="{_printed(item["conditional_id"])}">{item["conditional_html"]}</div>\n'
            )
    return mark_safe("".join(parts))  # noqa: S308  (every part escaped above)


# date input


def _prepare_date_input(params):
    id_ = params.get("id")
    values = params.get("values") or {}
    fieldset = params.get("fieldset") or {}
    has_error = _truthy(params.get("errorMessage"))
    derived = _hint_and_error(params, id_, fieldset.get("describedBy") or "")

    defaults = {}
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        part_value = values.get(part, _ABSENT) if isinstance(values, dict) else _ABSENT
        default_item = {"name": part, "classes": f"govuk-input--width-{width}"}
        if part_value is not _ABSENT:
            default_item["value"] = part_value
        defaults[part] = _default(params, part, default_item)
    items = params.get("items") or [defaults["day"], defaults["month"], defaults["year"]]

    def has_error_class(item):
        return bool(item.get("error")) or "govuk-input--error" in (item.get("classes") or "")

    any_item_has_error = any(has_error_class(item) for item in items if item)
    name_prefix = f"{params['namePrefix']}-" if params.get("namePrefix") else ""
    inputs = []
    for item in items:
        if not item:
            continue
        name = item.get("name")
        value = _default(item, "value", _ABSENT)
        width = 2
        for part in ("day", "month", "year"):
            default_item = defaults[part]  # may be False: `"day": false` leaves it out
            default_name = default_item.get("name") if isinstance(default_item, dict) else None
            if item is default_item or (name and name in (part, default_name)):
                name = name or part
                if value is _ABSENT:
                    value = _default(default_item, "value", _ABSENT)
                width = 4 if part == "year" else 2
                break
        item_classes = item.get("classes") or ""
        classes = []
        if "govuk-input--error" not in item_classes and (
            has_error_class(item)
            or (item.get("error") is not False and has_error and not any_item_has_error)
        ):
            classes.append("govuk-input--error")
        if "govuk-input--width-" not in item_classes:
            classes.append(f"govuk-input--width-{width}")
        full_name = f"{name_prefix}{name}"
        if value is _ABSENT and isinstance(values, dict):
            value = values.get(full_name)
        input_params = {
            "label": {
                "text": item.get("label") or str(name).capitalize(),
                "classes": "govuk-date-input__label",
            },
            "id": item.get("id") or f"{id_}-{name}",
            "classes": _join("govuk-date-input__input", *classes, item_classes),
            "name": full_name,
            "value": None if value is _ABSENT else value,
            "type": "text",
            "inputmode": item.get("inputmode") or "numeric",
            "autocomplete": item.get("autocomplete"),
            "pattern": item.get("pattern"),
            "attributes": item.get("attributes"),
        }
        inputs.append(_component("input", input_params))
    derived.update(
        id=id_,
        form_group=_form_group(params, has_error),
        # The fieldset's role is 'group' so that JAWS announces its description.
        fieldset=_fieldset(params, derived["described_by"], role="group"),
        classes=_join("govuk-date-input", params.get("classes")),
        attributes=attributes(params.get("attributes")),
        inputs=inputs,
    )
    return derived


# error summary and button


def _prepare_error_summary(params):
    return {
        "disable_auto_focus": _js_str(params["disableAutoFocus"])
        if "disableAutoFocus" in params
        else None,
        "attributes": attributes(params.get("attributes")),
        "error_list": [
            {**item, "link_attributes": attributes(item.get("attributes"))}
            for item in params.get("errorList") or []
        ],
    }


def _prepare_button(params):
    return {
        "classes": _join(
            "govuk-button",
            params.get("classes"),
            "govuk-button--start" if params.get("isStartButton") else "",
        ),
        "attributes": attributes(params.get("attributes")),
        "prevent_double_click": _js_str(params["preventDoubleClick"])
        if "preventDoubleClick" in params
        else None,
    }


# summary list, table and tag


def _action_link(action, card_title):
    """An action link of a summary list row or card, as `_actionLink` writes it."""
    title = None
    if _truthy(card_title):
        html = card_title.get("html")
        title = mark_safe(html) if html else escape(_js_str(card_title.get("text")))  # noqa: S308
    hidden_text = action.get("visuallyHiddenText")
    return {
        "href": action.get("href"),
        "classes": _join("govuk-link", action.get("classes")),
        "attributes": attributes(action.get("attributes")),
        "html": action.get("html"),
        "text": action.get("text"),
        "hidden": hidden_text or title,
        "hidden_text": hidden_text,
        "card_title": title,
    }


def _actions(actions, card_title):
    items = (actions or {}).get("items") or []
    return [_action_link(item, card_title) for item in items if item]


def _prepare_summary_list(params):
    rows = [row for row in params.get("rows") or [] if row]
    card = params.get("card")
    # Our extension `inCard`: the options of the "summary-card" this list is
    # written in, so its action links name the card to screen readers, as
    # they do in a list's own card.
    around = card if _truthy(card) else params.get("inCard")
    card_title = around.get("title") if _truthy(around) else None
    any_row_has_actions = any(_row_has_actions(row) for row in rows)
    derived_rows = []
    for row in rows:
        actions = row.get("actions") or {}
        links = _actions(actions, card_title)
        derived_rows.append(
            {
                "classes": _join(
                    "govuk-summary-list__row",
                    "govuk-summary-list__row--no-actions"
                    if any_row_has_actions
                    and not _row_has_actions(row)
                    and "govuk-summary-list__row--no-actions" not in (row.get("classes") or "")
                    else "",
                    row.get("classes"),
                ),
                "key": row.get("key") or {},
                "value": row.get("value") or {},
                # Our extension beyond the macro: attributes on the value, such
                # as an id a page or its tests find the value by.
                "value_attributes": attributes((row.get("value") or {}).get("attributes")),
                "actions": links,
                "actions_html": actions.get("html"),
                "actions_classes": _join("govuk-summary-list__actions", actions.get("classes")),
            }
        )
    return {
        "classes": _join("govuk-summary-list", params.get("classes")),
        "attributes": attributes(params.get("attributes")),
        "rows": derived_rows,
        "card": _card(card) if _truthy(card) else None,
    }


def _row_has_actions(row):
    """A row has actions when it has action links or, our extension beyond the
    macro, `actions.html`: a control that is not a link, such as a small form
    with a "Remove" button."""
    actions = row.get("actions") or {}
    return _truthy(actions.get("items")) or bool(actions.get("html"))


def _card(card):
    """The card around a summary list (`govukSummaryList`'s `card` option)."""
    card_title = card.get("title")
    card_actions = card.get("actions") or {}
    return {
        "classes": _join("govuk-summary-card", card.get("classes")),
        "attributes": attributes(card.get("attributes")),
        "title": card_title,
        "title_classes": _join("govuk-summary-card__title", (card_title or {}).get("classes")),
        "heading_level": (card_title or {}).get("headingLevel") or 2,
        "actions": _actions(card_actions, card_title),
        "actions_classes": _join("govuk-summary-card__actions", card_actions.get("classes")),
    }


def _prepare_summary_card(params):
    """Our extension beyond the macros: the same card as `govukSummaryList`'s
    `card` option, around any content (`html`), such as a summary list and a
    table, or the fields of a form. `params` are the `card` option's."""
    return {"card": _card(params)}


def _cell_attributes(cell):
    if not (cell.get("colspan") or cell.get("rowspan") or cell.get("attributes")):
        return ""  # most cells: worked out 300 times on a page of cases
    spans = {name: cell[name] for name in ("colspan", "rowspan") if name in cell and cell[name]}
    return mark_safe(attributes(spans) + attributes(cell.get("attributes")))  # noqa: S308


def _cell_classes(base, cell):
    if not (cell.get("format") or cell.get("classes")):
        return base
    return _join(
        base,
        f"{base}--{cell['format']}" if cell.get("format") else "",
        cell.get("classes"),
    )


def _prepare_table(params):
    head = [
        {
            "classes": _cell_classes("govuk-table__header", cell),
            "attributes": _cell_attributes(cell),
            "html": cell.get("html"),
            "text": cell.get("text"),
        }
        for cell in params.get("head") or []
    ]
    first_cell_is_header = bool(params.get("firstCellIsHeader"))
    rows = []
    for row in params.get("rows") or []:
        if not _truthy(row):
            continue
        cells = []
        for index, cell in enumerate(row):
            is_header = index == 0 and first_cell_is_header
            cells.append(
                {
                    "is_header": is_header,
                    "classes": _join("govuk-table__header", cell.get("classes"))
                    if is_header
                    else _cell_classes("govuk-table__cell", cell),
                    "attributes": _cell_attributes(cell),
                    "html": cell.get("html"),
                    "text": _js_str(cell.get("text")),
                }
            )
        rows.append(cells)
    return {
        "classes": _join("govuk-table", params.get("classes")),
        "attributes": attributes(params.get("attributes")),
        "caption_classes": _join("govuk-table__caption", params.get("captionClasses")),
        "head": head,
        "rows": rows,
    }


def _prepare_tag(params):
    return {
        "classes": _join("govuk-tag", params.get("classes")),
        "attributes": attributes(params.get("attributes")),
    }


def summary_row(key, value, *, href=None, action_text=None, hidden_text=None, classes=None):
    """One row of `render_component("summary-list", {"rows": [...]})`, built in a view.

    `value` is escaped unless it is already safe HTML (the output of a template
    or `format_html`); `href` adds one action link ("Change" unless told),
    whose `hidden_text` says to screen readers what it changes.
    """
    row = {"key": {"text": key}, "value": {"html": conditional_escape(value)}}
    if classes:
        row["classes"] = classes
    if href:
        action = {"href": href, "text": action_text or _("Change")}
        if hidden_text:
            action["visuallyHiddenText"] = hidden_text
        row["actions"] = {"items": [action]}
    return row


PREPARE = {
    "label": _prepare_label,
    "hint": _prepare_hint,
    "error-message": _prepare_error_message,
    "input": _prepare_input,
    "textarea": _prepare_textarea,
    "select": _prepare_select,
    "radios": lambda p: _prepare_choices(p, "radios"),
    "checkboxes": lambda p: _prepare_choices(p, "checkboxes"),
    "date-input": _prepare_date_input,
    "error-summary": _prepare_error_summary,
    "button": _prepare_button,
    "summary-list": _prepare_summary_list,
    "summary-card": _prepare_summary_card,
    "table": _prepare_table,
    "tag": _prepare_tag,
}


def _printed(value):
    """A value as `{{ value }}` prints it in a template: local time, localised,
    escaped unless already safe HTML."""
    return conditional_escape(localize(template_localtime(value)))


def _cell_content(cell):
    return cell["html"] if cell["html"] else _printed(cell["text"])


def _render_table(context):
    """The table, written here rather than by a template: a long table (who
    has looked at a case, a page of cases) has hundreds of cells, and the
    template engine spent about 0.1 ms on each (it had a template,
    `govuk/components/table.html`, until this wrote the same HTML line for
    line)."""
    params, derived = context["params"], context["derived"]
    parts = [f'<table class="{escape(derived["classes"])}"{derived["attributes"]}>\n']
    if params.get("caption"):
        parts.append(
            f'<caption class="{escape(derived["caption_classes"])}">'
            f"{_printed(params['caption'])}</caption>\n"
        )
    if params.get("head"):
        parts.append('<thead class="govuk-table__head"><tr class="govuk-table__row">\n')
        for cell in derived["head"]:
            text = "" if cell["text"] is None else cell["text"]
            content = cell["html"] if cell["html"] else _printed(text)
            parts.append(
                f'<th scope="col" class="{escape(cell["classes"])}"{cell["attributes"]}>'
                f"{content}</th>\n"
            )
        parts.append("</tr></thead>\n")
    parts.append('<tbody class="govuk-table__body">\n')
    # Most cells share a few class lists: each escaped once.
    classes: dict[str, str] = {}
    for row in derived["rows"]:
        parts.append('<tr class="govuk-table__row">\n')
        for cell in row:
            opening = '<th scope="row"' if cell["is_header"] else "<td"
            closing = "</th>" if cell["is_header"] else "</td>"
            if cell["classes"] not in classes:
                classes[cell["classes"]] = escape(cell["classes"])
            parts.append(
                f'{opening} class="{classes[cell["classes"]]}"{cell["attributes"]}>'
                f"{_cell_content(cell)}{closing}\n"
            )
        parts.append("</tr>\n")
    parts.append("</tbody>\n</table>")
    return "".join(parts)


def _text_or_html(part):
    """What `{% if part.html %}{{ part.html|safe }}{% else %}
    {{ part.text|default_if_none:"" }}{% endif %}` writes."""
    if part.get("html"):
        return str(part["html"])
    text = part.get("text")
    return "" if text is None else _printed(text)


def _tag_html(tag):
    """The tag component (a case's stage, "Overdue", a count): as tag.html."""
    derived = tag["derived"]
    opening = f'<strong class="{_printed(derived["classes"])}"{derived["attributes"]}>'
    return f"{opening}{_text_or_html(tag['params'])}</strong>"


def _summary_action_html(action):
    """A row's action link, as _summary-action.html writes it (with its newline)."""
    content = str(action["html"]) if action.get("html") else _printed(action.get("text"))
    hidden = ""
    if action.get("hidden"):
        named = f" {_printed(action['hidden_text'])}" if action.get("hidden_text") else ""
        card = f" ({_printed(action['card_title'])})" if action.get("card_title") else ""
        hidden = f'<span class="govuk-visually-hidden">{named}{card}</span>'
    return (
        f'<a class="{_printed(action["classes"])}" href="{_printed(action["href"])}"'
        f"{action['attributes']}>{content}{hidden}</a>\n"
    )


def _summary_list_html(summary_list):
    """The summary list component (every case section's summary), as
    summary-list.html writes it; a list in a card of its own is left to the
    template (None). A case page has a dozen lists and each row's action
    link was a template of its own."""
    derived = summary_list["derived"]
    if derived["card"]:
        return None
    parts = [f'<dl class="{_printed(derived["classes"])}"{derived["attributes"]}>\n']
    for row in derived["rows"]:
        key, value = row["key"], row["value"]
        key_classes = f" {_printed(key['classes'])}" if key.get("classes") else ""
        value_classes = f" {_printed(value['classes'])}" if value.get("classes") else ""
        parts.append(
            f'<div class="{_printed(row["classes"])}">\n'
            f'<dt class="govuk-summary-list__key{key_classes}">{_text_or_html(key)}</dt>\n'
            f'<dd class="govuk-summary-list__value{value_classes}"{row["value_attributes"]}>'
            f"{_text_or_html(value)}</dd>\n"
        )
        actions_open = f'<dd class="{_printed(row["actions_classes"])}">'
        if row["actions_html"]:
            parts.append(f"{actions_open}{row['actions_html']}</dd>\n")
        elif len(row["actions"]) == 1:
            parts.append(f"{actions_open}{_summary_action_html(row['actions'][0])}</dd>\n")
        elif row["actions"]:
            items = "".join(
                '<li class="govuk-summary-list__actions-list-item">'
                f"{_summary_action_html(action)}</li>"
                for action in row["actions"]
            )
            parts.append(
                f'{actions_open}<ul class="govuk-summary-list__actions-list">{items}</ul></dd>\n'
            )
        parts.append("</div>\n")
    parts.append("</dl>")
    return "".join(parts)


# Components written in Python, for speed (each checked against govuk-frontend's
# fixtures as the templates are); every other one by its template. A renderer
# may give None for a form it leaves to the template.
RENDERERS = {
    "table": _render_table,
    "label": _label_html,
    "hint": _hint_html,
    "tag": _tag_html,
    "summary-list": _summary_list_html,
}


def render_component(name, params):
    context = _component(name, params)
    renderer = RENDERERS.get(name)
    if renderer is not None:
        html = renderer(context)
        if html is not None:
            return mark_safe(html)  # noqa: S308  (every part escaped above)
    html = render_to_string(f"govuk/components/{name}.html", context)
    return mark_safe(html.strip())  # noqa: S308  (our own template output, autoescaped)
