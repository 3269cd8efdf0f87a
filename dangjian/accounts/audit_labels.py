from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="accounts.",
    label="账号与角色",
    actions={
        "accounts.login": "登录",
        "accounts.login.locked": "登录失败次数过多被锁定",
        "accounts.login.sms": "短信验证码登录",
        "accounts.password.change": "修改密码",
        "accounts.password.reset_email": "通过邮件链接重置密码",
        "accounts.password.reset_sms": "通过短信验证码重置密码",
        "accounts.sms_code.send": "发送短信验证码",
        "accounts.profile.update": "修改个人信息",
        "accounts.register": "自助注册",
        "accounts.person.create": "新增人员",
        "accounts.person.update": "修改人员信息",
        "accounts.person.reset_password": "重置密码（临时密码）",
        "accounts.person.reset_password_officer": "党组织书记、委员重置党员密码（临时密码）",
        "accounts.role.grant": "授予角色",
        "accounts.role.revoke": "撤销角色",
        "accounts.token.create": "创建接口令牌",
        "accounts.token.revoke": "撤销接口令牌",
        "accounts.token.revoke_all": "作废全部接口令牌",
    },
)
