"""The naming tools against the seeded sample project (project.json, via the ini's unreal_seed)."""

import runpy
import sys

import unreal
from sample_tools import naming


def test_misnamed_assets_are_found(unreal_project):
    assert naming.misnamed_assets() == [
        ("/Game/Meshes/Lamp", "SM_Lamp"),
        ("/Game/Textures/Metal_N", "T_Metal_N"),
    ]


def test_fix_names_renames_and_references_follow(unreal_project):
    assert naming.fix_names() == 2
    assets = unreal_project.assets()
    assert "/Game/Meshes/SM_Lamp" in assets and "/Game/Meshes/Lamp" not in assets
    assert "/Game/Textures/T_Metal_N" in assets
    lamp = unreal_project.actor("Lamp_01").static_mesh_component.static_mesh
    assert lamp is unreal_project.asset("/Game/Meshes/SM_Lamp")
    assert naming.misnamed_assets() == []


def test_runs_as_a_module_with_its_relative_import(unreal_project, capsys, monkeypatch):
    monkeypatch.delitem(sys.modules, "sample_tools.naming")  # as `python -m` finds it: not imported yet
    runpy.run_module("sample_tools.naming", run_name="__main__")
    assert "renamed 2 assets" in capsys.readouterr().out
    assert "Renamed /Game/Meshes/Lamp -> /Game/Meshes/SM_Lamp" in unreal_project.log_lines("Log")


def test_each_test_starts_from_the_seed_again(unreal_project):
    # The test above renamed Lamp; this one sees the seed as written.
    assert unreal.EditorAssetLibrary.does_asset_exist("/Game/Meshes/Lamp")
