from accounts.models import OrganisationType
from core.codes import (
    CLOSURE_CODE_OF_REASON,
    ClosureCode,
    ReferralSource,
    referral_source_for,
    referral_sources_for,
)
from episodes.models import ClosureReason, RequestSource


def test_every_closure_reason_has_a_code_with_the_same_label():
    assert set(CLOSURE_CODE_OF_REASON) == set(ClosureReason.values)
    for reason, code in CLOSURE_CODE_OF_REASON.items():
        assert ClosureCode(code).label == ClosureReason(reason).label
    assert len(set(CLOSURE_CODE_OF_REASON.values())) == len(ClosureCode.values)


def test_the_census_referral_sources_in_the_census_order():
    assert ReferralSource.values == [
        *("1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4"),
        *("5A", "5B", "5C", "5D", "6", "7", "8", "9", "10"),
    ]


def test_who_asked_and_their_organisation_give_the_referral_source():
    assert referral_sources_for("parent", "school") == (ReferralSource.INDIVIDUAL_FAMILY,)
    assert referral_sources_for("young_person", None) == (ReferralSource.INDIVIDUAL_SELF,)
    assert referral_sources_for("step_down", "csc") == (ReferralSource.LA_SOCIAL_CARE,)
    assert referral_sources_for("professional", "school") == (ReferralSource.SCHOOLS,)
    assert referral_sources_for("professional", "gp") == (ReferralSource.HEALTH_GP,)
    assert referral_sources_for("professional", "police") == (ReferralSource.POLICE,)
    assert referral_sources_for("professional", "early_help") == (ReferralSource.LA_EARLY_HELP,)
    assert referral_sources_for("professional", "nonsense") == (ReferralSource.UNKNOWN,)
    # A health service other than a GP or health visiting leaves a choice.
    health = referral_sources_for("professional", "health")
    assert ReferralSource.HEALTH_A_AND_E in health and health[0] == ReferralSource.HEALTH_OTHER
    assert referral_source_for("professional", "health", "3E") == "3E"
    assert referral_source_for("professional", "health", "2A") == "3F"  # not a fit: the default
    assert referral_source_for("professional", "health") == "3F"


def test_every_organisation_type_and_asker_is_mapped():
    for value in OrganisationType.values:
        assert referral_sources_for(RequestSource.PROFESSIONAL, value) != (ReferralSource.UNKNOWN,)
    for value in RequestSource.values:
        assert referral_sources_for(value, "school")
