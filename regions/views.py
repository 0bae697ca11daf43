from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.access import Action, Domain, access_object, require

from .models import District
from .selectors import district_list, home_regency, village_list


@require_safe
@login_required
def district_index(request):
    require(request.user, Domain.REGIONS, Action.VIEW)
    return render(
        request,
        "regions/district_list.html",
        {"regency": home_regency(), "districts": district_list(user=request.user)},
    )


@require_safe
@login_required
def district_detail(request, code):
    require(request.user, Domain.REGIONS, Action.VIEW)
    district = access_object(
        request.user, District.objects.select_related("regency"), Action.VIEW, code=code
    )
    return render(
        request,
        "regions/district_detail.html",
        {
            "district": district,
            "villages": village_list(user=request.user, district_code=district.code),
        },
    )
