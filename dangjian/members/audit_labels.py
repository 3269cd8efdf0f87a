from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="members.",
    label="党员管理",
    actions={
        "members.profile.create": "新增党员信息",
        "members.profile.update": "修改党员信息",
        "members.id_number.reveal": "查看完整公民身份号码",
        "members.export": "导出党员名册（打码）",
        "members.export.unmasked": "导出党员名册（完整号码）",
        "members.import": "导入党员名册",
        "members.correction.request": "党员申请更正信息",
        "members.correction.accept": "确认更正申请",
        "members.correction.reject": "不予更正",
    },
)
