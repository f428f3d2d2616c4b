"""One host, one project: a folder per headless host, the editor's Python start-up, instance files by pid."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Iterator, List

import pytest

from bridge.host.instance import describe_instance, find_instance, live_instances, write_instance

from .helpers import Host

pytestmark = pytest.mark.slow


@pytest.fixture
def hosts() -> Iterator[List[Host]]:
    started: List[Host] = []
    yield started
    for host in started:
        host.stop()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def dead_pid() -> int:
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    return int(finished.stdout)


def test_each_host_gets_a_project_folder_of_its_own(tmp_path: Path, hosts: List[Host]) -> None:
    first = Host(tmp_path)
    hosts.append(first)
    second = Host(tmp_path)
    hosts.append(second)
    projects = tmp_path / ".data" / "projects"
    assert (first.project, second.project) == (projects / "MockProject", projects / "MockProject-2")
    for host in (first, second):
        latest = json.loads((host.project / "Saved/PythonBridge/instance.json").read_text(encoding="utf-8"))
        own = host.project / "Saved/PythonBridge/instances" / f"{host.process.pid}.json"
        assert latest["pid"] == host.process.pid and json.loads(own.read_text(encoding="utf-8")) == latest
        assert find_instance(host.project).url == host.url
    first_project = first.project
    first.stop()
    assert not (first_project / "Saved/PythonBridge/instance.json").exists()
    assert not list((first_project / "Saved/PythonBridge/instances").glob("*.json"))
    third = Host(tmp_path)  # the folder the first host let go of is taken again
    hosts.append(third)
    assert third.project == first_project


def test_a_real_project_folder_runs_its_python_as_the_editor_does(tmp_path: Path, hosts: List[Host]) -> None:
    project = tmp_path / "Game"
    write(project / "Game.uproject", '{"FileVersion": 3}')
    order = project / "Saved" / "order.txt"
    write(project / "Content/Python/init_unreal.py", f"""\
        import studio_menu
        started_by = "project"
        open({str(order)!r}, "a").write("project " + __file__ + "\\n")
    """)
    write(project / "Content/Python/studio_menu.py", "TITLE = 'Studio'\n")
    write(project / "Plugins/Tools/Exporter/Exporter.uplugin", '{"FileVersion": 3, "CanContainContent": true}')
    write(project / "Plugins/Tools/Exporter/Content/Python/init_unreal.py", f"""\
        open({str(order)!r}, "a").write("plugin " + started_by + "\\n")
    """)
    write(project / "Plugins/Tools/Exporter/Content/Python/exporter_lib.py", "NAME = 'exporter'\n")
    write(project / "Plugins/Broken/Broken.uplugin", "{}")
    write(project / "Plugins/Broken/Content/Python/init_unreal.py", "raise RuntimeError('broken plugin')\n")
    write(project / "Plugins/PythonBridge/PythonBridge.uplugin", "{}")
    write(project / "Plugins/PythonBridge/Content/Python/init_unreal.py",
          f"open({str(order)!r}, 'a').write('a second bridge\\n')\n")
    host = Host(tmp_path, "--project", str(project / "Game.uproject"))
    hosts.append(host)
    assert host.project == project.resolve()
    assert find_instance(project).project == "Game"  # named by its .uproject, as in the editor
    lines = order.read_text(encoding="utf-8").splitlines()
    assert lines == [f"project {project.resolve() / 'Content/Python/init_unreal.py'}", "plugin project"]
    reply = host.execute(code="import sys, studio_menu, exporter_lib\n"
                              "[p for p in sys.path if p.endswith('Content/Python')]")
    assert reply["status"] == "completed", reply
    assert json.loads(reply["result"].replace("'", '"')) == [
        str(project.resolve() / folder) for folder in (
            "Content/Python", "Plugins/Broken/Content/Python", "Plugins/PythonBridge/Content/Python",
            "Plugins/Tools/Exporter/Content/Python")
    ]  # the bridge plugin's folder is on the path, as in the editor; only its init_unreal.py is skipped
    output = host.stop()
    assert "startup script" in output and "RuntimeError: broken plugin" in output


def test_hosts_sharing_a_project_are_listed_and_dead_ones_skipped(tmp_path: Path, hosts: List[Host]) -> None:
    project = tmp_path / "Shared"
    stale = describe_instance(port=1, url="http://127.0.0.1:1", project="Shared", project_dir=str(project),
                              engine_version="5.6", token_file=None).model_copy(update={"pid": dead_pid()})
    write_instance(project / "Saved/PythonBridge/instances" / f"{stale.pid}.json", stale)
    first = Host(tmp_path, "--project", str(project))
    hosts.append(first)
    assert find_instance(project).url == first.url  # the dead host's file is skipped
    second = Host(tmp_path, "--project", str(project))
    hosts.append(second)
    assert [info.url for info in live_instances(project)] == [first.url, second.url]
    with pytest.raises(ValueError) as raised:
        find_instance(project)
    message = str(raised.value)
    assert "2 running bridges have" in message and first.url in message and second.url in message
    assert f"pid {second.process.pid}" in message and "--url" in message
    second.stop()
    assert find_instance(project).url == first.url


def test_a_project_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    not_a_folder = write(tmp_path / "notes.txt", "x")
    result = subprocess.run([str(Path(sys.executable).with_name("ue-bridge")), "serve", "--port", "0",
                             "--project", str(not_a_folder)], cwd=str(tmp_path), capture_output=True, text=True,
                            timeout=60, env={k: v for k, v in os.environ.items() if not k.startswith("UE_")})
    assert result.returncode == 2
    assert "--project must be a project folder or its .uproject file" in result.stderr
