"""Prometheus metrics: requests (by route, never by raw path: paths may carry a NIK), background
jobs, the task queue and the database connections.

Scraped at ``/api/v1/metrics/`` with ``Authorization: Bearer $WELFARE_METRICS_TOKEN`` (or by an
administrator). Under gunicorn with several workers set ``PROMETHEUS_MULTIPROC_DIR`` to an empty
directory so that the workers' counters are summed.
"""

from __future__ import annotations

import os
import time

from django.db import DatabaseError, connection
from django.db.models import Count
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUESTS = Counter("welfare_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "welfare_http_request_seconds",
    "HTTP request duration",
    ["method", "route"],
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10),
)


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.route or match.view_name) if match else "unmatched"
        REQUESTS.labels(request.method, route, str(response.status_code)).inc()
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        return response


class StateCollector:
    """Read at scrape time from the database: jobs by status, queued tasks, connections."""

    def collect(self):
        from welfare.models import Job

        jobs = GaugeMetricFamily("welfare_jobs", "Background jobs by status", labels=["status"])
        connections_by_state = GaugeMetricFamily(
            "welfare_db_connections", "Connections to this database by state", labels=["state"]
        )
        up = GaugeMetricFamily("welfare_db_up", "1 when the database answers")
        try:
            counts = dict.fromkeys(Job.Status.values, 0)
            for row in Job.objects.values("status").order_by().annotate(n=Count("pk")):
                counts[row["status"]] = row["n"]
            for status, count in counts.items():
                jobs.add_metric([status], count)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() GROUP BY 1"
                    )
                    for state, count in cursor.fetchall():
                        connections_by_state.add_metric([state], count)
            up.add_metric([], 1)
        except DatabaseError:
            up.add_metric([], 0)
        yield up
        yield jobs
        yield connections_by_state
        yield from _queue_metrics()


def _queue_metrics():
    from django.conf import settings

    queued = GaugeMetricFamily(
        "welfare_task_queue_length", "Tasks waiting in the queue", labels=["backend"]
    )
    backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
    try:
        if backend == "RQBackend":
            import django_rq

            queued.add_metric([backend], django_rq.get_queue("default").count)
        elif backend == "DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            queued.add_metric([backend], DBTaskResult.objects.filter(status="READY").count())
    except Exception:  # the queue being down is what the metric is for; never fail the scrape
        queued.add_metric([backend], -1)
    yield queued


def render_metrics() -> bytes:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(StateCollector())
    return generate_latest(registry)
