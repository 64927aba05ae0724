#!/usr/bin/python3
"""A stand-in desktop notification service for the tests: owns org.freedesktop.Notifications on
the session bus (the one the app uses) and appends each Notify call as one JSON line
({"app", "summary", "body"}) to the file named by its argument, instead of showing it. Prints
"ready" once the name is owned. Uses the system Python's GObject bindings (python3-gi).

Usage: notification-daemon.py LOG_FILE    (stops on SIGTERM, or by itself after 15 minutes)
"""
import json
import signal
import sys

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
      <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
      <arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
      <arg type="u" direction="out"/>
    </method>
    <method name="CloseNotification"><arg type="u" direction="in"/></method>
    <method name="GetCapabilities"><arg type="as" direction="out"/></method>
    <method name="GetServerInformation">
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
      <arg type="s" direction="out"/><arg type="s" direction="out"/>
    </method>
  </interface>
</node>
"""

log_path = sys.argv[1]
counter = [0]
loop = GLib.MainLoop()


def on_call(_conn, _sender, _path, _iface, method, params, invocation):
    if method == "Notify":
        app, _replaces, _icon, summary, body = params.unpack()[:5]
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(json.dumps({"app": app, "summary": summary, "body": body}, ensure_ascii=False) + "\n")
        counter[0] += 1
        invocation.return_value(GLib.Variant("(u)", (counter[0],)))
    elif method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["body"],)))
    elif method == "GetServerInformation":
        invocation.return_value(GLib.Variant("(ssss)", ("stand-in", "lark-companion-tests", "1", "1.2")))
    else:
        invocation.return_value(None)


def on_bus(conn, _name):
    node = Gio.DBusNodeInfo.new_for_xml(XML)
    conn.register_object("/org/freedesktop/Notifications", node.interfaces[0], on_call, None, None)


def on_name(_conn, _name):
    print("ready", flush=True)


def on_lost(_conn, _name):
    print("name taken", flush=True)
    loop.quit()


Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.Notifications",
                 Gio.BusNameOwnerFlags.REPLACE, on_bus, on_name, on_lost)
signal.signal(signal.SIGTERM, lambda *_: loop.quit())
GLib.timeout_add_seconds(900, loop.quit)
loop.run()
