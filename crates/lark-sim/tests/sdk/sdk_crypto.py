"""Callback crypto interop with the official Python SDK (lark-oapi), both directions.

Usage: sdk_crypto.py accept|seal < cases.json
Reads one JSON array of cases on stdin and prints one JSON object {"ok": true, "results": [...]}
on stdout (the SDK's own logger is moved to stderr so stdout stays parseable).

accept: every case is a request some other implementation sealed: {"name", "scheme": "event" |
    "legacy_card", "encrypt_key", "verification_token", "headers": {...}, "body": "<raw body>"}.
    The request goes through the SDK's own receiving path: EventDispatcherHandler.do() for
    "event" (decryption with AESCipher, token check, SHA-256 `_verify_sign`, dispatch to a
    registered handler) or CardActionHandler.do() for "legacy_card" (SHA-1 `_verify_sign`).
    Each result says the HTTP status the SDK answered, its body, and what the registered handler
    saw (null when it was not called). For encrypted bodies the SDK's AESCipher plaintext is
    reported too, and the signature routine is also called on its own.

seal: every case is {"name", "scheme", "encrypt_key", "verification_token", "plaintext",
    "encrypt": bool}. The script encrypts and signs it following the SDK's rules (the SDK's
    AESCipher only decrypts, so encryption uses pycryptodome, the SDK's own AES dependency:
    key = SHA-256(Encrypt Key), random 16-byte IV prefixed, PKCS#7; signatures exactly as the
    SDK's `_verify_sign` computes them), then feeds its own output to the SDK's handler as a
    self-check, and reports {"name", "headers", "body", "sdk_status"}.

Exits non-zero on any unexpected exception. No network access.
"""
import base64
import hashlib
import json
import logging
import os
import sys
import time

import lark_oapi as lark
from Crypto.Cipher import AES
from Crypto.Util.Padding import pad
from lark_oapi.card.action_handler import CardActionHandler
from lark_oapi.core.const import (
    LARK_REQUEST_NONCE,
    LARK_REQUEST_SIGNATURE,
    LARK_REQUEST_TIMESTAMP,
)
from lark_oapi.core.model import RawRequest
from lark_oapi.core.utils import AESCipher
from lark_oapi.event.callback.model.p2_card_action_trigger import P2CardActionTriggerResponse

for _handler in logging.getLogger("Lark").handlers:
    if isinstance(_handler, logging.StreamHandler):
        _handler.setStream(sys.stderr)
logging.getLogger("Lark").setLevel(logging.CRITICAL)


def event_handler(encrypt_key, verification_token, seen):
    """An EventDispatcherHandler as an app would build it, recording what reaches the handlers."""

    def on_message(data):
        seen.append({
            "kind": "im.message.receive_v1",
            "event_id": data.header.event_id,
            "token": data.header.token,
            "chat_id": data.event.message.chat_id,
            "content": data.event.message.content,
        })

    def on_disbanded(data):
        seen.append({
            "kind": "im.chat.disbanded_v1",
            "event_id": data.header.event_id,
            "chat_id": data.event.chat_id,
        })

    def on_card(data):
        seen.append({
            "kind": "card.action.trigger",
            "event_id": data.header.event_id,
            "value": data.event.action.value,
            "open_message_id": data.event.context.open_message_id,
            "update_token": data.event.token,
        })
        return P2CardActionTriggerResponse({"toast": {"type": "success", "content": "sdk ok"}})

    def on_v1(data):
        seen.append({"kind": "p1." + str(data.event.get("type")), "uuid": data.uuid})

    return (
        lark.EventDispatcherHandler.builder(encrypt_key, verification_token)
        .register_p2_im_message_receive_v1(on_message)
        .register_p2_im_chat_disbanded_v1(on_disbanded)
        .register_p2_card_action_trigger(on_card)
        .register_p1_customized_event("message", on_v1)
        .build()
    )


def card_handler(encrypt_key, verification_token, seen):
    """A CardActionHandler (the legacy "message card request URL" receiver)."""

    def on_card(card):
        seen.append({
            "kind": "legacy_card",
            "open_message_id": card.open_message_id,
            "value": card.action.value if card.action else None,
            "update_token": card.token,
        })
        return {"toast": {"type": "info", "content": "sdk legacy ok"}}

    return CardActionHandler.builder(encrypt_key, verification_token).register(on_card).build()


def run_sdk(case, headers, body):
    """Feeds one request to the SDK's receiving path; returns (status, content, seen)."""
    seen = []
    if case["scheme"] == "legacy_card":
        handler = card_handler(case["encrypt_key"], case["verification_token"], seen)
    else:
        handler = event_handler(case["encrypt_key"], case["verification_token"], seen)
    req = RawRequest()
    req.uri = "/callback"
    req.headers = dict(headers)
    req.body = body
    resp = handler.do(req)
    content = resp.content.decode("utf-8") if resp.content else ""
    try:
        content = json.loads(content)
    except ValueError:
        pass
    return resp.status_code, content, (seen[0] if seen else None)


def accept(cases):
    results = []
    for case in cases:
        body = case["body"].encode("utf-8")
        headers = case.get("headers") or {}
        status, content, seen = run_sdk(case, headers, body)
        result = {"name": case["name"], "status": status, "body": content, "seen": seen}

        # The SDK's decryptor on its own, when the body is encrypted.
        try:
            encrypted = json.loads(body).get("encrypt")
        except ValueError:
            encrypted = None
        if encrypted:
            try:
                result["aes_plaintext"] = AESCipher(case["encrypt_key"]).decrypt_str(encrypted)
            except Exception as e:  # noqa: BLE001 - reported, the test decides
                result["aes_error"] = str(e)

        # The SDK's signature routine on its own (raises AccessDeniedException on mismatch).
        if all(k in headers for k in (LARK_REQUEST_TIMESTAMP, LARK_REQUEST_NONCE, LARK_REQUEST_SIGNATURE)):
            req = RawRequest()
            req.headers = dict(headers)
            req.body = body
            try:
                if case["scheme"] == "legacy_card":
                    card_handler(case["encrypt_key"], case["verification_token"], [])._verify_sign(req)
                else:
                    event_handler(case["encrypt_key"], case["verification_token"], [])._verify_sign(
                        req, case["encrypt_key"]
                    )
                result["sign_ok"] = True
            except Exception:  # noqa: BLE001
                result["sign_ok"] = False
        results.append(result)
    return results


def encrypt(encrypt_key, plaintext):
    """base64(IV || AES-256-CBC(SHA-256(key), IV, PKCS#7(plaintext))), the inverse of AESCipher."""
    key = hashlib.sha256(encrypt_key.encode("utf-8")).digest()
    iv = os.urandom(AES.block_size)
    ct = AES.new(key, AES.MODE_CBC, iv).encrypt(pad(plaintext, AES.block_size))
    return base64.b64encode(iv + ct).decode("ascii")


def seal(cases):
    results = []
    for case in cases:
        plaintext = case["plaintext"].encode("utf-8")
        if case.get("encrypt"):
            body = json.dumps({"encrypt": encrypt(case["encrypt_key"], plaintext)}).encode("utf-8")
        else:
            body = plaintext
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if case.get("sign", True):
            timestamp = str(int(time.time()))
            nonce = base64.b16encode(os.urandom(8)).decode("ascii").lower()
            if case["scheme"] == "legacy_card":
                # CardActionHandler._verify_sign: sha1(timestamp + nonce + token + body)
                secret, digest = case["verification_token"], hashlib.sha1
            else:
                # EventDispatcherHandler._verify_sign: sha256(timestamp + nonce + key + body)
                secret, digest = case["encrypt_key"], hashlib.sha256
            signature = digest((timestamp + nonce + secret).encode("utf-8") + body).hexdigest()
            headers[LARK_REQUEST_TIMESTAMP] = timestamp
            headers[LARK_REQUEST_NONCE] = nonce
            headers[LARK_REQUEST_SIGNATURE] = signature
        # Self-check: the SDK itself must accept what this routine produced.
        status, content, seen = run_sdk(case, headers, body)
        results.append({
            "name": case["name"],
            "headers": headers,
            "body": body.decode("utf-8"),
            "sdk_status": status,
            "sdk_body": content,
            "sdk_seen": seen,
        })
    return results


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    cases = json.load(sys.stdin)
    if mode == "accept":
        results = accept(cases)
    elif mode == "seal":
        results = seal(cases)
    else:
        print(json.dumps({"ok": False, "error": f"unknown mode {mode!r}"}))
        sys.exit(2)
    print(json.dumps({"ok": True, "results": results}), flush=True)


if __name__ == "__main__":
    main()
