"""Routes of the agent workspace (mounted at the site root)."""

from django.urls import path

from incidents.views import incident_actions, incident_page, queue, register

urlpatterns = [
    path("incidents/", queue.queue_page, name="queue"),
    path("incidents/search/", queue.search, name="incident-search"),
    path("incidents/bulk/", queue.bulk_action, name="queue-bulk"),
    path("incidents/views/", queue.saved_view_create, name="saved-view-create"),
    path("incidents/views/<int:pk>/delete/", queue.saved_view_delete, name="saved-view-delete"),
    path("incidents/new/", register.incident_new, name="incident-new"),
    path("incidents/new/callers/", register.caller_options, name="incident-new-callers"),
    path("incidents/new/cis/", register.ci_options, name="incident-new-cis"),
    path("incidents/new/subcategories/", register.subcategory_options, name="incident-new-subcategories"),
    path("incidents/new/preview/", register.preview, name="incident-new-preview"),
    path("incidents/new/similar/", register.similar, name="incident-new-similar"),
    path("incidents/new/link/", register.link_instead, name="incident-new-link"),
    path("incidents/preview/", incident_page.markdown_preview, name="markdown-preview"),
    path("incidents/<str:number>/", incident_page.incident_page, name="incident"),
    path("incidents/<str:number>/timeline/", incident_page.timeline_fragment, name="incident-timeline"),
    path("incidents/<str:number>/attachments/<int:pk>/", incident_page.attachment_download, name="incident-attachment"),
    path("incidents/<str:number>/edit/", incident_actions.edit_fields, name="incident-edit"),
    path("incidents/<str:number>/transition/", incident_actions.transition, name="incident-transition"),
    path("incidents/<str:number>/assign/", incident_actions.assign, name="incident-assign"),
    path("incidents/<str:number>/assign-to-me/", incident_actions.assign_to_me, name="incident-assign-to-me"),
    path("incidents/<str:number>/escalate/", incident_actions.escalate, name="incident-escalate"),
    path("incidents/<str:number>/major/", incident_actions.major, name="incident-major"),
    path("incidents/<str:number>/major-update/", incident_actions.major_update, name="incident-major-update"),
    path("incidents/<str:number>/link/", incident_actions.link, name="incident-link"),
    path("incidents/<str:number>/unlink/", incident_actions.unlink, name="incident-unlink"),
    path("incidents/<str:number>/watch/", incident_actions.watch, name="incident-watch"),
    path("incidents/<str:number>/comment/", incident_actions.comment, name="incident-comment"),
]
