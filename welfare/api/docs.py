"""The API documentation pages (Swagger UI and ReDoc), served from the app's own static files.

Both bundles style their elements at run time (React inline styles, styled-components), which
the site-wide Content Security Policy forbids; these two pages alone allow inline styles.
Scripts stay limited to the app's own files, and nothing is fetched from elsewhere (drf-
spectacular's own ReDoc page loads Google Fonts; ours does not)."""

from django.conf import settings
from django.utils.csp import CSP
from django.utils.decorators import method_decorator
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_CSP = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],  # ReDoc's search runs in a worker it makes itself
}


@method_decorator(csp_override(DOCS_CSP), name="dispatch")
class ApiDocsView(SpectacularSwaggerSplitView):
    pass


@method_decorator(csp_override(DOCS_CSP), name="dispatch")
class ApiRedocView(SpectacularRedocView):
    template_name = "api/redoc.html"
