"""The selection report: the seed selects two assets and two chairs, a test can select something else."""

import json

from sample_tools import level_report


def test_report_lists_the_seeded_selection(unreal_project):
    report = level_report.selection_report()
    assert report["assets"] == [
        {"path": "/Game/Meshes/Lamp", "class": "StaticMesh"},
        {"path": "/Game/Textures/Metal_N", "class": "Texture2D"},
    ]
    assert report["actors"] == [
        {"label": "Chair_01", "mesh": "/Game/Meshes/SM_Chair"},
        {"label": "Chair_02", "mesh": "/Game/Meshes/SM_Chair"},
    ]


def test_a_test_can_select_something_else(unreal_project):
    unreal_project.select_assets(["/Game/Meshes/SM_Table"])
    unreal_project.select_actors(["KeyLight"])
    path = level_report.write_report()
    with open(path) as f:
        written = json.load(f)
    assert written == {
        "assets": [{"path": "/Game/Meshes/SM_Table", "class": "StaticMesh"}],
        "actors": [{"label": "KeyLight", "mesh": None}],
    }
