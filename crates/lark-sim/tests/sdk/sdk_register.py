"""The official Python SDK's app registration (lark_oapi.scene.registration.register_app) against
lark-sim's accounts endpoint.

Usage: sdk_register.py FEISHU_BASE LARK_BASE [ADDONS_JSON]
Prints one JSON line {"qr": url, "expire_in": s} as soon as the SDK hands out the QR link (the
test then confirms or denies it through /_sim/registration/*), every status change as
{"status": ...}, and finally {"ok": true, "outcome": "success", "client_id", "client_secret",
"user_info"} or {"ok": true, "outcome": "<error class>", "code", "description"}. Exits 3 after 40 s
regardless (watchdog), so it never outlives the test.
"""
import json
import logging
import os
import sys
import threading

from lark_oapi.scene.registration import register_app
from lark_oapi.scene.registration.errors import RegisterAppError

for _handler in logging.getLogger("Lark").handlers:
    if isinstance(_handler, logging.StreamHandler):
        _handler.setStream(sys.stderr)


def emit(record):
    print(json.dumps(record), flush=True)


def main():
    feishu, lark_base = sys.argv[1:3]
    addons = json.loads(sys.argv[3]) if len(sys.argv) > 3 else None
    watchdog = threading.Timer(40.0, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()
    try:
        result = register_app(
            on_qr_code=lambda info: emit({"qr": info["url"], "expire_in": info["expire_in"]}),
            on_status_change=lambda info: emit({"status": info["status"], "interval": info.get("interval")}),
            source="lark-sim-test",
            domain=feishu,
            lark_domain=lark_base,
            app_preset={"name": "SDK registered", "desc": "made by lark-oapi", "avatar": "https://example.com/a.png"},
            addons=addons,
        )
    except RegisterAppError as e:
        emit({"ok": True, "outcome": type(e).__name__, "code": getattr(e, "code", None),
              "description": getattr(e, "description", str(e))})
        return
    emit({"ok": True, "outcome": "success", "client_id": result["client_id"],
          "client_secret": result["client_secret"], "user_info": result.get("user_info")})


if __name__ == "__main__":
    main()
