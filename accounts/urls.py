from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("pengguna/", views.user_index, name="user_list"),
    path("pengguna/tambah/", views.user_add, name="user_add"),
    path("pengguna/<int:pk>/", views.user_edit, name="user_edit"),
    path("pengguna/<int:pk>/token/", views.user_token, name="user_token"),
]
