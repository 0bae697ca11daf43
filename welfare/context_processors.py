from django.utils.functional import SimpleLazyObject

from accounts.access import can_view_personal


def shell(request):
    """What the page layout needs: the agency, the navigation for this user's role."""
    from welfare.navigation import navigation_for
    from welfare.selectors import agency_get

    user = getattr(request, "user", None)
    return {
        "agency": SimpleLazyObject(agency_get),
        "navigation": SimpleLazyObject(lambda: navigation_for(user, request.path)),
        "can_view_personal": SimpleLazyObject(lambda: can_view_personal(user)),
    }
