"""The front door: agents land on their queue, requesters on the portal."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from incidents.permissions import is_agent


@login_required
def home(request):
    return redirect("/incidents/" if is_agent(request.user) else "/portal/")
