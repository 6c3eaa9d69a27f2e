"""A real HTTP receiver for webhooks: a small server on 127.0.0.1 in a thread
of the test (the receiving side only: the service posts from its task)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from api.clients import create_client
from tests.journey_factories import share_with
from webhooks import subscriptions


class Receiver:
    def __init__(self):
        self.received = []  # (headers, body bytes)
        self.answers = []  # status codes to answer, in turn; then 200
        self.delay = 0.0
        self.redirect_to = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.received.append((dict(self.headers), body))
                if receiver.delay:
                    time.sleep(receiver.delay)
                code = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(code)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/early-help"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def bodies(self):
        return [json.loads(body) for _, body in self.received]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.WEBHOOK_RETRY_SECONDS = 60
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    receiving = Receiver()
    yield receiving
    receiving.close()


@pytest.fixture
def shared_case(episode, school, manager):
    """A case the school asked for, with a family member's consent to share with it."""
    share_with(episode, school, manager)
    return episode


@pytest.fixture
def school_system(la, school):
    client, _token = create_client(
        la, school, "School information system", ["cases:read", "webhooks:manage"]
    )
    return client


@pytest.fixture
def subscribe(receiver):
    def make(client, events=("case.stepped_up",), url=None):
        return subscriptions.subscribe(client, url or receiver.url, events)

    return make
