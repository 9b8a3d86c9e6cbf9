"""Routes of the knowledge base under /knowledge/."""

from django.urls import path

from knowledge.views import articles, editing, fragments

app_name = "knowledge"

urlpatterns = [
    path("", articles.home, name="home"),
    path("review/", editing.review_queue, name="review-queue"),
    path("panel/", fragments.panel, name="panel"),
    path("suggest/", fragments.suggest, name="suggest"),
    path("preview/", editing.preview, name="preview"),
    path("articles/new/", editing.article_new, name="article-new"),
    path("articles/<int:pk>/solved/", fragments.solved, name="article-solved"),
    path("articles/<slug:slug>/", articles.article_detail, name="article"),
    path("articles/<slug:slug>/feedback/", articles.article_feedback, name="article-feedback"),
    path("articles/<slug:slug>/history/", articles.article_history, name="article-history"),
    path("articles/<slug:slug>/versions/<int:number>/", articles.article_version, name="article-version"),
    path("articles/<slug:slug>/diff/", articles.article_diff, name="article-diff"),
    path("articles/<slug:slug>/edit/", editing.article_edit, name="article-edit"),
    path("articles/<slug:slug>/submit/", editing.article_submit, name="article-submit"),
    path("articles/<slug:slug>/review/", editing.article_review, name="article-review"),
    path("articles/<slug:slug>/retire/", editing.article_retire, name="article-retire"),
    path("articles/<slug:slug>/confirm/", editing.article_confirm, name="article-confirm"),
    path("articles/<slug:slug>/discard/", editing.article_discard, name="article-discard"),
    path("articles/<slug:slug>/delete/", editing.article_delete, name="article-delete"),
]
