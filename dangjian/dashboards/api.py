from ninja import Router

router = Router(tags=["总站驾驶舱"])
