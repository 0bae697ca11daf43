"""Writes on users: creation, changes (optimistic locking), passwords and API tokens."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from welfare.concurrency import check_version

from .access import Action, Domain, Role, require
from .models import User

USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "role",
    "bidang",
    "district",
    "nip",
    "position",
    "phone",
    "is_active",
)


@transaction.atomic
def user_create(*, actor, username: str, password: str | None, **fields: Any) -> User:
    require(actor, Domain.ADMIN, Action.ADD)
    user = User(username=username)
    for name, value in fields.items():
        if name not in USER_FIELDS:
            raise ValueError(f"unknown user field {name!r}")
        setattr(user, name, value)
    if password:
        try:
            validate_password(password, user)
        except ValidationError as exc:  # shown on the password field, not above the form
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user._history_user = actor
    user.save()
    return user


@transaction.atomic
def user_update(*, actor, user: User, version: int | None, **fields: Any) -> User:
    require(actor, Domain.ADMIN, Action.CHANGE)
    check_version(user, version)
    for name, value in fields.items():
        if name not in USER_FIELDS:
            raise ValueError(f"unknown user field {name!r}")
        setattr(user, name, value)
    user.full_clean()
    user._history_user = actor
    user.save()
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    if actor.pk != user.pk:
        require(actor, Domain.ADMIN, Action.CHANGE)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def api_token_rotate(*, actor, user: User) -> str:
    """Issue a new API token for ``user`` (the old one stops working). Returns the key, which
    is shown once."""
    require(actor, Domain.ADMIN, Action.CHANGE)
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


@transaction.atomic
def tksk_scope_set(*, actor, user: User, district, is_active: bool = True) -> User:
    """Set the kecamatan (the access scope) of a TKSK account, and whether it may log in.

    Called by ``fieldwork.services`` in the transaction that starts or ends a TKSK assignment,
    so that the account's scope always follows the active assignment; the caller has checked
    its own permission to assign."""
    if user.role != Role.TKSK:
        raise ValueError("only a TKSK account has a kecamatan")
    user.district = district
    user.is_active = is_active
    user.version += 1
    user.full_clean()
    user._history_user = actor
    user.save()
    return user
