"""`ue-bridge serve --seed` and `ue-bridge mock reset|snapshot|restore`: the console script as CI runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_SEED = ROOT / "examples" / "sample_project" / "project.json"

pytestmark = pytest.mark.slow


def _env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UE_BRIDGE_", "UE_MOCK_"))}
    env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **extra)
    return env


class Served:
    def __init__(self, url: str, lines: List[str]) -> None:
        self.url = url
        self.lines = lines


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The headless host started from the sample project `make run` uses."""
    project = tmp_path_factory.mktemp("seeded") / "MockProject"
    process = subprocess.Popen(
        [sys.executable, "-m", "bridge", "serve", "--port", "0", "--tick-rate", "200", "--seed", str(SAMPLE_SEED),
         "--data-dir", str(project.parent / "data")],
        env=_env(UE_MOCK_PROJECT_DIR=str(project)), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        cwd=str(project.parent),
    )
    assert process.stdout is not None
    seen: List[str] = []
    url = None
    for line in process.stdout:
        seen.append(line)
        if line.startswith("Unreal Python bridge listening on "):
            url = line.split()[5]
        if line.startswith("Command line:"):
            break
    try:
        if url is None:
            pytest.fail("the server did not start:\n" + "".join(seen))
        yield Served(url, seen)
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(15)
        process.stdout.close()


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bridge", *args], env=_env(), capture_output=True, text=True,
                          timeout=60, cwd=str(ROOT))


def execute(url: str, code: str) -> str:
    request = urllib.request.Request(url + "/api/v1/python/execute", method="POST",
                                     data=json.dumps({"code": "import unreal\n" + code}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        body = json.load(response)
    assert body["success"], body
    return str(body["output"])


ACTOR_COUNT = "print(len(unreal.EditorLevelLibrary.get_all_level_actors()))"


def test_the_host_says_what_the_seed_holds(served: Served) -> None:
    assert f"Seeded from {SAMPLE_SEED}: 11 assets, 6 actors in /Game/Maps/Demo\n" in served.lines
    selected = execute(served.url, "print([a.get_name() for a in unreal.EditorUtilityLibrary.get_selected_assets()])")
    assert selected.strip() == "['Lamp', 'Metal_N']"


def test_mock_commands_reset_snapshot_and_restore(served: Served) -> None:
    execute(served.url, "unreal.EditorLevelLibrary.spawn_actor_from_class(unreal.PointLight, unreal.Vector())")
    assert execute(served.url, ACTOR_COUNT).strip() == "7"
    kept = cli("mock", "snapshot", "seven", "--url", served.url)
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout == "snapshot: 11 assets, 7 actors in /Game/Maps/Demo; snapshots: seven\n"
    reset = cli("mock", "reset", "--url", served.url)
    assert reset.returncode == 0 and "reset: 11 assets, 6 actors" in reset.stdout
    assert execute(served.url, ACTOR_COUNT).strip() == "6"
    restored = cli("mock", "restore", "seven", "--url", served.url)
    assert restored.returncode == 0 and "restore: 11 assets, 7 actors" in restored.stdout
    assert execute(served.url, ACTOR_COUNT).strip() == "7"


def test_restoring_an_unknown_snapshot_exits_2_with_the_reason(served: Served) -> None:
    missing = cli("mock", "restore", "never-taken", "--url", served.url)
    assert missing.returncode == 2
    assert "no snapshot named 'never-taken'" in missing.stderr


def test_mock_commands_without_a_bridge_say_so(tmp_path: Path) -> None:
    result = cli("mock", "reset", "--url", "http://127.0.0.1:9")
    assert result.returncode == 2 and "cannot reach the bridge" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the seed file"),
        ("{", "is not valid json"),
        ('{"actors": [{"label": "A", "colour": "red"}]}', "unknown actor fields"),
    ],
)
def test_serve_refuses_a_bad_seed_before_it_listens(tmp_path: Path, content: str, message: str) -> None:
    seed = tmp_path / "project.json"
    if content is not None:
        seed.write_text(content)
    result = subprocess.run(
        [sys.executable, "-m", "bridge", "serve", "--port", "0", "--seed", str(seed)],
        env=_env(UE_MOCK_PROJECT_DIR=str(tmp_path / "MockProject")), capture_output=True, text=True, timeout=60,
        cwd=str(tmp_path),
    )
    assert result.returncode == 2
    assert message in result.stderr and "listening" not in result.stdout
