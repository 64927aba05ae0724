"""The official Python SDK (lark-oapi) against lark-sim: token, chat list, card send, card update.

Usage: sdk_client.py BASE_URL APP_ID APP_SECRET [OUTSIDE_CHAT_ID]
Prints one JSON line with what it saw on stdout (the SDK's own logger is moved to stderr); exits
non-zero on any failure. Every call has a timeout. OUTSIDE_CHAT_ID is a chat the bot is not in:
the send to it must fail through the SDK with the platform's code (230002).
"""
import json
import logging
import sys

import lark_oapi as lark
from lark_oapi.api.im.v1 import (
    CreateMessageRequest,
    CreateMessageRequestBody,
    ListChatRequest,
    PatchMessageRequest,
    PatchMessageRequestBody,
)

for _handler in logging.getLogger("Lark").handlers:
    if isinstance(_handler, logging.StreamHandler):
        _handler.setStream(sys.stderr)


def fail(what, resp):
    print(json.dumps({"ok": False, "step": what, "code": resp.code, "msg": resp.msg}), flush=True)
    sys.exit(1)


def main():
    base_url, app_id, app_secret = sys.argv[1:4]
    outside_chat = sys.argv[4] if len(sys.argv) > 4 else "oc_not_a_member"
    client = (
        lark.Client.builder()
        .app_id(app_id)
        .app_secret(app_secret)
        .domain(base_url)
        .timeout(10)
        .log_level(lark.LogLevel.WARNING)
        .build()
    )

    # The SDK fetches the tenant token itself (POST .../tenant_access_token/internal).
    chats = client.im.v1.chat.list(ListChatRequest.builder().page_size(2).build())
    if not chats.success():
        fail("chat.list", chats)
    names = [c.name for c in chats.data.items]
    chat_ids = [c.chat_id for c in chats.data.items]
    has_more = chats.data.has_more
    if has_more:
        more = client.im.v1.chat.list(
            ListChatRequest.builder().page_size(2).page_token(chats.data.page_token).build()
        )
        if not more.success():
            fail("chat.list page 2", more)
        names += [c.name for c in more.data.items]
        chat_ids += [c.chat_id for c in more.data.items]

    card = {
        "config": {"update_multi": True},
        "header": {"title": {"tag": "plain_text", "content": "SDK card"}, "template": "red"},
        "elements": [{"tag": "div", "text": {"tag": "lark_md", "content": "sent by lark-oapi"}}],
    }
    sent = client.im.v1.message.create(
        CreateMessageRequest.builder()
        .receive_id_type("chat_id")
        .request_body(
            CreateMessageRequestBody.builder()
            .receive_id(chat_ids[0])
            .msg_type("interactive")
            .content(json.dumps(card))
            .uuid("sdk-client-1")
            .build()
        )
        .build()
    )
    if not sent.success():
        fail("message.create", sent)
    message_id = sent.data.message_id

    card["header"]["template"] = "green"
    patched = client.im.v1.message.patch(
        PatchMessageRequest.builder()
        .message_id(message_id)
        .request_body(PatchMessageRequestBody.builder().content(json.dumps(card)).build())
        .build()
    )
    if not patched.success():
        fail("message.patch", patched)

    # An error must come back through the SDK with the platform's code.
    bad = client.im.v1.message.create(
        CreateMessageRequest.builder()
        .receive_id_type("chat_id")
        .request_body(
            CreateMessageRequestBody.builder()
            .receive_id(outside_chat)
            .msg_type("interactive")
            .content(json.dumps(card))
            .build()
        )
        .build()
    )

    print(json.dumps({
        "ok": True,
        "chats": names,
        "chat_ids": chat_ids,
        "first_page_has_more": has_more,
        "message_id": message_id,
        "chat_id": sent.data.chat_id,
        "error_code": bad.code,
        "error_msg": bad.msg,
    }), flush=True)


if __name__ == "__main__":
    main()
