from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="learning.",
    label="远程学习",
    actions={
        "learning.course.create": "创建课程",
        "learning.course.update": "修改课程",
        "learning.course.submit": "课程提交审核",
        "learning.course.approve": "课程审核通过",
        "learning.course.return": "课程退回修改",
        "learning.course.withdraw": "撤回课程",
        "learning.lesson.save": "保存课时",
        "learning.lesson.remove": "删除课时",
        "learning.question.save": "保存试题",
        "learning.quiz.save": "保存测验",
        "learning.course.complete": "完成课程（计入学时）",
        "learning.assignment.create": "布置学习任务",
    },
)
