from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="dues.",
    label="党费收缴",
    actions={
        "dues.setting.update": "修改党费设置",
        "dues.declaration.create": "申报收入基数",
        "dues.declaration.update": "修改收入基数",
        "dues.relief.approve": "批准困难减免",
        "dues.sheet.generate": "生成收缴表",
        "dues.sheet.close": "收缴表结账",
        "dues.payment.record": "登记现金或转账缴费",
        "dues.order.create": "发起在线缴费",
        "dues.order.cancel": "取消在线缴费订单",
        "dues.order.expire": "在线缴费订单超时关闭",
        "dues.payment.online": "在线缴费到账",
        "dues.callback.refused": "拒绝支付回调",
    },
)
