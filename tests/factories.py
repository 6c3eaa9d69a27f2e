"""Factories for synthetic test data: every name and identifier is invented."""

import random
from datetime import date

import factory
from django.conf import settings

from accounts.models import (
    District,
    LocalAuthority,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    User,
)
from core.demo import synthetic_nhs_number
from episodes.models import Episode, EpisodeChild
from people.models import Family, FamilyMember, Person, Relationship

TEST_PASSWORD = settings.DEMO_PASSWORD


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"council-{n}")
    name = factory.Sequence(lambda n: f"Test Council {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"District {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    district = None
    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.SCHOOL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or [Role.PRACTITIONER]:
            self.grant(role)

    @factory.post_generation
    def organisation(self, create, extracted, **kwargs):
        if extracted is not None:
            Membership.objects.create(user=self, organisation=extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    first_name = factory.Sequence(lambda n: f"Child{n}")
    last_name = "Testfamily"
    date_of_birth = date(2016, 5, 17)
    nhs_number = factory.Sequence(lambda n: synthetic_nhs_number(random.Random(n)))


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    name = factory.Sequence(lambda n: f"Testfamily {n}")


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Episode
        skip_postgeneration_save = True

    local_authority = factory.SubFactory(LocalAuthorityFactory)
    district = factory.SubFactory(
        DistrictFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    family = factory.SubFactory(
        FamilyFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    requesting_organisation = factory.SubFactory(
        OrganisationFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    requested_by = factory.SubFactory(
        UserFactory, local_authority=factory.SelfAttribute("..local_authority")
    )
    worries = "Synthetic worries for a test."

    @factory.post_generation
    def child(self, create, extracted, **kwargs):
        """Every episode gets one child in its family unless child=False."""
        if extracted is False:
            return
        person = extracted or PersonFactory(local_authority=self.local_authority)
        FamilyMember.objects.get_or_create(
            family=self.family, person=person, defaults={"relationship": Relationship.CHILD}
        )
        EpisodeChild.objects.get_or_create(episode=self, person=person)
