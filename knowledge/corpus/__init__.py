"""A corpus of realistic service desk articles: the demo articles and the fixture of the search-quality test.

Each entry: key (stable id used by the labelled queries), title, summary, keywords, service (incidents.Service name),
category ("Parent/Child" incidents.Category names), audience ("public" or "internal") and a Markdown body.
"""

from knowledge.corpus.access import ARTICLES as ACCESS
from knowledge.corpus.network import ARTICLES as NETWORK
from knowledge.corpus.workplace import ARTICLES as WORKPLACE

ARTICLES: list[dict] = [*ACCESS, *NETWORK, *WORKPLACE]
BY_KEY: dict[str, dict] = {article["key"]: article for article in ARTICLES}

__all__ = ["ARTICLES", "BY_KEY"]
