"""Prints the official Python SDK's own encoding of an `addons` object (the registration link's
`addons` parameter): lark_oapi.scene.registration._encode_addons.

Usage: echo '{"scopes":{"tenant":["im:message"]}}' | sdk_addons.py
Reads the JSON object on stdin, prints the encoded string (one line) on stdout. The SDK's
validation errors (ValueError) go to stderr with exit status 2. For comparing encoders: the
product's tests run this and tests/sdk/node/addons.mjs on the same input.
"""
import json
import sys

from lark_oapi.scene.registration import _encode_addons


def main():
    addons = json.load(sys.stdin)
    try:
        encoded = _encode_addons(addons)
    except ValueError as e:
        print(f"invalid addons: {e}", file=sys.stderr)
        sys.exit(2)
    print(encoded, flush=True)


if __name__ == "__main__":
    main()
