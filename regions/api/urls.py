from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("regions/provinces", views.ProvinceViewSet, basename="province")
router.register("regions/regencies", views.RegencyViewSet, basename="regency")
router.register("regions/districts", views.DistrictViewSet, basename="district")
router.register("regions/villages", views.VillageViewSet, basename="village")

urlpatterns = router.urls
