"""`ue-bridge exec PATH`: sent as `file` when the bridge can see the path, as text otherwise."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

from bridge.host import BridgeHost
from mock_unreal.testing import project_fixture

from ..conftest import BridgeFactory

UE_BRIDGE = str(Path(sys.executable).with_name("ue-bridge"))


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    for handle in project_fixture(tmp_path):
        yield Path(handle.unreal.Paths.project_dir())


@pytest.fixture
def bridge_of_project(project: Path, start_bridge: BridgeFactory) -> BridgeHost:
    return start_bridge(python={"paths": ["Content/Python"]})


def cli(bridge: BridgeHost, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([UE_BRIDGE, "exec", *args, "--url", bridge.url], capture_output=True, text=True,
                          timeout=60)


def last_run(bridge: BridgeHost) -> Dict[str, Any]:
    with urllib.request.urlopen(bridge.url + "/api/executions?limit=1") as response:
        return dict(json.load(response)["data"]["executions"][0])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


SHOW = "import sys\nprint(globals().get('__file__', '<no file>'), sys.argv[1:])\n"


def test_a_file_the_bridge_can_see_is_sent_by_path(project: Path, bridge_of_project: BridgeHost) -> None:
    tool = write(project / "Content" / "Python" / "show.py", SHOW)
    done = cli(bridge_of_project, str(tool), "--arg=--dry-run", "--arg", "two words")
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{tool.resolve()} ['--dry-run', 'two words']\n"
    run = last_run(bridge_of_project)
    assert run["metadata"]["source"]["file"] == str(tool.resolve())


def test_a_file_the_bridge_cannot_see_is_sent_as_text(
    tmp_path: Path, project: Path, bridge_of_project: BridgeHost
) -> None:
    text = "print(globals().get('__file__', '<no file>'))\n"
    tool = write(tmp_path / "elsewhere" / "show.py", text)
    done = cli(bridge_of_project, str(tool))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "<no file>\n"
    run = last_run(bridge_of_project)
    assert run["command"] == text and "source" not in run["metadata"]
    refused = cli(bridge_of_project, str(tool), "--arg", "x")
    assert refused.returncode == 2 and "cannot see" in refused.stderr and "takes no --arg" in refused.stderr


def test_a_module_runs_with_dash_m(project: Path, bridge_of_project: BridgeHost) -> None:
    write(project / "Content" / "Python" / "cli_pkg" / "__init__.py", "")
    write(project / "Content" / "Python" / "cli_pkg" / "tool.py", "import sys\nfrom . import __name__ as p\n"
                                                                  "print(p, __name__, sys.argv[1:])\n")
    done = cli(bridge_of_project, "-m", "cli_pkg.tool", "--arg", "a")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "cli_pkg __main__ ['a']\n"
    failed = cli(bridge_of_project, "-m", "cli_pkg.missing")
    assert failed.returncode == 1 and "ModuleNotFoundError: No module named 'cli_pkg.missing'" in failed.stderr


def test_arg_with_code_is_refused(bridge_of_project: BridgeHost) -> None:
    done = cli(bridge_of_project, "-c", "print(1)", "--arg", "x")
    assert done.returncode == 2 and "--arg is for a FILE or -m MODULE" in done.stderr
