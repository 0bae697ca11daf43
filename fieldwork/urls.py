app_name = "fieldwork"

urlpatterns: list = []
