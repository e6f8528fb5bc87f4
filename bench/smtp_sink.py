"""A local SMTP server that keeps nothing but a line per mail: the rush's mail sink.

``python -m bench.smtp_sink PORT FILE``: every mail received is acknowledged and one
JSON line (recipients, subject) appended to FILE, so that the run can check that each
journey got exactly one acknowledgement.
"""

import asyncio
import json
import sys
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Journal:
    def __init__(self, path: str):
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 (kept open while serving)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        mail = message_from_bytes(envelope.content, policy=policy.default)
        line = {"to": envelope.rcpt_tos, "subject": str(mail["subject"] or "")}
        self.file.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.file.flush()
        return "250 OK"


def main(port: int, path: str) -> None:
    controller = Controller(Journal(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
