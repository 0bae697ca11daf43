"""Send the heavy reads (statistics, reports) to a read replica when one is configured.

Writes always go to ``default``. Reads go to ``replica`` only inside ``use_replica()``, which
the statistics selectors and the report jobs open; everything else (pages that read then write,
forms, the API's object views) reads from ``default`` so that a user always sees what they just
saved. Without ``DATABASE_REPLICA_URL`` there is no ``replica`` alias and nothing changes.

    with use_replica():
        rows = program_stats(...)
"""

from __future__ import annotations

import contextlib
import contextvars

from django.conf import settings

REPLICA = "replica"
_reading_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "use_replica", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def use_replica():
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: objects from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
