from ninja import Router

router = Router(tags=["示范引领"])
