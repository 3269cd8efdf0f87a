from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="honors.",
    label="示范引领",
    actions={
        "honors.nomination.create": "新建评先评优推荐",
        "honors.nomination.update": "修改评先评优推荐",
        "honors.nomination.submit": "提交评先评优推荐",
        "honors.nomination.approve": "审核通过评先评优推荐",
        "honors.nomination.return": "退回评先评优推荐",
        "honors.nomination.award": "授予荣誉",
        "honors.nomination.reject": "不予授予荣誉",
        "honors.publicity.create": "登记宣传报道",
        "honors.event.create": "登记示范活动",
    },
)
