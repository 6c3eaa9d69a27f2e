"""The printed plan and the subject access copy share one print stylesheet,
compiled from GOV.UK Frontend's Sass (frontend/print.scss), so their headings
have the Design System's sizes on screen and on paper."""

import re

from core.templatetags.print_stylesheet import PRINT_STYLESHEET, compiled_stylesheet
from plans import services as plan_services
from privacy import subject_access as sar

# GOV.UK Frontend's typography scale: the size on a wider screen, and in print.
HEADING_SIZES = {
    "xl": ("3rem", "32pt"),  # 48px
    "l": ("2.25rem", "24pt"),  # 36px
    "m": ("1.5rem", "18pt"),  # 24px
    "s": ("1.1875rem", "14pt"),  # 19px
}


def heading_sizes(css):
    """{size: (font size on a wide screen, font size in print)} as the CSS declares them."""
    found = {}
    for size in HEADING_SIZES:
        rule = r"\.govuk-heading-" + size + r"\{[^}]*?font-size:([\d.]+(?:rem|pt))"
        everywhere = re.findall(r"(?<=\})" + rule, css)  # not inside a media query
        wider = re.findall(r"@media\(min-width: 40\.0625em\)\{" + rule, css)
        printed = re.findall(r"@media print\{" + rule, css)
        screen = wider or everywhere
        found[size] = (screen[-1] if screen else None, printed[-1] if printed else None)
    return found


def test_the_built_stylesheet_has_the_design_systems_heading_sizes():
    assert heading_sizes(compiled_stylesheet()) == HEADING_SIZES


def test_the_plan_and_the_subject_access_copy_use_the_same_stylesheet(case, manager, involved):
    css = compiled_stylesheet()
    plan = plan_services.current_plan(case.episode)
    on_screen = plan_services.plan_document(involved, plan, case.child).content
    plan_pdf_source = _plan_pdf_source(involved, plan, case.child)
    copy = sar.collect(case.child, manager)
    documents = {
        "plan PDF": plan_pdf_source,
        "subject access copy": sar.render_html(copy),
        "subject access PDF": sar.render_html(copy, for_pdf=True),
    }

    # On screen the plan links it (no inline styles under the Content Security Policy).
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)">', on_screen) == [
        f"/static/{PRINT_STYLESHEET}"
    ]
    assert "<style" not in on_screen
    # A page that stands alone (a PDF's source, a downloaded copy) has it written in,
    # so WeasyPrint, which fetches nothing, gets the same rules.
    for name, html in documents.items():
        styles = re.findall(r"<style>(.*?)</style>", html, re.DOTALL)
        assert len(styles) == 1 and css in styles[0], name
        assert 'rel="stylesheet"' not in html, name


def _plan_pdf_source(actor, plan, person):
    from plans.document import document_context, render_html

    return render_html(document_context(plan, person, actor), for_pdf=True)
