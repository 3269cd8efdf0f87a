from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="funding.",
    label="经费管理",
    actions={
        "funding.entry.record": "登记经费收支",
        "funding.entry.reverse": "冲销经费收支记录",
        "funding.voucher.add": "上传经费凭证",
        "funding.budget.set": "设置经费预算",
        "funding.ledger.export": "导出经费台账",
        "funding.report.export": "导出预算执行情况",
    },
)
