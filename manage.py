#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welfare.settings")
    # manage.py is the developer's entry point: without a production key, run as a local demo.
    if not os.environ.get("WELFARE_SECRET_KEY"):
        os.environ.setdefault("WELFARE_DEV", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
