"""Clean state: a seed to reset to, named snapshots to restore, and seeds that are refused with a reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mock_unreal import snapshots
from mock_unreal.testing import MockProject

SEED = {
    "assets": {"/Game/Props/SM_Crate": "StaticMesh", "/Game/Props/Rock": "StaticMesh", "/Game/Maps/Main": "World"},
    "level": "/Game/Maps/Main",
    "actors": [{"label": "Crate_01", "static_mesh": "/Game/Props/SM_Crate"}, {"label": "Rock_01"}],
    "selected_assets": ["/Game/Props/Rock"],
    "selected_actors": ["Rock_01"],
}


def test_reset_returns_to_the_seed(unreal_project: MockProject, tmp_path: Path) -> None:
    snapshots.start_from_seed(SEED)
    u = unreal_project.unreal
    u.EditorAssetLibrary.delete_asset("/Game/Props/Rock")
    u.EditorLevelLibrary.spawn_actor_from_class(u.PointLight, u.Vector(0, 0, 0))
    held = snapshots.reset_to_seed()
    assert held["assets"] == 3 and held["actors"] == 2 and held["level"] == "/Game/Maps/Main"
    assert held["selected_assets"] == ["/Game/Props/Rock"] and held["selected_actors"] == ["Rock_01"]
    assert [a.get_actor_label() for a in unreal_project.actors()] == ["Crate_01", "Rock_01"]
    assert held["seed"] == "inline"


def test_reset_without_a_seed_is_an_empty_project(unreal_project: MockProject) -> None:
    unreal_project.add_asset("StaticMesh", "/Game/SM_Left")
    held = snapshots.reset_to_seed()
    assert held["assets"] == 0 and held["seed"] is None and unreal_project.assets() == {}


def test_reset_keeps_the_project_folder(unreal_project: MockProject) -> None:
    before = unreal_project.unreal.Paths.project_dir()
    snapshots.reset_to_seed()
    assert unreal_project.unreal.Paths.project_dir() == before


def test_restore_brings_back_a_snapshot_again_and_again(unreal_project: MockProject) -> None:
    snapshots.start_from_seed(SEED)
    u = unreal_project.unreal
    u.EditorAssetLibrary.rename_asset("/Game/Props/Rock", "/Game/Props/SM_Rock")
    snapshots.take_snapshot("renamed")
    for _ in range(2):
        snapshots.reset_to_seed()
        assert "/Game/Props/SM_Rock" not in unreal_project.assets()
        held = snapshots.restore_snapshot("renamed")
        assert "/Game/Props/SM_Rock" in unreal_project.assets() and held["snapshots"] == ["renamed"]
        u.EditorAssetLibrary.delete_asset("/Game/Props/SM_Rock")  # changes after a restore leave it intact
    mesh = unreal_project.asset("/Game/Props/SM_Crate")
    assert unreal_project.actor("Crate_01").static_mesh_component.static_mesh is mesh


def test_restore_brings_back_the_names_new_objects_get(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    snapshots.take_snapshot("empty")
    first = u.EditorLevelLibrary.spawn_actor_from_class(u.PointLight, u.Vector(0, 0, 0)).get_name()
    snapshots.restore_snapshot("empty")
    again = u.EditorLevelLibrary.spawn_actor_from_class(u.PointLight, u.Vector(0, 0, 0)).get_name()
    assert first == again


def test_restore_keeps_enum_members_identical(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    actor = unreal_project.add_actor("Crate")
    actor.static_mesh_component.set_mobility(u.ComponentMobility.STATIC)
    snapshots.take_snapshot("static")
    snapshots.restore_snapshot("static")
    assert unreal_project.actor("Crate").static_mesh_component.mobility is u.ComponentMobility.STATIC


def test_an_unknown_snapshot_names_the_ones_there_are(unreal_project: MockProject) -> None:
    snapshots.take_snapshot("before")
    with pytest.raises(snapshots.SnapshotNotFound, match="no snapshot named 'after'; snapshots: before"):
        snapshots.restore_snapshot("after")


def test_the_fixture_forgets_snapshots_between_tests(unreal_project: MockProject) -> None:
    assert snapshots.snapshot_names() == []  # the tests above took some


def test_a_seed_file_is_read_as_json_or_yaml(unreal_project: MockProject, tmp_path: Path) -> None:
    as_json = tmp_path / "seed.json"
    as_json.write_text(json.dumps(SEED))
    assert snapshots.start_from_seed(as_json)["seed"] == str(as_json)
    as_yaml = tmp_path / "seed.yaml"
    as_yaml.write_text("assets:\n  /Game/M_Wood: Material\n")
    assert snapshots.start_from_seed(as_yaml)["assets"] == 1


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("broken.json", "{", "is not valid json"),
        ("broken.yaml", "assets: [", "is not valid YAML"),
        ("list.json", "[1, 2]", "must hold an object"),
        ("keys.json", '{"asets": {}}', "unknown seed keys \\['asets'\\]"),
        ("class.json", '{"assets": {"/Game/X": "NoSuchClass"}}', "unknown class 'NoSuchClass'"),
        ("select.json", '{"selected_assets": ["/Game/Missing"]}', "cannot select assets that do not exist"),
    ],
)
def test_a_bad_seed_is_refused_with_the_reason(
    unreal_project: MockProject, tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(snapshots.SeedError, match=message):
        snapshots.start_from_seed(path)
    assert unreal_project.assets() == {}  # a half-applied seed is not left behind


def test_a_missing_seed_file_is_named(unreal_project: MockProject, tmp_path: Path) -> None:
    with pytest.raises(snapshots.SeedError, match=r"cannot read the seed file .*nope\.json"):
        snapshots.start_from_seed(tmp_path / "nope.json")


def _pytest_in(folder: Path, *args: str, expected: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UE_BRIDGE_", "UE_MOCK_", "PYTEST_"))}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=folder, env={**env, "EXPECTED": expected}, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_the_plugin_seeds_from_the_command_line_or_the_ini(tmp_path: Path) -> None:
    """The installed entry point alone (no conftest): --unreal-seed wins over the ini's unreal_seed."""
    (tmp_path / "ini_seed.json").write_text(json.dumps({"assets": {"/Game/FromIni": "Material"}}))
    (tmp_path / "cli_seed.json").write_text(json.dumps({"assets": {"/Game/FromCli": "Material"}}))
    (tmp_path / "pytest.ini").write_text("[pytest]\nunreal_seed = ini_seed.json\n"
                                         "asyncio_default_fixture_loop_scope = function\n")
    (tmp_path / "test_seeded.py").write_text(
        "import os, unreal\n\n"
        "def test_seeded(unreal_project):\n"
        "    assert unreal.EditorAssetLibrary.list_assets('/Game') == [os.environ['EXPECTED']]\n"
    )
    ini = _pytest_in(tmp_path, expected="/Game/FromIni.FromIni")
    assert ini.returncode == 0, ini.stdout + ini.stderr
    cli = _pytest_in(tmp_path, "--unreal-seed", "cli_seed.json", expected="/Game/FromCli.FromCli")
    assert cli.returncode == 0, cli.stdout + cli.stderr
    wrong = _pytest_in(tmp_path, expected="/Game/Nothing.Nothing")  # the check itself can fail
    assert wrong.returncode == 1 and "1 failed" in wrong.stdout
    off = _pytest_in(tmp_path, "-p", "no:mock_unreal", expected="/Game/FromIni.FromIni")
    assert off.returncode != 0 and "No module named 'unreal'" in off.stdout, off.stdout
