from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="disclosures.",
    label="党务公开",
    actions={
        "disclosures.disclosure.create": "新建党务公开",
        "disclosures.disclosure.update": "修改党务公开",
        "disclosures.disclosure.submit": "党务公开提交审核",
        "disclosures.disclosure.approve": "党务公开审核通过",
        "disclosures.disclosure.return": "党务公开退回修改",
        "disclosures.disclosure.withdraw": "撤回党务公开",
        "disclosures.disclosure.archive": "归档党务公开",
    },
)
