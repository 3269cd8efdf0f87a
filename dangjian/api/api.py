from ninja import NinjaAPI

api = NinjaAPI(title="楼宇党建共享平台 API", version="1", urls_namespace="api")
