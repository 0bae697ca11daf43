"""factory_boy factories, one module per app (``tests/factories/<app>.py``)."""

from .accounts import TEST_PASSWORD, UserFactory, make_user

__all__ = ["TEST_PASSWORD", "UserFactory", "make_user"]
