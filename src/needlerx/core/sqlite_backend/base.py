"""Django's SQLite backend, with the query planner's statistics kept up to date.

SQLite never gathers statistics by itself, and without them it guesses which index to use: at
50,000 patients a guess read every screen to list today's. SQLite's advice is ``PRAGMA optimize``
just before a connection closes (and every few hours for one that stays open): it analyzes only
the tables the connection used whose statistics are missing or far out of date, so it usually
does nothing, and once in a while (a table that grew tenfold) it takes a moment. A server worker
keeps its connection for ``SQLITE_CONNECTION_SECONDS`` (settings) and closes it after the
response that outlived it has gone, so the statistics are looked at every few minutes.
"""

from __future__ import annotations

import contextlib
import sqlite3

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def close(self) -> None:
        if self.connection is not None and not self.in_atomic_block and not self.is_in_memory_db():
            # The statistics help the planner; they are never worth a failed close.
            with contextlib.suppress(sqlite3.Error):
                self.connection.execute("PRAGMA optimize")
        super().close()
