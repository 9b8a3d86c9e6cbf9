"""Who wrote: known users by address, requester accounts for new senders, and the addresses that are ours."""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Q
from django.db.models.functions import Lower

from incidents.choices import Role
from incidents.models import Organization, User


def own_addresses() -> set[str]:
    """Addresses the desk sends from or receives at: mail from them is a loop."""
    candidates = [settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL, settings.IMAP_USER, *settings.EMAIL_OWN_ADDRESSES]
    found = set()
    for value in candidates:
        address = parseaddr(value or "")[1].strip().lower()
        if "@" in address:
            found.add(address)
    return found


def find_user(address: str) -> User | None:
    """The account with this address, an active one first (addresses are compared case-insensitively)."""
    if not address:
        return None
    return User.objects.filter(email__iexact=address).order_by("-is_active", "pk").first()


def users_with_addresses(addresses: list[str]) -> list[User]:
    if not addresses:
        return []
    query = Q()
    for address in addresses:
        query |= Q(email__iexact=address)
    return list(User.objects.filter(query, is_active=True))


def organization_for(address: str) -> Organization | None:
    """The customer whose email domain matches the address (a subdomain matches its parent domain too)."""
    parts = address.rsplit("@", 1)[-1].lower().split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    matches = {
        o.domain: o
        for o in Organization.objects.filter(is_active=True)
        .annotate(domain=Lower("email_domain"))
        .filter(domain__in=candidates)
    }
    return next((matches[c] for c in candidates if c in matches), None)


def _split_name(name: str, address: str) -> tuple[str, str]:
    name = (name or "").strip()
    if "," in name:  # "Doe, Jane" as Outlook writes it
        last, first = (part.strip() for part in name.split(",", 1))
        return first[:150], last[:150]
    if not name or "@" in name:
        local = address.split("@", 1)[0].replace(".", " ").replace("_", " ").strip()
        name = local.title()
    first, _, last = name.partition(" ")
    return first[:150], last[:150]


def create_requester(*, address: str, name: str = "") -> User:
    """A requester account for a new sender; they can set a password with "Forgot your password?"."""
    base = address.lower()[:150]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        suffix = f"-{n}"
        username = f"{base[: 150 - len(suffix)]}{suffix}"
    first, last = _split_name(name, address)
    user = User(username=username, email=address.lower(), first_name=first, last_name=last)
    user.organization = organization_for(address)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=Role.REQUESTER)[0])
    return user
