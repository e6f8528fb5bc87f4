"""How long sessions of the portal wait for a row lock, sampled from pg_stat_activity.

The rush sends requests whose numbers come from one counter row per year, locked by
each submission until it commits (procedures/numbering.py). A thread looks every 20 ms at
how many backends of the bench's database wait for a lock; the sum of the samples times
the interval is the time spent waiting, in backend-seconds.
"""

import threading
import time

INTERVAL = 0.02
QUERY = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


class LockWaits:
    def __init__(self, database_url: str):
        self.database_url = database_url
        self.samples: list[int] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self) -> "LockWaits":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            while not self.stop.is_set():
                self.samples.append(connection.execute(QUERY).fetchone()[0])
                time.sleep(INTERVAL)

    @property
    def waiting_seconds(self) -> float:
        return sum(self.samples) * INTERVAL

    @property
    def most(self) -> int:
        return max(self.samples, default=0)
