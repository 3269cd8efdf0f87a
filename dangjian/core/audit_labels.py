from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="core.",
    label="平台",
    actions={"core.word_lists_published": "发布敏感词表"},
)
