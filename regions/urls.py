from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.district_index, name="district_list"),
    path("<str:code>/", views.district_detail, name="district_detail"),
]
