"""System checks of online dues payment (DESIGN.md: demo-only parts are off unless a setting turns them on).

- `dues.E001`: the demo gateway is turned on (`DUES_DEMO_PROVIDER`) without a usable key of its own
  (`DUES_DEMO_PROVIDER_KEY`); it then stays off, and every management command that runs checks says why.
- `dues.W001` (`check --deploy`): the demo gateway is on — no money moves through it, so a production site
  should not offer it.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register
from django.core.checks import Warning as CheckWarning

from dangjian.dues.providers import demo_key_problem, demo_requested

KEY_HINT = (
    "在 .env 或环境变量中把 DUES_DEMO_PROVIDER_KEY 设为至少 32 个字符的随机串"
    '（如 python -c "import secrets; print(secrets.token_urlsafe(48))" 的输出），或关闭 DUES_DEMO_PROVIDER。'
)


@register(Tags.security)
def check_demo_provider_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    problem = demo_key_problem() if demo_requested() else None
    if problem is None:
        return []
    return [
        Error(
            f"已开启演示支付通道（DUES_DEMO_PROVIDER），但{problem}；演示支付通道因此不可用。",
            hint=KEY_HINT,
            id="dues.E001",
        )
    ]


@register(Tags.security, deploy=True)
def check_demo_provider_off_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckWarning]:
    if not demo_requested():
        return []
    return [
        CheckWarning(
            "已开启演示支付通道（DUES_DEMO_PROVIDER）：通过它“支付”不会收到任何款项，生产环境不应开启。",
            hint="生产环境删除 DUES_DEMO_PROVIDER 或设为 0。",
            id="dues.W001",
        )
    ]
