from ninja import Router

router = Router(tags=["意见反馈与投诉"])
