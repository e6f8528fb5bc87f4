"""A fake ANTS coordination API on a real local HTTP server: what the portal sends is
recorded, and the server answers, hangs, refuses or talks garbage as a test asks."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Seen:
    method: str
    path: str
    query: dict
    headers: dict


@dataclass
class FakeAnts:
    mode: str = "ok"  # ok, hang, refuse, garbage
    statuses: dict = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    hang_seconds: float = 3.0

    def answer(self, handler) -> tuple[int, bytes]:
        parts = urlsplit(handler.path)
        self.seen.append(
            Seen(handler.command, parts.path, parse_qs(parts.query), dict(handler.headers))
        )
        if self.mode == "hang":
            time.sleep(self.hang_seconds)
            return 200, b"{}"
        if self.mode == "refuse":
            return 503, b"Service Unavailable"
        if self.mode == "garbage":
            return 200, b"<html>maintenance</html>"
        if parts.path.endswith("/status"):
            numbers = parse_qs(parts.query).get("application_ids", [])
            body = {
                number: self.statuses.get(number, {"status": "unknown", "appointments": []})
                for number in numbers
            }
            return 200, json.dumps(body).encode()
        if parts.path.endswith("/appointments"):
            return 200, json.dumps({"success": True}).encode()
        return 404, b"{}"


def serve(fake: FakeAnts):
    class Handler(BaseHTTPRequestHandler):
        def handle_one(self):
            status, body = fake.answer(self)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_DELETE = handle_one

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server
