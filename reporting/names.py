"""Display names of the small catalog tables, loaded once per report."""

from __future__ import annotations

from functools import cached_property

from incidents.choices import Priority
from incidents.models import Category, Organization, Service, Team, User


class Names:
    """id -> name lookups; each table is read at most once, on first use."""

    @cached_property
    def team(self) -> dict[int | None, str]:
        return {None: "Unassigned", **dict(Team.objects.values_list("pk", "name"))}

    @cached_property
    def service(self) -> dict[int | None, str]:
        return {None: "No service", **dict(Service.objects.values_list("pk", "name"))}

    @cached_property
    def category(self) -> dict[int | None, str]:
        names = {None: "No category"}
        for category in Category.objects.select_related("parent"):
            names[category.pk] = str(category)
        return names

    @cached_property
    def organization(self) -> dict[int | None, str]:
        return {None: "No organization", **dict(Organization.objects.values_list("pk", "name"))}

    @property
    def priority(self) -> dict[int | None, str]:
        return dict(Priority.choices)

    def users(self, ids) -> dict[int | None, str]:
        names = {None: "Unassigned"}
        for user in User.objects.filter(pk__in=[i for i in ids if i is not None]).only(
            "pk", "username", "first_name", "last_name"
        ):
            names[user.pk] = user.display_name
        return names
