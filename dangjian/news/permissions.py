"""Who may do what with articles (DB3212/T 1124 §5.5: workers publish, instructors review)."""

from typing import Any

import rules

from dangjian.accounts.permissions import (
    is_any_instructor,
    is_any_station_admin,
    is_any_worker,
    is_hq_admin,
    is_instructor_at,
    is_station_admin_of,
    is_worker_of,
    station_id_of,
)
from dangjian.accounts.permissions import is_hq_instructor as holds_instructor_role_at_hq


@rules.predicate
def is_hq_instructor(user: Any, article: Any) -> bool:
    """Recommendations from branches are decided by HQ's own instructors."""
    return holds_instructor_role_at_hq(user) and station_id_of(article) is not None


can_write = is_station_admin_of | is_worker_of

rules.add_perm("news.enter", is_any_station_admin | is_any_worker | is_any_instructor)
rules.add_perm("news.add_article", can_write)  # obj: the station
rules.add_perm("news.change_article", can_write)  # obj: the article
rules.add_perm("news.submit_article", can_write)
rules.add_perm("news.review_article", is_instructor_at)
rules.add_perm("news.withdraw_article", can_write | is_instructor_at)
rules.add_perm("news.archive_article", can_write)
rules.add_perm("news.recommend_article", can_write)
rules.add_perm("news.decide_recommendation", is_hq_instructor)
rules.add_perm("news.hide_synced", can_write)  # obj: the station hiding an HQ article
rules.add_perm("news.view_synced", is_any_station_admin | is_any_worker)  # the 总站同步 page at all
rules.add_perm("news.manage_columns", is_hq_admin)
