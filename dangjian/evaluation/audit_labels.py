from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="evaluation.",
    label="服务评价与改进",
    actions={
        "evaluation.item.create": "新建服务项目",
        "evaluation.item.update": "修改服务项目",
        "evaluation.delivery.record": "登记服务提供",
        "evaluation.survey.answer": "提交满意度评价",
        "evaluation.questionnaire.open": "发起投票问卷",
        "evaluation.questionnaire.vote": "参与投票问卷",
        "evaluation.rectification.create": "制定整改措施",
        "evaluation.rectification.progress": "填写整改进展",
        "evaluation.rectification.start": "开始整改",
        "evaluation.rectification.submit": "整改提交验证",
        "evaluation.rectification.approve": "整改验证通过并办结",
        "evaluation.rectification.return": "整改验证退回",
    },
)
