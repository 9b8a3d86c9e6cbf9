"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from incidents import lifecycle
from incidents.choices import Level, Role
from incidents.models import Category, ConfigurationItem, Organization, Service, Team, User

PASSWORD = "correct-horse-battery-staple"


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Customer {n}")
    email_domain = factory.Sequence(lambda n: f"customer{n}.example")


def _add_role(user, role):
    if role:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    user.save()


def _role(name):
    """A post-generation step granting the role `name` unless the caller passes role=..."""
    return factory.PostGeneration(lambda obj, create, extracted, **kw: _add_role(obj, extracted or name))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    role = factory.PostGeneration(lambda obj, create, extracted, **kw: _add_role(obj, extracted))


class RequesterFactory(UserFactory):
    organization = factory.SubFactory(OrganizationFactory)
    role = _role(Role.REQUESTER)


class AgentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"agent{n}")
    role = _role(Role.AGENT)


class ManagerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"manager{n}")
    role = _role(Role.MANAGER)
    is_staff = True


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    role = _role(Role.ADMIN)
    is_staff = True
    is_superuser = True


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        if extracted:
            obj.members.add(*extracted)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Service {n}")


class ConfigurationItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConfigurationItem

    name = factory.Sequence(lambda n: f"ci-{n:03d}")
    service = factory.SubFactory(ServiceFactory)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")


def make_incident(*, caller=None, actor=None, **fields):
    """An incident registered through the lifecycle, as every channel does it."""
    caller = caller or RequesterFactory()
    fields.setdefault("short_description", "Printer on floor 2 jams")
    fields.setdefault("impact", Level.MEDIUM)
    fields.setdefault("urgency", Level.MEDIUM)
    return lifecycle.incident_create(actor=actor, caller=caller, **fields)
