import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import LocalAuthority


def test_local_authority_defaults_follow_the_common_practice(db):
    la = LocalAuthority.objects.create(slug="midshire", name="Midshire Council")
    assert (la.upper_age, la.upper_age_send, la.review_interval_weeks) == (18, 25, 8)
    assert (la.get_meeting_name_display(), la.family_languages) == (
        "Team Around the Family",
        ["en", "pl", "ar", "ps", "ro", "uk"],
    )


@pytest.mark.parametrize("weeks", [5, 13])
def test_review_interval_outside_6_to_12_weeks_is_refused(db, weeks):
    la = LocalAuthority(slug="midshire", name="Midshire Council", review_interval_weeks=weeks)
    with pytest.raises(ValidationError) as error:
        la.full_clean()
    assert list(error.value.message_dict) == ["review_interval_weeks"]
    with pytest.raises(IntegrityError):
        la.save()


def test_unknown_family_languages_are_named(db):
    la = LocalAuthority(slug="midshire", name="Midshire Council", family_languages=["pl", "xx"])
    with pytest.raises(ValidationError) as error:
        la.full_clean()
    assert error.value.message_dict["family_languages"] == [
        "Unknown language codes: xx. Use codes from the list of languages, such as pl for "
        "Polish or uk for Ukrainian"
    ]


def test_send_upper_age_cannot_be_below_the_upper_age(db):
    la = LocalAuthority(slug="midshire", name="Midshire Council", upper_age=19, upper_age_send=18)
    with pytest.raises(ValidationError) as error:
        la.full_clean()
    assert list(error.value.message_dict) == ["upper_age_send"]
