from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="elections.",
    label="换届选举",
    actions={
        "elections.election.request": "提交换届请示",
        "elections.election.approve": "批复同意换届",
        "elections.election.refuse": "不予批准换届请示",
        "elections.candidates.set": "确定候选人",
        "elections.meeting.record": "记录选举大会",
        "elections.result.report": "报告选举结果",
        "elections.result.return": "退回选举结果报告",
        "elections.result.confirm": "批复选举结果",
    },
)
