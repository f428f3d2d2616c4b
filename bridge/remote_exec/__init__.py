"""Epic's Python remote execution: the server the headless host runs, and a client for a stock editor.

- `protocol.py`  the messages (JSON over UDP multicast and TCP) and their parsing.
- `commands.py`  a `command` run as an ordinary editor job, answered with Epic's `command_result`.
- `server.py`    RemoteExecutionServer: discovery (ping/pong) and the command channel, on its own thread.
- `client.py`    RemoteExecutionClient: find editors, open a command channel, run commands.
"""
