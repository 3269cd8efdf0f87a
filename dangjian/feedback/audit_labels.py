from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="feedback.",
    label="意见反馈与投诉",
    actions={
        "feedback.submit": "提交意见反馈",
        "feedback.enter": "代录纸质意见",
        "feedback.assign": "分派意见反馈",
        "feedback.start": "开始办理意见反馈",
        "feedback.reply": "答复意见反馈",
        "feedback.decide": "认定投诉有效性",
        "feedback.close": "办结意见反馈",
        "feedback.rate": "评价意见反馈办理",
        "feedback.confirm": "确认意见反馈已解决",
        "feedback.reopen": "重新办理意见反馈",
        "feedback.escalate_station": "逾期提醒站点管理员",
        "feedback.escalate_hq": "逾期报总站督办",
    },
)
