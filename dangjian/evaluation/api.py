from ninja import Router

router = Router(tags=["服务评价与改进"])
