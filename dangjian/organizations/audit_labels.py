from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="organizations.",
    label="党组织",
    actions={
        "organizations.organization.create": "新建党组织",
        "organizations.organization.update": "修改党组织",
        "organizations.committee.add": "增补班子成员",
        "organizations.committee.remove": "移出班子成员",
        "organizations.alliance.create": "新建党建联盟",
        "organizations.alliance.update": "修改党建联盟",
        "organizations.agreement.create": "新建联学共建协议",
        "organizations.agreement.update": "修改联学共建协议",
        "organizations.term.replace": "换届：更换班子和任期",
    },
)
