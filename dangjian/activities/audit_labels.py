from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="activities.",
    label="活动与组织生活",
    actions={
        "activities.activity.create": "创建活动",
        "activities.activity.update": "修改活动",
        "activities.activity.publish": "发布活动",
        "activities.activity.cancel": "取消活动",
        "activities.registration.create": "活动报名",
        "activities.registration.cancel": "取消活动报名",
        "activities.offer.send": "发出候补名额",
        "activities.offer.accept": "确认候补名额",
        "activities.offer.decline": "放弃候补名额",
        "activities.offer.expire": "候补名额过期",
        "activities.leave.request": "活动请假",
        "activities.leave.decide": "审批活动请假",
        "activities.theme.set": "设定月度主题",
        "activities.plan.submit": "报送年度工作计划",
        "activities.record.file": "提交活动台账",
    },
)
