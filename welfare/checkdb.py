"""`python -m welfare.checkdb`: fail with a clear message when PostgreSQL does not answer.

`make test` runs it first, so that a missing server is reported as such, not as a wall of
errors from every test."""

import os
import sys

import dj_database_url
import psycopg2


def main() -> int:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/welfare")
    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        print(
            f"DATABASE_URL must point to PostgreSQL for the tests, not {config['ENGINE']}.",
            file=sys.stderr,
        )
        return 2
    try:
        connection = psycopg2.connect(
            dbname="postgres",
            user=config.get("USER") or "postgres",
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or "127.0.0.1",
            port=config.get("PORT") or 5432,
            connect_timeout=5,
        )
    except psycopg2.OperationalError as exc:
        host = f"{config.get('HOST') or '127.0.0.1'}:{config.get('PORT') or 5432}"
        print(
            f"\nPostgreSQL does not answer at {host} (DATABASE_URL={url}).\n"
            "The tests need a running PostgreSQL server: start it (for example\n"
            "  pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)\n"
            "or point TEST_DATABASE_URL at one.\n"
            f"Reason: {str(exc).strip()}\n",
            file=sys.stderr,
        )
        return 1
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
