"""The documents a family keeps, in their language: the plan (and the
child-friendly plan) in each of the five languages, right to left in Arabic
and Pashto, as tagged PDFs whose text layer holds the words in their script
and whose first page, drawn as an image, starts on the reading side;
restricted details and languages never used; each copy made is recorded on
the copy list with its audit."""

import datetime
import io

import pytest
from django.utils import dateformat, timezone, translation
from pypdf import PdfReader

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from people.models import Relationship
from people.restrictions import restrict
from plans.models import CopyMethod, PlanCopy
from tests.journey_factories import add_member, plan_actions

FAMILY_LANGUAGES = ["pl", "ar", "ps", "ro", "uk"]


@pytest.fixture
def parent_b(planned):
    return add_member(
        planned.episode,
        Relationship.PARENT,
        first_name="Blair",
        address_line_1="3 Open Street",
        postcode="NM1 1AA",
        preferred_language="uk",
    )


def url(plan, person, tail="document/"):
    return f"/cases/{plan.episode_id}/plan/copies/{person.pk}/{tail}"


def translated(language, text):
    with translation.override(language):
        return translation.gettext(text)


def pdf_reader(content):
    return PdfReader(io.BytesIO(content))


@pytest.mark.parametrize("language", FAMILY_LANGUAGES)
def test_the_plan_is_in_the_chosen_language_around_what_professionals_typed(
    client_for, involved, planned, parent_b, language
):
    action = plan_actions(planned)[0]

    response = client_for(involved).post(url(planned, parent_b), {"language": language})

    html = response.content.decode()
    rtl = language in ("ar", "ps")
    assert response["Content-Language"] == language
    assert f'<html lang="{language}" dir="{"rtl" if rtl else "ltr"}">' in html
    for words in ("Early Help Plan", "Your lead professional", "What will be done"):
        assert translated(language, words) != words
        assert translated(language, words) in html
        assert f">{words}<" not in html
    assert f'<td class="govuk-table__cell">{translated(language, "Parent")}</td>' in html
    # What the professionals typed stays as typed.
    assert action.what in html and action.success_measure in html
    # Dates in the language's words, in the form a long date takes (Polish and
    # Ukrainian months in the genitive; Django's catalogues, ours for Pashto).
    with translation.override(language):
        due = dateformat.format(action.due_by, "j E Y")
    assert due in html
    # Not the English month (Romanian spells August as English does).
    month, english = due.split()[1], action.due_by.strftime("%B")
    assert month != english or (language, english) == ("ro", "August")


def test_the_family_member_s_preferred_language_is_the_default(
    client_for, involved, planned, parent_b
):
    html = client_for(involved).post(url(planned, parent_b)).content.decode()
    assert '<html lang="uk" dir="ltr">' in html
    assert translated("uk", "Early Help Plan") in html


def test_a_preferred_language_the_maker_may_not_see_is_not_used(
    client_for, involved, eho, planned, parent_b
):
    restrict(involved, parent_b, field="language", reason="Synthetic: would identify her")

    by_eho = client_for(eho).post(url(planned, parent_b)).content.decode()
    # Someone who may not know her language gets English (and may choose one).
    assert '<html lang="en" dir="ltr">' in by_eho
    assert PlanCopy.objects.get(person=parent_b).language == "en"

    by_lead = client_for(involved).post(url(planned, parent_b)).content.decode()
    # The lead professional, who may see it, gets her language.
    assert '<html lang="uk" dir="ltr">' in by_lead


def test_a_language_the_documents_are_not_written_in_is_not_found(
    client_for, involved, planned, parent_b
):
    client = client_for(involved)
    assert client.post(url(planned, parent_b), {"language": "xx"}).status_code == 404
    assert client.post(url(planned, parent_b), {"language": "so"}).status_code == 404
    assert not PlanCopy.objects.exists()


def test_restricted_details_never_appear_even_typed_into_the_plan(
    client_for, involved, eho, planned, parent_b
):
    hidden = add_member(
        planned.episode,
        Relationship.PARENT,
        first_name="Alex",
        address_line_1="14 Hidden Row",
        postcode="NM9 9ZZ",
    )
    action = plan_actions(planned)[0]
    action.what = "Meet at 14 Hidden Row on Mondays"
    action.save()
    restrict(involved, hidden, field="address", reason="Synthetic: fleeing abuse")

    for language in ("en", "ar"):
        html = client_for(eho).post(url(planned, parent_b), {"language": language}).content.decode()
        assert "14 Hidden Row" not in html and "NM9 9ZZ" not in html
        assert "Alex Testfamily" in html
        assert "3 Open Street" in html


def test_making_a_copy_records_it_on_the_copy_list_with_its_audit(
    client_for, involved, planned, parent_b
):
    response = client_for(involved).post(
        url(planned, parent_b, "document.pdf"), {"language": "pl", "method": "post"}
    )

    assert response.status_code == 200
    copy = PlanCopy.objects.get()
    assert (
        copy.plan,
        copy.person,
        copy.given,
        copy.method,
        copy.language,
        copy.child_friendly,
        copy.recorded_by,
    ) == (planned, parent_b, True, CopyMethod.POST, "pl", False, involved)
    events = AuditEvent.objects.filter(
        action__in=[AuditAction.CREATE, AuditAction.EXPORT]
    ).order_by("sequence")
    assert [(e.action, e.object_type, e.changes) for e in events][-2:] == [
        (
            AuditAction.CREATE,
            "plans.plancopy",
            {"fields": ["child_friendly", "given", "language", "method", "reason_not_given"]},
        ),
        (
            AuditAction.EXPORT,
            "plans.plan",
            {"format": "pdf", "recipient": parent_b.pk, "language": "pl", "child_friendly": False},
        ),
    ]
    page = client_for(involved).get(f"/cases/{planned.episode_id}/plan/copies/").content.decode()
    assert "Posted" in page and "Polish" in page


@pytest.mark.parametrize(
    "age, sentence",
    [
        (5, "This is your family's plan. Some grown-ups are going to help your family."),
        (
            10,
            "This is your family's plan. It says how some people are going to help your family, "
            "and who is helping.",
        ),
        (
            15,
            "This is your family's plan. It says what is going to happen, who is helping and "
            "who you can talk to.",
        ),
    ],
)
def test_a_child_gets_the_child_friendly_plan_for_their_age_in_their_language(
    client_for, involved, planned, child, age, sentence
):
    today = timezone.localdate()
    child.date_of_birth = today.replace(year=today.year - age, day=1) - datetime.timedelta(days=40)
    child.preferred_language = "ar"
    child.save()

    html = (
        client_for(involved)
        .post(url(planned, child), {"version": "child", "method": "in_person"})
        .content.decode()
    )

    assert '<html lang="ar" dir="rtl">' in html
    assert translated("ar", sentence) in html
    assert translated("ar", "Who you can talk to") in html
    assert involved.full_name in html
    assert "0800 1111" in html
    teenager = age >= 13
    assert (plan_actions(planned)[0].what in html) is teenager
    assert PlanCopy.objects.get(person=child).child_friendly is True
    page = client_for(involved).get(f"/cases/{planned.episode_id}/plan/copies/").content.decode()
    assert "Given in person" in page and "Arabic (the child-friendly plan)" in page


def test_the_child_friendly_plan_is_only_for_children(client_for, involved, planned, parent_b):
    response = client_for(involved).post(url(planned, parent_b), {"version": "child"})
    assert response.status_code == 404
    assert not PlanCopy.objects.exists()


def _fonts(content):
    """The fonts the PDF's pages draw with (subset prefixes left off)."""
    names = set()
    for page in pdf_reader(content).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1].replace("-", ""))
    return names


def _text(content):
    return " ".join(page.extract_text() for page in pdf_reader(content).pages)


@pytest.mark.parametrize(
    "language, heading",
    [("pl", "Plan wczesnej pomocy"), ("uk", "План ранньої допомоги")],
)
def test_the_pdf_is_tagged_with_its_language_and_its_text_in_its_script(
    client_for, involved, planned, parent_b, language, heading
):
    content = (
        client_for(involved)
        .post(url(planned, parent_b, "document.pdf"), {"language": language})
        .content
    )

    reader = pdf_reader(content)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    # Its title (what a screen reader announces) is the page's, translated.
    with translation.override(language):
        title = translation.gettext("Early Help Plan for %(name)s") % {"name": "Blair Testfamily"}
    assert reader.metadata.title == title
    assert heading in _text(content)
    assert translated(language, "Early Help Plan") == heading
    # Drawn with a font that has the letters (fonts-liberation), not boxes.
    assert any(name.startswith("LiberationSans") for name in _fonts(content))


def test_the_arabic_pdf_is_right_to_left_and_its_text_layer_holds_the_arabic_words(
    client_for, involved, planned, parent_b
):
    content = (
        client_for(involved)
        .post(url(planned, parent_b, "document.pdf"), {"language": "ar"})
        .content
    )
    reader = pdf_reader(content)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    heading = translated("ar", "Early Help Plan")
    assert heading == "خطة المساعدة المبكرة"
    text = _text(content)
    assert heading in text
    assert translated("ar", "Parent") in text
    # The Arabic letters are drawn with Noto (fonts-noto-core), not boxes.
    assert any(name.startswith("NotoSansArabic") for name in _fonts(content))
    # Mirrored: headings start on the right, the table's first column ("Name")
    # is on the right of the second, and the footer's page number on the left.
    places = {}

    def where(text, cm, tm, font, size):
        if text.strip():
            places.setdefault(text.strip(), tm[4] * cm[0] + cm[4])

    reader.pages[0].extract_text(visitor_text=where)
    width = float(reader.pages[0].mediabox.width)
    assert places[translated("ar", "Your family")] > width / 2
    assert places[translated("ar", "Name")] > places[translated("ar", "Relationship")]
    assert places[translated("ar", "Page")] < width / 2


def _page_image(content):
    """The PDF's first page drawn as a reader's viewer draws it (PDFium), in grey."""
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    return document[0].render(scale=1).to_pil().convert("L")


def _ink_columns(image, top, bottom):
    """The x of every dark pixel between rows `top` and `bottom`."""
    width = image.width
    pixels = image.load()
    return [x for y in range(top, bottom) for x in range(width) if pixels[x, y] < 128]


@pytest.mark.parametrize("language", ["en", *FAMILY_LANGUAGES])
def test_each_languages_pdf_draws_its_heading_on_the_reading_side(
    client_for, involved, planned, parent_b, language
):
    """Written and drawn: the PDF's text layer holds the title in the
    language's own words and script, and its first page rendered to an image
    has the title in ink (no empty page, no missing font), starting on the
    side the language is read from: the right for Arabic and Pashto."""
    content = (
        client_for(involved)
        .post(url(planned, parent_b, "document.pdf"), {"language": language})
        .content
    )
    heading = translated(language, "Early Help Plan")
    assert language == "en" or heading != "Early Help Plan", f"{language}: not translated"
    assert heading in _text(content), language
    image = _page_image(content)
    dark = sum(image.histogram()[:128]) / (image.width * image.height)
    assert 0.005 < dark < 0.3, f"{language}: {dark:.1%} of the page is ink"
    # The title: the first rows with ink.
    rows = [y for y in range(image.height) if _ink_columns(image, y, y + 1)]
    title = _ink_columns(image, rows[0], rows[0] + 30)
    middle = image.width / 2
    if language in ("ar", "ps"):
        assert max(title) > image.width * 0.8 and min(title) > image.width * 0.15, language
        assert sum(title) / len(title) > middle, language
    else:
        assert min(title) < image.width * 0.2, language
        assert sum(title) / len(title) < middle, language
