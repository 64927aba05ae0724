"""The official Python SDK's event receiver (lark-oapi EventDispatcherHandler) behind a
ThreadingHTTPServer on a loopback port, for the relay load benchmark's comparison row.

Usage: lark_oapi_server.py ENCRYPT_KEY VERIFICATION_TOKEN
Prints "listening http://127.0.0.1:PORT/callback" and serves until killed. Each POST goes
through the SDK's own path (decrypt, token check, SHA-256 signature, dispatch to a registered
im.message.receive_v1 handler) and gets the SDK's answer. Nothing is recorded. Benchmark secrets
only; no network beyond loopback.
"""
import logging
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import lark_oapi as lark
from lark_oapi.core.model import RawRequest

logging.getLogger("Lark").setLevel(logging.CRITICAL)

ENCRYPT_KEY, VERIFICATION_TOKEN = sys.argv[1], sys.argv[2]


def on_message(data):
    return None


HANDLER = (
    lark.EventDispatcherHandler.builder(ENCRYPT_KEY, VERIFICATION_TOKEN)
    .register_p2_im_message_receive_v1(on_message)
    .build()
)


class Callback(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle on, each answer waits ~40 ms for
    # the client's delayed ACK, which would measure TCP, not the SDK.
    disable_nagle_algorithm = True

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        req = RawRequest()
        req.uri = self.path
        # The SDK looks headers up by their canonical spelling (X-Lark-Request-Timestamp); HTTP
        # clients may send them lowercased, as HTTP allows.
        req.headers = {k.title(): v for k, v in self.headers.items()}
        req.body = self.rfile.read(length)
        resp = HANDLER.do(req)
        body = resp.content or b""
        self.send_response(resp.status_code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Callback)
server.daemon_threads = True
print(f"listening http://127.0.0.1:{server.server_address[1]}/callback", flush=True)
server.serve_forever()
