"""Who gets into the agent workspace: anonymous people sign in first, requesters are turned away with a 403."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from incidents.permissions import is_agent


def agent_required(view):
    """Agents, managers and admins only; everyone else is sent to sign in or told this is not their page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_agent(request.user):
            return render(request, "agent/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
