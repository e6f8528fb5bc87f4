"""A dependency that just failed is left alone for a few seconds (a simple circuit breaker).

When the broker or the shared cache hangs, every call costs its whole socket timeout:
one page would pay it for each task it queues or each key it reads, and every page
after it too. After a failure, this process skips the calls that can be skipped (what
they carry is in the database) until the pause is over, then tries again.
"""

import time


class Pause:
    """Until when this process leaves one dependency alone."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.until = 0.0

    def active(self) -> bool:
        return time.monotonic() < self.until

    def start(self) -> None:
        self.until = time.monotonic() + self.seconds

    def end(self) -> None:
        self.until = 0.0
