from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="development.",
    label="发展党员",
    actions={
        "development.candidate.create": "登记入党申请",
        "development.candidate.refuse": "终止培养（未予发展）",
        "development.candidate.withdraw": "终止培养（本人撤回）",
        "development.candidate.full_member": "转为正式党员",
        "development.person.assign": "指定培养联系人或入党介绍人",
        "development.person.remove": "撤销培养联系人或入党介绍人",
        "development.step.complete": "办理发展步骤",
        "development.step.refused": "发展步骤不符合规定被拒绝",
        "development.stage.advance": "进入下一阶段",
        "development.report.file": "填写考察或思想汇报",
        "development.reminder.send": "发送到期提醒",
        "development.document.upload": "上传签字材料",
        "development.dossier.export": "导出发展党员档案",
    },
)
