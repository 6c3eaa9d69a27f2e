"""Every number typed into a form is ASCII digits: Django's IntegerField reads
"٣" (Arabic-Indic three) and "３" (full-width three) as 3, so the service would
save a number the person never saw. The class of the problem is tested: every
integer field of every form in the service is a WholeNumberField, and no
module builds a plain IntegerField by hand."""

import ast
import importlib
import inspect
import tomllib
from pathlib import Path

import pytest
from django import forms

from core.forms import WholeNumberField

ROOT = Path(__file__).resolve().parents[2]


def _packages():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return [
        name.rstrip("*").rstrip(".")
        for name in config["tool"]["setuptools"]["packages"]["find"]["include"]
    ]


def _form_modules():
    for package in _packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path


def _form_classes():
    for path in _form_modules():
        if "class " not in path.read_text(encoding="utf-8") or "forms" not in path.read_text(
            encoding="utf-8"
        ):
            continue
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                yield value


FORM_CLASSES = sorted(set(_form_classes()), key=lambda cls: f"{cls.__module__}.{cls.__name__}")


def test_the_walk_finds_the_forms_with_numbers():
    names = {cls.__name__ for cls in FORM_CLASSES}
    assert {"TimescalesForm", "SampleForm"} <= names


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__name__)
def test_every_declared_integer_field_takes_only_ascii_digits(form_class):
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.IntegerField):
            assert isinstance(field, WholeNumberField), f"{form_class.__name__}.{name}"


def test_no_module_builds_a_plain_integer_field():
    plain = {"IntegerField", "FloatField", "DecimalField"}
    found = []
    for path in _form_modules():
        if path == ROOT / "core" / "forms.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in plain
                and isinstance(node.value, ast.Name)
                and node.value.id == "forms"
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("typed", ["٣", "３", "3.0", "1e3", "-", "3\x00", "²", "1" * 5000])
def test_a_whole_number_field_refuses_anything_but_ascii_digits(typed):
    field = WholeNumberField(min_value=1, max_value=365)
    with pytest.raises(forms.ValidationError) as error:
        field.clean(typed)
    assert {e.code for e in error.value.error_list} <= {"invalid", "max_value"}


def test_a_whole_number_field_reads_ascii_digits_and_says_when_out_of_range():
    field = WholeNumberField(min_value=1, max_value=365)
    assert field.clean(" 42 ") == 42
    with pytest.raises(forms.ValidationError) as error:
        field.clean("1" * 60)
    assert [e.code for e in error.value.error_list] == ["max_value"]
