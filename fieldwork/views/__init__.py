"""Pages of field work (see the modules: field, records, psks, tksk)."""

from .field import dashboard_panel

__all__ = ["dashboard_panel"]
