"""Epic's remote execution against the headless bridge: discovery, the command channel, each mode, as jobs."""
from __future__ import annotations

import json
import logging
import os
import socket
import textwrap
import time
import uuid
from pathlib import Path
from typing import Any, Dict

import pytest

from bridge.remote_exec.client import RemoteExecutionClient, RemoteExecutionError
from bridge.remote_exec.protocol import BadMessage, Message, parse, split_first
from bridge.remote_exec.server import RemoteExecutionServer
from bridge.remote_exec.settings import RemoteExecutionSettings
from bridge.runs import RunQuery

from ..conftest import unreal
from .conftest import GROUP, ServerFactory

EOL = os.linesep


def connected(client: RemoteExecutionClient, server: RemoteExecutionServer) -> RemoteExecutionClient:
    nodes = client.discover(timeout=1.5)
    assert [node.node_id for node in nodes] == [server.node_id]
    client.open(server.node_id, timeout=10)
    return client


def run(client: RemoteExecutionClient, command: str, mode: str = "ExecuteFile") -> Dict[str, Any]:
    return client.run(command, exec_mode=mode, timeout=30)


def test_a_ping_gets_a_pong_naming_the_editor(server: RemoteExecutionServer, group_port: int) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((GROUP, group_port))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("127.0.0.1"))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                    socket.inet_aton(GROUP) + socket.inet_aton("127.0.0.1"))
    sock.settimeout(5)
    me = str(uuid.uuid4())
    try:
        # Exactly the bytes Epic's client sends (json.dumps, ensure_ascii=False, no dest, no data).
        sock.sendto(json.dumps({"version": 1, "magic": "ue_py", "type": "ping", "source": me}).encode(),
                    (GROUP, group_port))
        while True:
            pong = json.loads(sock.recv(65536).decode("utf-8"))
            if pong["type"] == "pong":
                break
    finally:
        sock.close()
    assert set(pong) == {"version", "magic", "type", "source", "dest", "data"}
    assert (pong["version"], pong["magic"], pong["source"], pong["dest"]) == (1, "ue_py", server.node_id, me)
    data = pong["data"]
    assert set(data) == {"user", "machine", "engine_version", "engine_root", "project_root", "project_name"}
    assert data["project_name"] == unreal.SystemLibrary.get_game_name()
    assert Path(data["project_root"]) == Path(unreal.Paths.project_dir())
    assert data["engine_version"] == unreal.SystemLibrary.get_engine_version()


def test_execute_file_with_code_reports_output_as_epics_editor_does(
    server: RemoteExecutionServer, client: RemoteExecutionClient
) -> None:
    connected(client, server)
    result = run(client, 'print("Hello World")')
    assert result == {"success": True, "command": 'print("Hello World")', "result": "None",
                      "output": [{"type": "Info", "output": "Hello World" + EOL}]}
    result = run(client, textwrap.dedent("""\
        import sys, unreal
        unreal.log("made a folder")
        unreal.log_warning("careful")
        print("to stderr", file=sys.stderr)
        print("")
        unreal.log_error("bad")
        unreal.EditorAssetLibrary.make_directory("/Game/RemoteExec")
        41
    """))
    assert result["success"] is True and result["result"] == "None"
    assert result["output"] == [
        {"type": "Info", "output": "made a folder" + EOL}, {"type": "Warning", "output": "careful" + EOL},
        {"type": "Error", "output": "to stderr" + EOL}, {"type": "Error", "output": "bad" + EOL},
    ]  # the blank print is dropped, as the editor drops blank strings
    assert unreal.EditorAssetLibrary.does_directory_exist("/Game/RemoteExec")


def test_literal_code_shares_the_console_globals_across_modes(
    server: RemoteExecutionServer, client: RemoteExecutionClient
) -> None:
    connected(client, server)
    assert run(client, "answer = 41")["success"]
    assert run(client, "answer + 1", "EvaluateStatement") == {
        "success": True, "command": "answer + 1", "result": "42", "output": []}
    statement = run(client, "answer * 2", "ExecuteStatement")
    assert (statement["result"], statement["output"]) == ("None", [{"type": "Info", "output": "82" + EOL}])
    assert run(client, "answer = 0", "ExecuteStatement")["output"] == []  # an assignment echoes nothing


def test_execute_file_with_a_path_runs_the_file_with_its_arguments(
    server: RemoteExecutionServer, client: RemoteExecutionClient, tmp_path: Path
) -> None:
    tool = tmp_path / "my tools" / "tool.py"
    tool.parent.mkdir()
    tool.write_text("import sys\nprint(__name__, __file__, sys.argv[1:])\n", encoding="utf-8")
    connected(client, server)
    result = run(client, f'"{tool}" --level "Main Map"')
    assert result["success"], result
    assert result["output"] == [{"type": "Info", "output": f"__main__ {tool} ['--level', 'Main Map']" + EOL}]
    missing = run(client, "/nowhere/missing_tool.py")
    assert missing["success"] is False and "Could not load Python file '/nowhere/missing_tool.py'" in missing["result"]
    # Code that only mentions a .py runs as code (the editor of UE 5.8 would look for the file).
    assert run(client, "name = 'report.py'\nprint(name)")["output"] == [{"type": "Info", "output": "report.py" + EOL}]
    assert run(client, "print('x.py')")["output"] == [{"type": "Info", "output": "x.py" + EOL}]


def test_a_failure_returns_its_traceback(server: RemoteExecutionServer, client: RemoteExecutionClient) -> None:
    connected(client, server)
    result = run(client, "print('before')\nraise ValueError('no such asset')")
    assert result["success"] is False
    assert "Traceback" in result["result"] and result["result"].rstrip().endswith("ValueError: no such asset")
    assert result["output"][0] == {"type": "Info", "output": "before" + EOL}
    assert result["output"][1]["type"] == "Error" and "ValueError: no such asset" in result["output"][1]["output"]
    evaluated = run(client, "1 / 0", "EvaluateStatement")
    assert evaluated["success"] is False and "ZeroDivisionError" in evaluated["result"]
    assert evaluated["output"] == []  # only file runs add the error to the output


def test_each_command_is_an_ordinary_job(
    start_bridge: Any, group_port: int, client: RemoteExecutionClient
) -> None:
    host = start_bridge()
    server = RemoteExecutionServer(host.runner, RemoteExecutionSettings(enabled=True, multicast_port=group_port),
                                   {"project_name": "P"})
    server.start()
    try:
        connected(client, server)
        run(client, "print('as a job')")
        mine = [r for r in host.history.list(RunQuery(limit=10)).items if r.command == "print('as a job')"]
        assert mine and mine[0].tags == ("remote-execution",) and mine[0].status.value == "completed"
        assert mine[0].metadata["exec_mode"] == "ExecuteFile" and mine[0].metadata["unattended"] is True
    finally:
        server.stop()


def test_a_malformed_command_still_gets_a_reply(
    server: RemoteExecutionServer, client: RemoteExecutionClient
) -> None:
    connected(client, server)
    channel = client._channel
    assert channel is not None
    body = {"version": 1, "magic": "ue_py", "type": "command", "source": client.node_id, "dest": server.node_id,
            "data": {"command": "print(1)", "unattended": True}}
    channel.sendall(json.dumps(body).encode())
    reply = json.loads(channel.recv(65536))
    assert reply["type"] == "command_result" and reply["data"]["success"] is False
    assert "exec_mode" in reply["data"]["result"]
    channel.sendall(b'{"version": 2, "magic": "ue_py", "type": "command", "source": "x"}')
    reply = json.loads(channel.recv(65536))
    assert '"version" is incorrect' in reply["data"]["result"]
    assert run(client, "print(2)")["success"]  # the channel stays usable


def test_a_second_client_replaces_the_first(
    server: RemoteExecutionServer, client: RemoteExecutionClient, group_port: int
) -> None:
    connected(client, server)
    with RemoteExecutionClient(group=GROUP, port=group_port) as second:
        connected(second, server)
        assert run(second, "print('second')")["success"]
        with pytest.raises((RemoteExecutionError, OSError)):
            run(client, "print('first')")


def test_open_connection_to_another_machine_is_refused(
    server: RemoteExecutionServer, client: RemoteExecutionClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, "bridge.remote_exec")
    client._send_broadcast(Message("open_connection", client.node_id, server.node_id,
                                   {"command_ip": "192.0.2.77", "command_port": 6776}))
    deadline = time.monotonic() + 5
    while "only loopback endpoints are served" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "refused open_connection to 192.0.2.77:6776" in caplog.text


def test_open_times_out_when_no_editor_connects(client: RemoteExecutionClient) -> None:
    with pytest.raises(RemoteExecutionError, match="did not connect"):
        client.open(str(uuid.uuid4()), timeout=0.5)
    with pytest.raises(RemoteExecutionError, match="no command channel"):
        client.run("print(1)")


def test_messages_are_parsed_and_split_as_they_arrive() -> None:
    first = Message("command_result", "a", "b", {"result": "brace } and quote \" inside", "output": []}).to_bytes()
    second = Message("pong", "a").to_bytes()
    stream = first + second
    for cut in (1, len(first) // 2, len(first) - 1):
        raw, rest = split_first(stream[:cut])
        assert raw is None and rest == stream[:cut]
    raw, rest = split_first(stream)
    assert raw == first and split_first(rest) == (second, b"")
    assert parse(first).data == {"result": "brace } and quote \" inside", "output": []}
    for bad, why in ((b"[1]", "not a JSON object"), (b"\xff", "not a UTF-8 JSON object"),
                     (b'{"version": 1, "magic": "x", "type": "ping", "source": "a"}', '"magic" is incorrect'),
                     (b'{"version": 1, "magic": "ue_py", "type": 3, "source": "a"}', "must be strings"),
                     (b'{"version": 1, "magic": "ue_py", "type": "ping", "source": "a", "data": 1}', "JSON object")):
        with pytest.raises(BadMessage, match=why):
            parse(bad)


def test_settings_refuse_an_address_that_is_not_multicast() -> None:
    with pytest.raises(ValueError, match="must be a multicast address"):
        RemoteExecutionSettings(multicast_group="127.0.0.1")
    with pytest.raises(ValueError, match="must be an IPv4 address"):
        RemoteExecutionSettings(multicast_group="group")


def test_starting_twice_is_refused(start_server: ServerFactory) -> None:
    server = start_server()
    with pytest.raises(RuntimeError, match="already running"):
        server.start()
