from reporting.models.facts import IncidentFact
from reporting.models.reviews import ActionItem, PostIncidentReview, ReviewHighlight, ReviewNote
from reporting.models.rollups import IncidentCategoryDailyRollup, IncidentDailyRollup, RollupState, SlaDailyRollup
from reporting.models.subscriptions import ReportSubscription

__all__ = [
    "ActionItem",
    "IncidentCategoryDailyRollup",
    "IncidentDailyRollup",
    "IncidentFact",
    "PostIncidentReview",
    "ReportSubscription",
    "ReviewHighlight",
    "ReviewNote",
    "RollupState",
    "SlaDailyRollup",
]
