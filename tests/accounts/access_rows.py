"""Access-matrix rows of password recovery (忘记密码); the people pages' rows are
`tests/people/access_rows.py`."""

from __future__ import annotations

from tests.access import NOT_ALLOWED, PUBLIC, Row, everyone

ROWS: dict[str, Row] = {
    # 忘记密码: open to everyone; the answers never tell whether an address or a mobile is registered
    "accounts:password_reset": Row(
        get=PUBLIC, post=everyone(302), post_data=lambda w: {"email": "nobody@example.cn"}
    ),
    "accounts:password_reset_done": Row(get=PUBLIC, post=NOT_ALLOWED),
    "accounts:password_reset_confirm": Row(
        get=PUBLIC, post=PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "wrong-token"}
    ),
    "accounts:password_reset_complete": Row(get=PUBLIC, post=NOT_ALLOWED),
    "accounts:sms_login": Row(get=PUBLIC, post=PUBLIC),
    "accounts:sms_reset": Row(get=PUBLIC, post=PUBLIC),
}
