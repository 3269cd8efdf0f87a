"""The columns every platform starts with (HQ may add, rename or switch them off later)."""

from typing import Any

DEFAULT_COLUMNS = (
    # name, slug, is_notice, sort order
    ("要闻动态", "yaowen", False, 10),
    ("通知公告", "tongzhi", True, 20),
    ("政策文件", "zhengce", False, 30),
    ("学习资料", "xuexi", False, 40),
    ("支部风采", "fengcai", False, 50),
)


def ensure_default_columns(column_model: Any) -> None:
    for name, slug, is_notice, order in DEFAULT_COLUMNS:
        column_model.objects.get_or_create(
            slug=slug, defaults={"name": name, "is_notice": is_notice, "sort_order": order}
        )
