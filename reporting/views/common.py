"""What every report page shares: the manager check and the parsed filters."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.http import urlencode

from incidents.permissions import can_view_reports
from reporting import filters, series


def manager_required(view):
    """Signed-in users without the manager role get 403; anonymous visitors go to the sign-in page."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_view_reports(request.user):
            raise PermissionDenied("Reports are for managers.")
        with series.memoized():
            return view(request, *args, **kwargs)

    return wrapper


def report_filters(request):
    """(form, filters or None, query string of the valid filters)."""
    form, parsed = filters.parse(request.GET, request.user)
    query = urlencode(parsed.query()) if parsed else ""
    return form, parsed, query
