from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="courseware.",
    label="课件分享",
    actions={
        "courseware.courseware.create": "上传课件",
        "courseware.courseware.update": "修改课件信息",
        "courseware.version.add": "上传课件新版本",
        "courseware.courseware.submit": "课件提交审核",
        "courseware.courseware.approve": "课件审核通过",
        "courseware.courseware.return": "课件退回修改",
        "courseware.courseware.withdraw": "撤回课件",
        "courseware.courseware.delete": "删除课件草稿",
    },
)
