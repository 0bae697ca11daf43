from django.db.models import QuerySet

from .access import Action, restrict
from .models import Bidang, User


def user_list(*, user, search: str | None = None, role: str | None = None) -> QuerySet[User]:
    queryset = User.objects.select_related("bidang", "district").order_by("username")
    if search:
        from django.db.models import Q

        queryset = queryset.filter(
            Q(username__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    if role:
        queryset = queryset.filter(role=role)
    return restrict(queryset, user, Action.VIEW)


def bidang_list() -> QuerySet[Bidang]:
    return Bidang.objects.all()
