"""The self-service portal, for requesters (mounted at /portal/)."""

from django.urls import path

from incidents.portal.views import pages, tickets

app_name = "portal"

urlpatterns = [
    path("", pages.home, name="home"),
    path("search/", pages.search, name="search"),
    path("report/", pages.report, name="report"),
    path("report/suggest/", pages.report_suggest, name="report-suggest"),
    path("report/open/", pages.suggestion_open, name="suggestion-open"),
    path("report/done/<str:number>/", pages.report_done, name="report-done"),
    path("status/<str:number>/", pages.outage, name="outage"),
    path("status/<str:number>/me-too/", pages.outage_join, name="outage-join"),
    path("preferences/", pages.preferences_page, name="preferences"),
    path("incidents/", tickets.ticket_list, name="tickets"),
    path("incidents/<str:number>/", tickets.ticket, name="ticket"),
    path("incidents/<str:number>/reply/", tickets.ticket_reply, name="ticket-reply"),
    path("incidents/<str:number>/cancel/", tickets.ticket_cancel, name="ticket-cancel"),
    path("incidents/<str:number>/confirm/", tickets.ticket_confirm, name="ticket-confirm"),
    path("incidents/<str:number>/reopen/", tickets.ticket_reopen, name="ticket-reopen"),
    path("incidents/<str:number>/rate/", tickets.ticket_rate, name="ticket-rate"),
    path("incidents/<str:number>/files/<int:pk>/", tickets.ticket_file, name="ticket-file"),
]
