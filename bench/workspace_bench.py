"""Agent workspace benchmark: queue pages (default, filtered, deep) and a 200-entry incident page under gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itsm_ws .venv/bin/python bench/workspace_bench.py --size 10000

Loads incidents up to --size with incidents.bulkload (COPY) when the database holds fewer, collects static files,
starts gunicorn on 127.0.0.1, signs in through the login form (session cookie), then sends --requests requests per
page from --concurrency client threads and prints p50/p95/max latency per page. Latency is measured by the client
on the loopback interface, so it is an upper bound of the server time. The target is p95 < 200 ms on every page.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402

from incidents import bulkload, lifecycle, outbox  # noqa: E402
from incidents.choices import Role, State  # noqa: E402
from incidents.models import Incident, Team, User  # noqa: E402

PASSWORD = "bench-workspace-pass-1"
MARKER = "Bench: incident with 200 timeline entries"
TARGET_MS = 200.0


def ensure_data(size: int) -> None:
    count = Incident.objects.count()
    if count >= size:
        print(f"database holds {count:,} incidents (>= {size:,}); nothing to load")
        return
    if not Team.objects.exists():
        from incidents import demo

        with outbox.suppressed():
            demo.seed_catalog(password=PASSWORD)
    started = time.perf_counter()
    rate = bulkload.generate(size - count)
    print(f"loaded {size - count:,} incidents in {time.perf_counter() - started:.1f} s ({rate:,.0f}/s)")
    with django.db.connection.cursor() as cursor:
        cursor.execute("ANALYZE incidents_incident; ANALYZE incidents_timelineentry;")


def ensure_agent() -> tuple[User, Team]:
    agent, _ = User.objects.get_or_create(
        username="bench.agent", defaults={"first_name": "Bench", "last_name": "Agent", "email": "bench@itsm.example"}
    )
    agent.set_password(PASSWORD)
    agent.save()
    agent.groups.add(Group.objects.get_or_create(name=Role.AGENT)[0])
    team = Team.objects.annotate(n=django.db.models.Count("incidents")).order_by("-n").first()
    team.members.add(agent)
    return agent, team


def ensure_busy_incident(agent: User, team: Team) -> Incident:
    existing = Incident.objects.filter(short_description=MARKER).first()
    if existing is not None:
        return existing
    caller = User.objects.filter(groups__name=Role.REQUESTER).first() or agent
    with outbox.suppressed():
        incident = lifecycle.incident_create(
            actor=agent, caller=caller, short_description=MARKER, assigned_team=team, impact="high", urgency="medium"
        )
        lifecycle.incident_assign(incident=incident, actor=agent, assignee=agent)
        lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.IN_PROGRESS)
        for index in range(66):
            lifecycle.incident_comment(
                incident=incident,
                actor=agent,
                body=f"Work note {index}: checked **logs** on node {index}.",
                public=False,
            )
            lifecycle.incident_comment(
                incident=incident, actor=caller, body=f"Reply {index} from the caller with some detail.", public=True
            )
            lifecycle.incident_update(
                incident=incident, actor=agent, changes={"urgency": "high" if index % 2 == 0 else "medium"}
            )
    print(f"created {incident.number} with {incident.timeline.count()} timeline entries")
    return incident


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    static_root = Path(tempfile.gettempdir()) / "itsm_bench_static"
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "workspace_bench_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = open(Path(tempfile.gettempdir()) / "itsm_bench_gunicorn.log", "w")  # noqa: SIM115 - lives as long as gunicorn
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}; see {log.name}")
        try:
            requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=10)
            return process
        except requests.RequestException:
            time.sleep(0.1)
    os.killpg(process.pid, signal.SIGTERM)
    raise SystemExit(f"gunicorn did not start; see {log.name}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sign_in(base: str) -> dict:
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": "bench.agent", "password": PASSWORD, "next": "/incidents/"},
        headers={"Referer": f"{base}/accounts/login/"},
        allow_redirects=False,
    )
    if response.status_code != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"sign-in failed: {response.status_code}")
    return session.cookies.get_dict()


def deep_cursor(base: str, cookies: dict, pages: int) -> str:
    """Follows the queue's 'more' link `pages` times and returns that page's query string."""
    query = "view=open"
    for _ in range(pages):
        html = requests.get(f"{base}/incidents/?{query}", cookies=cookies).text
        match = re.search(r'<tr class="more" data-more><td colspan="10"><a href="\?([^"]+)"', html)
        if not match:
            break
        query = match.group(1).replace("&amp;", "&")
    return query


def measure(base: str, cookies: dict, path: str, count: int, concurrency: int) -> list[float]:
    def one(_):
        started = time.perf_counter()
        response = requests.get(f"{base}{path}", cookies=cookies, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        return elapsed

    for _ in range(5):
        one(None)  # warm-up: connections, caches
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, range(count)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="incidents in the database (loaded if fewer)")
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    args = parser.parse_args()

    ensure_data(args.size)
    agent, team = ensure_agent()
    busy = ensure_busy_incident(agent, team)
    django.db.connections.close_all()

    port = args.port or free_port()
    process = start_gunicorn(port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        cookies = sign_in(base)
        pages = {
            "queue: default view (all open)": "/incidents/",
            "queue: my open incidents": "/incidents/?view=mine",
            "queue: unassigned in my teams": "/incidents/?view=unassigned",
            f"queue: team {team.name}, in progress, P2-P3": f"/incidents/?team={team.pk}&state=in_progress&priority=2&priority=3",
            "queue: all states by priority": "/incidents/?state=new&state=in_progress&state=on_hold&state=resolved&state=closed&sort=priority",
            "queue: text search 'vpn'": "/incidents/?q=vpn",
            "queue: page 20 (keyset cursor)": "/incidents/?" + deep_cursor(base, cookies, 20),
            "queue: polling fragment (htmx)": "/incidents/?view=open&fragment=rows&size=50",
            f"incident page: {busy.number} ({busy.timeline.count()} timeline entries)": f"/incidents/{busy.number}/",
        }
        print(
            f"\n{Incident.objects.count():,} incidents; {args.requests} requests per page, {args.concurrency} clients, "
            f"{args.workers} gunicorn workers\n"
        )
        print(f"{'page':<62} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}")
        worst = 0.0
        for label, path in pages.items():
            started = time.perf_counter()
            timings = measure(base, cookies, path, args.requests, args.concurrency)
            wall = time.perf_counter() - started
            p95 = statistics.quantiles(timings, n=20)[18]
            worst = max(worst, p95)
            flag = "" if p95 < TARGET_MS else "  << over target"
            print(
                f"{label:<62} {statistics.median(timings):8.1f} {p95:8.1f} {max(timings):8.1f} {len(timings) / wall:7.1f}{flag}"
            )
        print(f"\nworst p95: {worst:.1f} ms (target < {TARGET_MS:.0f} ms): {'PASS' if worst < TARGET_MS else 'FAIL'}")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
