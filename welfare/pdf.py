"""PDF output (WeasyPrint), shared by the reports and the program exports."""

from __future__ import annotations

import gc
import io
from contextlib import contextmanager


@contextmanager
def without_cyclic_gc():
    """WeasyPrint allocates hundreds of thousands of short-lived boxes; the cyclic collector
    scanning them again and again took about 15 % of the CPU time of the LKjIP (measured:
    8,8-9,6 s with it, 7,6-8,0 s without, for 40 MB more at the peak) and 17 % of a program's
    recap. Reference counting still frees what it can; the cycles are collected once the
    collector is back on (by whichever render found it on, when several overlap)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str, *, base_url: str | None = None) -> tuple[bytes, int]:
    """The PDF of an HTML document and its number of pages."""
    from weasyprint import HTML

    buffer = io.BytesIO()
    with without_cyclic_gc():
        rendered = HTML(string=html, base_url=base_url).render()
        rendered.write_pdf(buffer)
    return buffer.getvalue(), len(rendered.pages)
