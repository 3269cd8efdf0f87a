from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="news.",
    label="信息发布",
    actions={
        "news.article.create": "创建文章草稿",
        "news.article.edit": "修改文章",
        "news.article.submit": "文章提交审核",
        "news.article.approve": "文章审核通过",
        "news.article.return": "文章退回修改",
        "news.article.withdraw": "撤回文章",
        "news.article.archive": "归档文章",
        "news.article.recommend": "推荐到总站",
        "news.article.recommend_accept": "总站采用推荐",
        "news.article.recommend_decline": "总站不采用推荐",
        "news.article.hide": "分站隐藏总站文章",
        "news.article.unhide": "分站恢复显示总站文章",
        "news.attachment.add": "上传附件",
        "news.attachment.remove": "删除附件",
        "news.body_image.add": "正文插入图片",
        "news.column.create": "新增栏目",
        "news.column.update": "修改栏目",
    },
)
