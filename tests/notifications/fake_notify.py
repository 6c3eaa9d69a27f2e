"""A local stand-in for the GOV.UK Notify API, on 127.0.0.1 and a free port:
it checks the JWT bearer token as Notify does (HS256, signed with the key's
secret, issued by the service) and records each email posted."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"earlyhelp_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


class FakeNotify:
    def __init__(self):
        self.posted = []  # (path, JSON body) of each accepted email
        self.refused_tokens = 0
        self.fail_for = set()  # addresses answered 400, as Notify does for a bad one
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                scheme, _space, token = self.headers.get("Authorization", "").partition(" ")
                try:
                    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
                    assert scheme == "Bearer"
                    assert claims["iss"] == SERVICE_ID
                    assert isinstance(claims["iat"], int)
                except (jwt.InvalidTokenError, AssertionError, KeyError):
                    fake.refused_tokens += 1
                    self._answer(403, {"status_code": 403, "errors": [{"error": "AuthError"}]})
                    return
                if body.get("email_address") in fake.fail_for:
                    self._answer(
                        400,
                        {
                            "status_code": 400,
                            "errors": [{"error": "BadRequestError", "message": "refused"}],
                        },
                    )
                    return
                fake.posted.append((self.path, body))
                self._answer(201, {"id": f"n-{len(fake.posted)}", "reference": None})

        return Handler
