from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="dashboards.",
    label="总站驾驶舱",
    actions={
        "dashboards.goals.set": "设定达标目标",
        "dashboards.screen.save": "保存党建大屏设置",
        "dashboards.screen.delete": "删除党建大屏",
        "dashboards.figures.refresh": "重新统计驾驶舱数据",
        "dashboards.export": "导出驾驶舱数据",
    },
)
