from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="forum.",
    label="互动交流",
    actions={
        "forum.topic.create": "发布主题",
        "forum.reply.create": "发布回复",
        "forum.question.answer": "采纳指导员答复",
        "forum.report.create": "举报帖子",
        "forum.moderate.hide": "屏蔽帖子",
        "forum.moderate.unhide": "取消屏蔽帖子",
        "forum.moderate.lock": "锁定主题",
        "forum.moderate.unlock": "解除锁定主题",
        "forum.moderate.pin": "置顶主题",
        "forum.moderate.unpin": "取消置顶主题",
        "forum.moderate.approve": "帖子审核通过",
        "forum.moderate.reject": "帖子审核不通过",
        "forum.moderate.dismiss_report": "驳回举报",
    },
)
