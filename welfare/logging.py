"""Structured logs (JSON lines) that carry no personal data.

* Requests are logged by route and user id, never the raw path or query string (a path or a
  search can hold a NIK or a name).
* ``PersonalDataFilter`` masks any run of 10 or more digits (NIK, No. KK, phone numbers) in every
  log record, whatever its source, as a last line of defence.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from pythonjsonlogger.json import JsonFormatter

DIGIT_RUN = re.compile(r"\d[\d .-]{8,}\d")
MASK = "[disamarkan]"

logger = logging.getLogger("welfare.request")


def _scrub(value):
    if isinstance(value, str):
        return DIGIT_RUN.sub(
            lambda m: MASK if sum(c.isdigit() for c in m.group()) >= 10 else m.group(), value
        )
    return value


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            if isinstance(record.args, dict):
                record.args = {key: _scrub(value) for key, value in record.args.items()}
            else:
                record.args = tuple(_scrub(arg) for arg in record.args)
        record.msg = _scrub(record.msg) if isinstance(record.msg, str) else record.msg
        return True


class JsonLogFormatter(JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", True)
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def process_log_record(self, log_record):
        for key, value in list(log_record.items()):
            log_record[key] = _scrub(value)
        return super().process_log_record(log_record)


class RequestLogMiddleware:
    """One log line per request: method, route, status, duration, user id, request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        logger.info(
            "request",
            extra={
                "method": request.method,
                "route": (match.route or match.view_name) if match else "unmatched",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "request_id": request.request_id,
            },
        )
        response["X-Request-ID"] = request.request_id
        return response
