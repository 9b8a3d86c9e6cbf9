"""Every enumerated value of the knowledge app, in one place."""

from django.db import models


class ArticleState(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class VersionStatus(models.TextChoices):
    """A version is worked on (draft, in review) until a reviewer publishes it; then it never changes again."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    DISCARDED = "discarded", "Discarded"


class Audience(models.TextChoices):
    PUBLIC = "public", "Everyone (portal)"
    INTERNAL = "internal", "Agents only"


class Decision(models.TextChoices):
    APPROVED = "approved", "Approved and published"
    REJECTED = "rejected", "Sent back for changes"
    RETIRED = "retired", "Retired"
    REVIEWED = "reviewed", "Confirmed still accurate"


REVIEWER_GROUP = "knowledge_reviewer"
