"""Role flags every template can use to show or hide navigation."""

from incidents import permissions


def roles(request):
    user = getattr(request, "user", None)
    return {
        "is_agent": permissions.is_agent(user),
        "is_manager": permissions.is_manager(user),
        "is_requester": permissions.is_requester(user),
    }
