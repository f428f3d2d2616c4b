"""POST /api/v1/python/execute with `file` or `module`: code as real tools ship it, over real HTTP."""
from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any, Dict, Iterator

import aiohttp
import pytest

from mock_unreal.testing import project_fixture

from ..conftest import BridgeFactory


@pytest.fixture(autouse=True)
def clean_imports() -> Iterator[None]:
    """Each test's packages and sys.path entries are its own: the editor's interpreter is shared."""
    path, modules = list(sys.path), set(sys.modules)
    yield
    sys.path[:] = path
    for name in set(sys.modules) - modules:
        del sys.modules[name]


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A fresh mock project folder of the test's own."""
    for handle in project_fixture(tmp_path):
        yield Path(handle.unreal.Paths.project_dir())


@pytest.fixture
async def http_on(start_bridge: BridgeFactory) -> Any:
    """`http_on(**settings)`: a client of a bridge started with those settings."""
    sessions = []

    async def start(**settings: Any) -> aiohttp.ClientSession:
        host = start_bridge(**settings)
        session = aiohttp.ClientSession(base_url=host.url)
        sessions.append(session)
        return session

    yield start
    for session in sessions:
        await session.close()


async def execute(http: aiohttp.ClientSession, status: int = 200, **body: Any) -> Dict[str, Any]:
    async with http.post("/api/v1/python/execute", json=body) as response:
        reply = await response.json()
        assert response.status == status, reply
        return dict(reply)


async def test_a_file_runs_as_epics_execute_file(project: Path, http_on: Any) -> None:
    python = project / "Content" / "Python"
    write(python, "unreal_global.py", "GREETING = 'hello from a sibling'\n")
    tool = write(python, "tool.py", """\
        import sys
        import unreal
        import unreal_global
        print(unreal_global.GREETING, __name__, __file__, sys.argv, sys.path[0], sep="|")
        unreal.EditorAssetLibrary.make_directory("/Game/FromFile")
    """)
    http = await http_on()
    reply = await execute(http, file=str(tool), args=["--fast", "two words"])
    assert reply["status"] == "completed", reply
    greeting, name, file, argv, first = reply["output"].strip().split("|")
    assert (greeting, name, file) == ("hello from a sibling", "__main__", str(tool.resolve()))
    assert argv == repr([str(tool.resolve()), "--fast", "two words"]) and first == str(python.resolve())
    assert reply["result"] is None
    after = await execute(http, code="import sys, unreal\n(sys.path[0], sys.argv, "
                                     "unreal.EditorAssetLibrary.does_directory_exist('/Game/FromFile'))")
    assert str(python.resolve()) not in after["result"].split(",")[0] and "True" in after["result"]


async def test_a_relative_path_is_found_in_the_project_then_its_python_folder(project: Path, http_on: Any) -> None:
    write(project / "Content" / "Python", "where.py", "print('content python')\n")
    write(project, "Scripts/where.py", "print('project folder')\n")
    http = await http_on()
    assert (await execute(http, file="where.py"))["output"] == "content python\n"
    assert (await execute(http, file="Scripts/where.py"))["output"] == "project folder\n"


async def test_a_file_in_a_package_runs_as_its_module(project: Path, http_on: Any) -> None:
    python = project / "Content" / "Python"
    write(python, "studio_tools/__init__.py", "")
    write(python, "studio_tools/naming.py", "PREFIX = 'SM_'\n")
    tool = write(python, "studio_tools/rename.py", """\
        import sys
        from .naming import PREFIX
        print(__name__, __package__, PREFIX + sys.argv[1])
    """)
    http = await http_on(python={"paths": ["Content/Python"]})
    reply = await execute(http, file=str(tool), args=["Rock"])
    assert reply["status"] == "completed", reply
    assert reply["output"] == "__main__ studio_tools SM_Rock\n"


# As outside pytest, where Python's default filters hide the ImportWarning that precedes the ImportError.
@pytest.mark.filterwarnings("ignore::ImportWarning")
async def test_a_package_not_on_sys_path_runs_its_file_as_a_loose_script(project: Path, http_on: Any) -> None:
    write(project, "Loose/pkg/__init__.py", "")
    tool = write(project, "Loose/pkg/tool.py", "from . import x\n")
    http = await http_on()
    reply = await execute(http, file=str(tool))
    assert reply["status"] == "failed" and reply["error_type"] == "ImportError", reply
    assert "relative import" in reply["error"]


async def test_a_module_runs_as_python_dash_m(project: Path, http_on: Any) -> None:
    python = project / "Content" / "Python"
    write(python, "asset_report/__init__.py", "COUNT = 3\n")
    write(python, "asset_report/__main__.py", """\
        import sys
        from . import COUNT
        print("package", __name__, COUNT, sys.argv[1:])
    """)
    write(python, "asset_report/cli.py", """\
        import sys
        from . import COUNT
        print("module", __name__, __package__, __file__.endswith("cli.py"), sys.argv[1:])
    """)
    http = await http_on(python={"paths": ["Content/Python"]})
    reply = await execute(http, module="asset_report.cli", args=["a"])
    assert reply["output"] == "module __main__ asset_report True ['a']\n", reply
    reply = await execute(http, module="asset_report", args=["b"])
    assert reply["output"] == "package __main__ 3 ['b']\n", reply


async def test_a_module_that_is_not_there_fails_like_python(http_on: Any) -> None:
    http = await http_on()
    reply = await execute(http, module="no_such_tool_anywhere")
    assert reply["status"] == "failed" and reply["error_type"] == "ModuleNotFoundError"
    assert "No module named 'no_such_tool_anywhere'" in reply["error"]
    reply = await execute(http, module="json")  # a package without __main__
    assert reply["error_type"] == "ModuleNotFoundError" and "cannot be directly executed" in reply["error"]


async def test_a_failing_file_names_its_own_file_and_line(project: Path, http_on: Any) -> None:
    tool = write(project / "Content" / "Python", "broken.py", "x = 1\nraise ValueError('bad asset name')\n")
    http = await http_on()
    reply = await execute(http, file=str(tool))
    assert reply["status"] == "failed" and reply["error"] == "ValueError: bad asset name"
    assert f'File "{tool.resolve()}", line 2' in reply["traceback"]
    assert "raise ValueError('bad asset name')" in reply["traceback"]


async def test_the_configured_folders_are_on_sys_path_and_may_be_run(
    project: Path, tmp_path: Path, http_on: Any
) -> None:
    shared = tmp_path / "studio_shared"
    write(shared, "studio_helpers.py", "def label():\n    return 'shared helper'\n")
    tool = write(shared, "run_me.py", "import studio_helpers\nprint(studio_helpers.label())\n")
    http = await http_on(python={"paths": [str(shared)]})
    assert str(shared.resolve()) in sys.path
    assert (await execute(http, file=str(tool)))["output"] == "shared helper\n"
    assert (await execute(http, code="import studio_helpers\nstudio_helpers.label()"))["result"] == "'shared helper'"


async def test_the_run_says_what_it_ran(project: Path, http_on: Any) -> None:
    tool = write(project / "Content" / "Python", "named.py", "print('ok')\n")
    http = await http_on()
    reply = await execute(http, file="named.py", args=["x"], tags=["ci"])
    async with http.get(f"/api/executions/{reply['job_id']}") as response:
        execution = (await response.json())["data"]["execution"]
    assert execution["command"] == f"python {tool.resolve()} x" and execution["name"] == execution["command"]
    assert execution["metadata"]["source"] == {"file": str(tool.resolve()), "module": None, "args": ["x"]}


async def test_paths_outside_the_allowed_folders_are_refused(project: Path, tmp_path: Path, http_on: Any) -> None:
    outside = write(tmp_path / "elsewhere", "steal.py", "print('should not run')\n")
    http = await http_on()
    for given in (str(outside), "../" * len(project.parts) + str(outside).lstrip("/")):
        reply = await execute(http, 400, file=given)
        assert reply["error_code"] == "PATH_NOT_ALLOWED", reply
        assert given in reply["error"] and str(project.resolve()) in reply["error"]
        assert "python.paths" in reply["error"]
    link = project / "Content" / "Python" / "link.py"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside)  # a link inside that points outside is outside
    assert (await execute(http, 400, file=str(link)))["error_code"] == "PATH_NOT_ALLOWED"


@pytest.mark.parametrize("body, code, fragment", [
    ({"file": "missing_tool.py"}, "FILE_NOT_FOUND", "missing_tool.py does not exist (looked in"),
    ({"file": "Content"}, "INVALID_REQUEST", "file Content is a folder"),
    ({"file": "x.py", "code": "print(1)"}, "INVALID_REQUEST", "one of code, file and module; got code and file"),
    ({"module": "a", "file": "x.py"}, "INVALID_REQUEST", "got file and module"),
    ({"code": "print(1)", "args": ["a"]}, "INVALID_REQUEST", "args are for a `file` or `module` run"),
    ({"module": "json.tool", "mode": "eval"}, "INVALID_REQUEST", "mode and session_id are for `code`"),
    ({"module": "json.tool", "session_id": "s1"}, "INVALID_REQUEST", "mode and session_id are for `code`"),
    ({"module": "../etc"}, "INVALID_REQUEST", "module: String should match pattern"),
    ({"module": ".relative"}, "INVALID_REQUEST", "module: String should match pattern"),
    ({"file": ""}, "INVALID_REQUEST", "file: String should have at least 1 character"),
    ({"module": "json", "metadata": {"source": 1}}, "INVALID_REQUEST", "the metadata key 'source' is reserved"),
    ({"args": ["a"]}, "MISSING_FIELD", "Missing required field: code"),
])
async def test_bad_file_and_module_requests(
    project: Path, http_on: Any, body: Dict[str, Any], code: str, fragment: str
) -> None:
    (project / "Content").mkdir(exist_ok=True)
    http = await http_on()
    reply = await execute(http, 400, **body)
    assert reply["error_code"] == code and fragment in reply["error"], reply


async def test_an_interrupted_file_puts_sys_argv_and_sys_path_back(project: Path, http_on: Any) -> None:
    python = project / "Content" / "Python"
    tool = write(python, "forever.py", "while True:\n    pass\n")
    http = await http_on()
    before = await execute(http, code="import sys\n(sys.argv, sys.path[:3])")
    reply = await execute(http, file=str(tool), timeout=0.3)
    assert reply["status"] == "failed" and reply["error_type"] == "TimeoutError", reply
    after = await execute(http, code="import sys\n(sys.argv, sys.path[:3])")
    assert after["result"] == before["result"]


@pytest.mark.parametrize("name", ["bad\x00name.py", "x" * 300 + ".py", "/" + "x" * 300 + "/a.py"])
async def test_a_path_the_file_system_cannot_look_up_is_a_400_not_a_crash(http_on: Any, name: str) -> None:
    http = await http_on()
    reply = await execute(http, 400, file=name)
    assert reply["error"].startswith("file "), reply
