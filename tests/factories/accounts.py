"""factory_boy factories shared by the tests of every app."""

import factory
from django.contrib.auth.hashers import make_password

from accounts.access import Role
from accounts.models import Bidang, User

TEST_PASSWORD = "Uji-Coba-2026!"
_PASSWORD_HASH = None


def _password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(TEST_PASSWORD)
    return _PASSWORD_HASH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.OPERATOR
    password = factory.LazyFunction(_password_hash)
    bidang = factory.LazyAttribute(
        lambda o: (
            Bidang.objects.get(code="linjamsos")
            if o.role in (Role.OPERATOR, Role.KEPALA_BIDANG)
            else None
        )
    )
    district = None


def make_user(role: str, *, district=None, bidang_code: str | None = None, **kwargs) -> User:
    """A user of ``role``; a TKSK needs ``district`` (a District or its code)."""
    if role == Role.TKSK and district is None:
        raise ValueError("a TKSK needs a district")
    if isinstance(district, str):
        kwargs["district_id"] = district
    elif district is not None:
        kwargs["district"] = district
    if bidang_code:
        kwargs["bidang"] = Bidang.objects.get(code=bidang_code)
    return UserFactory(role=role, **kwargs)
