"""The official Python SDK's long-connection client (lark.ws.Client) against lark-sim.

Usage: sdk_ws.py BASE_URL APP_ID APP_SECRET [WATCHDOG_SECONDS]
Connects, prints one JSON line per event it receives on stdout (the SDK's own logger, at DEBUG,
goes to stderr), answers a card action with a toast, and exits 0 one second after the card
action (the answer frame has gone out by then). Exits 3 after WATCHDOG_SECONDS (default 30)
regardless, so it can never outlive the test that started it.
"""
import json
import logging
import os
import sys
import threading

import lark_oapi as lark
from lark_oapi.event.callback.model.p2_card_action_trigger import (
    P2CardActionTrigger,
    P2CardActionTriggerResponse,
)


for _handler in logging.getLogger("Lark").handlers:
    if isinstance(_handler, logging.StreamHandler):
        _handler.setStream(sys.stderr)


def emit(record):
    print(json.dumps(record), flush=True)


def main():
    base_url, app_id, app_secret = sys.argv[1:4]
    watchdog_secs = float(sys.argv[4]) if len(sys.argv) > 4 else 30.0
    watchdog = threading.Timer(watchdog_secs, lambda: os._exit(3))
    watchdog.daemon = True
    watchdog.start()

    def on_message(data: lark.im.v1.P2ImMessageReceiveV1) -> None:
        emit({
            "kind": "im.message.receive_v1",
            "event_id": data.header.event_id,
            "chat_id": data.event.message.chat_id,
            "content": data.event.message.content,
        })

    def on_card(data: P2CardActionTrigger) -> P2CardActionTriggerResponse:
        emit({
            "kind": "card.action.trigger",
            "event_id": data.header.event_id,
            "value": data.event.action.value,
            "open_message_id": data.event.context.open_message_id,
        })
        # Leave after the SDK has written the answer frame.
        done = threading.Timer(1.0, lambda: os._exit(0))
        done.daemon = True
        done.start()
        return P2CardActionTriggerResponse(
            {"toast": {"type": "success", "content": "handled by lark-oapi"}}
        )

    handler = (
        lark.EventDispatcherHandler.builder("", "")
        .register_p2_im_message_receive_v1(on_message)
        .register_p2_card_action_trigger(on_card)
        .build()
    )
    client = lark.ws.Client(
        app_id,
        app_secret,
        event_handler=handler,
        domain=base_url,
        log_level=lark.LogLevel.DEBUG,
        auto_reconnect=False,
    )
    client.start()


if __name__ == "__main__":
    main()
