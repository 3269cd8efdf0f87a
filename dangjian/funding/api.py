from ninja import Router

router = Router(tags=["经费管理"])
