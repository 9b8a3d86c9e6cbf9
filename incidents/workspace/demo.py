"""Demo saved views: a few shared queue views a desk would set up (idempotent)."""

from __future__ import annotations

from incidents.models import Team, User
from incidents.workspace.models import SavedView


def seed(*, stdout=None) -> None:
    owner = User.objects.filter(username="agent").first()
    if owner is None:
        return
    network = Team.objects.filter(name="Network Operations").first()
    views = [
        ("Open P1 and P2", "open=true&priority=1&priority=2&sort=priority", True),
        ("Breached SLAs", "open=true&sla=breached&sort=priority", True),
        ("Waiting for a vendor", "state=on_hold&on_hold_reason=awaiting_vendor", False),
    ]
    if network is not None:
        views.append(("Network: unassigned", f"open=true&assignee=none&team={network.pk}", True))
    for name, query, shared in views:
        SavedView.objects.get_or_create(owner=owner, name=name, defaults={"query": query, "shared": shared})
    if stdout is not None:
        stdout.write(f"  workspace: {len(views)} saved views for {owner.username}")
