"""GOV.UK Design System components rendered from Django templates.

`render_component(name, params)` takes the same options as the Nunjucks macro
of the same name (`govukInput`, `govukRadios`, ...), for the subset we use, so
the partials can be tested against the `fixtures.json` files that ship in the
govuk-frontend package. Derived values (ids, aria-describedby) are worked out
here, in Python, where they are easy to read; the templates only lay them out.
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def _join(*parts):
    return " ".join(part for part in parts if part)


def _hint_and_error(params, id_base, described_by=""):
    hint_id = error_id = ""
    if params.get("hint"):
        hint_id = f"{id_base}-hint"
    if params.get("errorMessage"):
        error_id = f"{id_base}-error"
    return hint_id, error_id, _join(described_by, hint_id, error_id)


def _prepare_single(params):
    """input, textarea, select: one control with a label."""
    id_ = params.get("id") or params.get("name")
    hint_id, error_id, described_by = _hint_and_error(params, id_, params.get("describedBy", ""))
    return {"id": id_, "hint_id": hint_id, "error_id": error_id, "described_by": described_by}


def _prepare_choices(params, control):
    """radios and checkboxes: a list of items, optionally in a fieldset."""
    id_prefix = params.get("idPrefix") or params.get("name")
    fieldset = params.get("fieldset") or {}
    hint_id, error_id, described_by = _hint_and_error(
        params, id_prefix, fieldset.get("describedBy", "")
    )
    chosen = params.get("values") if control == "checkboxes" else [params.get("value")]
    chosen = [str(v) for v in (chosen or []) if v not in (None, "")]
    items = []
    index = 0
    for item in params.get("items") or []:
        if not item:
            continue
        index += 1
        item = dict(item)
        if item.get("divider"):
            items.append(item)
            continue
        item_id = item.get("id") or (id_prefix if index == 1 else f"{id_prefix}-{index}")
        checked = item.get("checked")
        if checked is None:
            checked = str(item.get("value")) in chosen
        hint = item.get("hint") or {}
        item_hint_id = f"{item_id}-item-hint" if (hint.get("text") or hint.get("html")) else ""
        item.update(item_id=item_id, is_checked=checked, item_hint_id=item_hint_id)
        items.append(item)
    return {
        "id_prefix": id_prefix,
        "hint_id": hint_id,
        "error_id": error_id,
        "described_by": described_by,
        "prepared_items": items,
        "has_fieldset": bool(params.get("fieldset")),
    }


def _prepare_date_input(params):
    id_ = params.get("id") or params.get("namePrefix")
    fieldset = params.get("fieldset") or {}
    hint_id, error_id, described_by = _hint_and_error(params, id_, fieldset.get("describedBy", ""))
    items = []
    for item in params.get("items") or []:
        item = dict(item)
        name = item["name"]
        item["full_name"] = f"{params['namePrefix']}-{name}" if params.get("namePrefix") else name
        item["item_id"] = item.get("id") or f"{id_}-{name}"
        item["label_text"] = item.get("label") or name.capitalize()
        items.append(item)
    return {
        "id": id_,
        "hint_id": hint_id,
        "error_id": error_id,
        "described_by": described_by,
        "prepared_items": items,
        "has_fieldset": bool(params.get("fieldset")),
    }


PREPARE = {
    "input": _prepare_single,
    "textarea": _prepare_single,
    "select": _prepare_single,
    "radios": lambda p: _prepare_choices(p, "radios"),
    "checkboxes": lambda p: _prepare_choices(p, "checkboxes"),
    "date-input": _prepare_date_input,
}


def render_component(name, params):
    derived = PREPARE.get(name, lambda _p: {})(params)
    html = render_to_string(f"govuk/components/{name}.html", {"params": params, "derived": derived})
    return mark_safe(html.strip())  # noqa: S308  (our own template output, autoescaped)
