"""Demo data a service desk would believe: customers, teams, services, people, and incidents worked over 90 days.

Every incident is created and moved through incidents.lifecycle (with past timestamps), so timelines, SLA timers and
first-response times are exactly what the product would have recorded. Running it twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from incidents import lifecycle, outbox
from incidents.choices import Channel, Level, OnHoldReason, ResolutionCode, Role, State
from incidents.models import Category, ConfigurationItem, Incident, Organization, Service, Team, User

ORGANIZATIONS = [
    ("Northwind Traders", "northwind.example"),
    ("Contoso Health", "contoso.example"),
    ("Fabrikam Logistics", "fabrikam.example"),
]

TEAMS = {
    # name: (email, escalation team)
    "Service Desk": ("servicedesk@itsm.example", "Workplace Engineering"),
    "Workplace Engineering": ("", "Infrastructure"),
    "Network Operations": ("netops@itsm.example", "Infrastructure"),
    "Identity & Access": ("", "Infrastructure"),
    "Business Applications": ("", "Infrastructure"),
    "Infrastructure": ("infra@itsm.example", None),
}

SERVICES = {
    # name: (portal name, owner team, [CIs])
    "Email": ("Email and calendar", "Workplace Engineering", ["Exchange Online", "MX gateway"]),
    "VPN": ("Remote access (VPN)", "Network Operations", ["vpn-gw-01", "vpn-gw-02"]),
    "Wi-Fi": ("Office Wi-Fi", "Network Operations", ["wlc-hq", "ap-floor-3"]),
    "Laptops": ("My laptop", "Workplace Engineering", ["Standard laptop image", "Docking stations"]),
    "ERP": ("Finance and ordering (ERP)", "Business Applications", ["erp-app-01", "erp-db-01"]),
    "CRM": ("Customer records (CRM)", "Business Applications", ["crm-web", "crm-api"]),
    "Single sign-on": ("Signing in", "Identity & Access", ["idp-01", "MFA service"]),
    "Printing": ("Printers", "Workplace Engineering", ["print-srv-01", "HQ floor 2 printer"]),
    "File shares": ("Shared drives", "Infrastructure", ["fs-01", "backup-vault"]),
}

CATEGORIES = {
    "Hardware": (None, ["Laptop", "Printer", "Monitor", "Phone"]),
    "Software": ("Business Applications", ["Crash or error", "Installation", "Licence"]),
    "Network": ("Network Operations", ["VPN", "Wi-Fi", "Wired network"]),
    "Access": ("Identity & Access", ["Password reset", "Account locked", "Permissions"]),
    "Email": ("Workplace Engineering", ["Delivery", "Mailbox", "Calendar"]),
}

AGENTS = [
    # username, first, last, teams
    ("agent", "Alex", "Morgan", ["Service Desk", "Workplace Engineering"]),
    ("priya.shah", "Priya", "Shah", ["Service Desk"]),
    ("tomasz.nowak", "Tomasz", "Nowak", ["Network Operations"]),
    ("lena.fischer", "Lena", "Fischer", ["Identity & Access", "Service Desk"]),
    ("omar.haddad", "Omar", "Haddad", ["Business Applications"]),
    ("grace.kim", "Grace", "Kim", ["Infrastructure", "Network Operations"]),
]

REQUESTERS = [
    ("requester", "Robin", "Taylor", 0),
    ("anna.kowalska", "Anna", "Kowalska", 0),
    ("james.okafor", "James", "Okafor", 1),
    ("maria.garcia", "Maria", "Garcia", 1),
    ("chen.wei", "Wei", "Chen", 2),
    ("sofia.rossi", "Sofia", "Rossi", 2),
    ("david.levi", "David", "Levi", 0),
    ("emma.brown", "Emma", "Brown", 1),
]

PROBLEMS = [
    (
        "Email",
        "Email",
        "Delivery",
        "Emails to external customers bounce with 550 error",
        "Since this morning every mail to customers comes back with 'recipient rejected'.",
    ),
    (
        "Email",
        "Email",
        "Mailbox",
        "Outlook keeps asking for my password",
        "Outlook pops up a sign-in window every few minutes, even after I enter the password.",
    ),
    (
        "Email",
        "Email",
        "Calendar",
        "Shared calendar not showing new meetings",
        "The team calendar stopped updating yesterday afternoon.",
    ),
    (
        "VPN",
        "Network",
        "VPN",
        "VPN disconnects every 10 minutes",
        "Working from home; the VPN drops and reconnects constantly, killing my RDP sessions.",
    ),
    (
        "VPN",
        "Network",
        "VPN",
        "Cannot connect to VPN: certificate error",
        "The client says the server certificate is not trusted.",
    ),
    (
        "Wi-Fi",
        "Network",
        "Wi-Fi",
        "No Wi-Fi on the third floor",
        "Nobody in the east wing of floor 3 can connect to the office Wi-Fi.",
    ),
    (
        "Wi-Fi",
        "Network",
        "Wi-Fi",
        "Wi-Fi very slow in meeting room Atlas",
        "Video calls freeze in Atlas; other rooms are fine.",
    ),
    (
        "Laptops",
        "Hardware",
        "Laptop",
        "Laptop does not start after update",
        "After last night's update the laptop shows a black screen with a blinking cursor.",
    ),
    (
        "Laptops",
        "Hardware",
        "Monitor",
        "External monitor not detected on docking station",
        "The second screen stays black when I dock the laptop.",
    ),
    (
        "Laptops",
        "Software",
        "Installation",
        "Need Visio installed",
        "I need Visio for a process mapping project starting Monday.",
    ),
    (
        "ERP",
        "Software",
        "Crash or error",
        "ERP shows 'posting period closed' for open period",
        "Cannot post invoices for this month; the error says the period is closed.",
    ),
    (
        "ERP",
        "Software",
        "Crash or error",
        "Purchase order approval screen times out",
        "Approving a PO takes minutes and then fails with a timeout.",
    ),
    (
        "CRM",
        "Software",
        "Crash or error",
        "CRM search returns no results",
        "Searching customers by name returns nothing, even for customers I opened yesterday.",
    ),
    (
        "CRM",
        "Access",
        "Permissions",
        "Cannot see accounts of my new region",
        "I moved to the DACH sales team and cannot see its accounts.",
    ),
    (
        "Single sign-on",
        "Access",
        "Account locked",
        "Account locked after password change",
        "I changed my password and now my account is locked.",
    ),
    (
        "Single sign-on",
        "Access",
        "Password reset",
        "Forgot password, cannot receive MFA code",
        "My new phone does not get the MFA push.",
    ),
    (
        "Printing",
        "Hardware",
        "Printer",
        "HQ floor 2 printer jams on every job",
        "The printer near the kitchen jams on every print job.",
    ),
    (
        "Printing",
        "Hardware",
        "Printer",
        "Cannot add the printer on my laptop",
        "The printer does not appear in the list of available printers.",
    ),
    (
        "File shares",
        "Access",
        "Permissions",
        "Access denied to the Finance share",
        "I get 'access denied' on \\\\fs-01\\finance since this morning.",
    ),
    (
        "File shares",
        None,
        None,
        "Shared drive very slow to open files",
        "Opening any Excel file from the shared drive takes over a minute.",
    ),
]

WORK_NOTES = [
    "Checked the logs; the error started after last night's change window.",
    "Reproduced on a test account. Collecting traces.",
    "Vendor ticket opened, reference VND-{n}.",
    "Restarted the service on the secondary node; monitoring.",
    "@{peer} can you have a look at the firewall rules for this?",
]
COMMENTS = [
    "Thanks for reporting this. We are looking into it and will update you shortly.",
    "Could you tell us when exactly this started and whether colleagues see the same?",
    "We found the cause and are applying a fix now.",
]
CALLER_REPLIES = [
    "It started around 9:15, my colleagues have the same problem.",
    "Here is a screenshot of the error. It happens every time.",
    "Yes, restarting did not help.",
]
RESOLUTIONS = [
    (ResolutionCode.FIXED, "Replaced the expired certificate on the gateway and restarted the service."),
    (ResolutionCode.CONFIGURATION, "Corrected the permission group membership; access works again."),
    (ResolutionCode.WORKAROUND, "Provided a workaround: use the web client until the vendor ships a fix."),
    (ResolutionCode.USER_ERROR, "Walked the caller through the settings; it works now."),
    (ResolutionCode.VENDOR, "The vendor fixed the fault on their side; confirmed working."),
]


def seed(*, password: str, stdout=None, incidents: int = 300, rng: random.Random | None = None) -> dict:
    """Creates the catalog, the demo users (agent, manager, requester, admin and colleagues) and demo incidents."""
    rng = rng or random.Random(20261127)
    with outbox.suppressed():
        catalog = seed_catalog(password=password)
        created = seed_incidents(catalog, count=incidents, rng=rng)
    if stdout is not None:
        stdout.write(f"Demo catalog ready; {created} incidents created.")
    return catalog


@transaction.atomic
def seed_catalog(*, password: str) -> dict:
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    orgs = [
        Organization.objects.get_or_create(name=name, defaults={"email_domain": domain})[0]
        for name, domain in ORGANIZATIONS
    ]
    teams = {
        name: Team.objects.get_or_create(name=name, defaults={"email": email})[0] for name, (email, _) in TEAMS.items()
    }
    for name, (_, escalation) in TEAMS.items():
        if escalation and teams[name].escalation_team_id is None:
            teams[name].escalation_team = teams[escalation]
            teams[name].save(update_fields=["escalation_team"])
    services = {}
    for name, (portal_name, owner, cis) in SERVICES.items():
        service = Service.objects.get_or_create(
            name=name, defaults={"portal_name": portal_name, "owner_team": teams[owner]}
        )[0]
        services[name] = service
        for ci in cis:
            ConfigurationItem.objects.get_or_create(service=service, name=ci, defaults={"owner_team": teams[owner]})
    categories = {}
    for name, (team, subs) in CATEGORIES.items():
        parent = Category.objects.get_or_create(
            name=name, parent=None, defaults={"default_team": teams[team] if team else None}
        )[0]
        categories[(name, None)] = parent
        for sub in subs:
            categories[(name, sub)] = Category.objects.get_or_create(name=sub, parent=parent)[0]

    def person(username, first, last, *, role, org=None, staff=False, superuser=False):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@{(org.email_domain if org else 'itsm.example')}",
                "organization": org,
                "is_staff": staff,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(groups[role])
        return user

    agents = []
    for username, first, last, team_names in AGENTS:
        agent = person(username, first, last, role=Role.AGENT)
        for team_name in team_names:
            teams[team_name].members.add(agent)
        agents.append(agent)
    manager = person("manager", "Morgan", "Lee", role=Role.MANAGER, staff=True)
    for team in teams.values():
        team.members.add(manager)
        if team.manager_id is None:
            team.manager = manager
            team.save(update_fields=["manager"])
    admin = person("admin", "Ada", "Admin", role=Role.ADMIN, staff=True, superuser=True)
    requesters = [person(u, f, la, role=Role.REQUESTER, org=orgs[o]) for u, f, la, o in REQUESTERS]
    contact = requesters[1]
    if not contact.is_org_contact:
        contact.is_org_contact = True
        contact.save(update_fields=["is_org_contact"])
    return {
        "orgs": orgs,
        "teams": teams,
        "services": services,
        "categories": categories,
        "agents": agents,
        "manager": manager,
        "admin": admin,
        "requesters": requesters,
    }


@transaction.atomic
def seed_incidents(catalog: dict, *, count: int, rng: random.Random) -> int:
    requesters = catalog["requesters"]
    if Incident.objects.filter(caller__in=requesters).exists():
        return 0
    now = timezone.now()
    created = 0
    for index in range(count):
        # Older incidents are mostly closed; the last few days hold the open work.
        age = (
            timedelta(minutes=rng.randint(10, 90 * 24 * 60))
            if index % 5
            else timedelta(minutes=rng.randint(5, 72 * 60))
        )
        _one_incident(catalog, rng, start=now - age, now=now, index=index)
        created += 1
    lifecycle.incidents_auto_close(now=now)
    return created


def _one_incident(catalog: dict, rng: random.Random, *, start, now, index: int) -> None:
    service_name, cat, sub, title, text = rng.choice(PROBLEMS)
    caller = rng.choice(catalog["requesters"])
    service = catalog["services"][service_name]
    category = catalog["categories"].get((cat, sub)) if cat else None
    impact = rng.choices(Level.values, weights=[1, 3, 6])[0]
    urgency = rng.choices(Level.values, weights=[2, 4, 4])[0]
    channel = rng.choices(Channel.values, weights=[4, 4, 3, 1, 1])[0]
    agents = catalog["agents"]
    creator = rng.choice(agents) if channel == Channel.AGENT else None
    incident = lifecycle.incident_create(
        actor=creator,
        caller=caller,
        short_description=title,
        description=text,
        channel=channel,
        service=service,
        category=category,
        impact=impact,
        urgency=urgency,
        at=start,
    )
    clock = start
    horizon = now - clock

    def step(max_minutes: int):
        nonlocal clock
        gap = timedelta(minutes=rng.randint(2, max_minutes))
        if clock + gap >= now:
            return None
        clock += gap
        return clock

    team = incident.assigned_team
    members = list(team.members.filter(groups__name=Role.AGENT)) if team else []
    agent = rng.choice(members or agents)
    if horizon < timedelta(minutes=20) or rng.random() < 0.08:
        return  # still new, untouched
    if (at := step(90)) is None:
        return
    lifecycle.incident_assign(incident=incident, actor=agent, team=team if members else None, assignee=agent, at=at)
    if (at := step(60)) is None:
        return
    lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.IN_PROGRESS, at=at)
    if (at := step(120)) is not None:
        lifecycle.incident_comment(incident=incident, actor=agent, body=rng.choice(COMMENTS), public=True, at=at)
    if (at := step(120)) is not None:
        peer = rng.choice(agents)
        note = rng.choice(WORK_NOTES).format(n=rng.randint(1000, 9999), peer=peer.username)
        lifecycle.incident_comment(incident=incident, actor=agent, body=note, public=False, at=at)
    if rng.random() < 0.3 and (at := step(240)) is not None:
        lifecycle.incident_transition(
            incident=incident,
            actor=agent,
            to_state=State.ON_HOLD,
            on_hold_reason=OnHoldReason.AWAITING_CALLER,
            reason="Waiting for the caller's details.",
            at=at,
        )
        if (at := step(24 * 60)) is None:
            return
        lifecycle.incident_comment(incident=incident, actor=caller, body=rng.choice(CALLER_REPLIES), public=True, at=at)
    escalatable = incident.assigned_team is not None and incident.assigned_team.escalation_team_id is not None
    if escalatable and rng.random() < 0.1 and (at := step(8 * 60)) is not None:
        team = lifecycle.incident_escalate(
            incident=incident, actor=agent, reason="Needs second-line expertise.", at=at
        ).assigned_team
        escalated = list(team.members.filter(groups__name=Role.AGENT)) if team else []
        if escalated and (at := step(60)) is not None:
            agent = rng.choice(escalated)
            lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent, at=at)
    if (at := step(2 * 24 * 60)) is None:
        return
    code, notes = rng.choice(RESOLUTIONS)
    lifecycle.incident_transition(
        incident=incident, actor=agent, to_state=State.RESOLVED, resolution_code=code, resolution_notes=notes, at=at
    )
    if rng.random() < 0.06 and (at := step(24 * 60)) is not None:
        lifecycle.incident_reopen(incident=incident, actor=caller, reason="Still broken after restarting.", at=at)
        return
    if rng.random() < 0.5 and (at := step(24 * 60)) is not None:
        lifecycle.incident_rate(
            incident=incident, actor=caller, score=rng.choices([5, 4, 3, 2, 1], weights=[50, 25, 12, 8, 5])[0]
        )
