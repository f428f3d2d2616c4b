"""Every script in editor_scripts/ run against the mock project, with its effects asserted."""
from __future__ import annotations

from pathlib import Path

import pytest

from editor_scripts.batch_rename import batch_rename
from editor_scripts.create_material_instances import create_material_instances
from editor_scripts.import_folder import import_folder
from editor_scripts.list_assets import list_assets
from editor_scripts.organize_assets import organize_assets
from editor_scripts.save_dirty_assets import save_dirty_assets
from editor_scripts.set_actor_properties import set_actor_properties
from editor_scripts.set_texture_settings import set_texture_settings
from editor_scripts.spawn_actor_grid import spawn_actor_grid
from editor_scripts.take_screenshot import take_screenshot
from editor_scripts.unused_assets import unused_assets
from editor_scripts.validate_naming import validate_naming
from mock_unreal.testing import MockProject

PROPS = {
    "assets": {
        "/Game/Props/Rock": "StaticMesh",
        "/Game/Props/SM_Tree": "StaticMesh",
        "/Game/Props/Bark": "Texture2D",
        "/Game/Props/Sub/Crate": "StaticMesh",
        "/Game/Materials/Base": "Material",
        "/Game/Other/Hero": "SkeletalMesh",
    }
}


def test_list_assets_filters_by_class_name_and_folder(unreal_project: MockProject) -> None:
    unreal_project.seed(PROPS)
    everything = list_assets("/Game/Props")
    assert [a["path"] for a in everything] == [
        "/Game/Props/Bark.Bark", "/Game/Props/Rock.Rock", "/Game/Props/SM_Tree.SM_Tree",
        "/Game/Props/Sub/Crate.Crate",
    ]
    assert {a["class"] for a in everything} == {"StaticMesh", "Texture2D"}
    meshes = list_assets("/Game", class_names=["staticmesh"], recursive=True)
    assert {a["name"] for a in meshes} == {"Rock", "SM_Tree", "Crate"}
    assert [a["name"] for a in list_assets("/Game/Props", name_contains="tre")] == ["SM_Tree"]
    assert [a["name"] for a in list_assets("/Game/Props", recursive=False, limit=1)] == ["Bark"]
    with pytest.raises(ValueError, match="does not exist"):
        list_assets("/Game/Nope")


def test_batch_rename_prefixes_by_class_and_reports(unreal_project: MockProject) -> None:
    unreal_project.seed(PROPS)
    preview = batch_rename("/Game/Props", dry_run=True)
    assert {r["to"] for r in preview} == {
        "/Game/Props/SM_Rock", "/Game/Props/T_Bark", "/Game/Props/Sub/SM_Crate",
    }
    assert unreal_project.asset("/Game/Props/Rock") is not None  # dry run changed nothing
    renamed = batch_rename("/Game/Props", prefixes={"Texture2D": "TX_"})
    assert {r["to"] for r in renamed} == {
        "/Game/Props/SM_Rock", "/Game/Props/TX_Bark", "/Game/Props/Sub/SM_Crate",
    }
    assert set(unreal_project.assets("/Game/Props")) == {
        "/Game/Props/SM_Rock", "/Game/Props/SM_Tree", "/Game/Props/TX_Bark", "/Game/Props/Sub/SM_Crate",
    }
    assert unreal_project.slow_tasks[-1]["work"] == 4 and unreal_project.slow_tasks[-1]["finished"]


def test_batch_rename_fixes_a_wrong_prefix_and_skips_taken_names(unreal_project: MockProject) -> None:
    unreal_project.seed({"assets": {"/Game/T/SM_Leaf": "Texture2D", "/Game/T/Moss": "Texture2D",
                                    "/Game/T/T_Moss": "Texture2D"}})
    renamed = batch_rename("/Game/T")
    assert [r["to"] for r in renamed] == ["/Game/T/T_Leaf"]
    assert any("T_Moss already exists" in line for line in unreal_project.log_lines("Warning"))


def test_batch_rename_stops_when_cancelled(unreal_project: MockProject) -> None:
    unreal_project.seed(PROPS)
    unreal_project.cancel_slow_tasks_after(1)
    renamed = batch_rename("/Game/Props")
    assert len(renamed) == 1
    assert any("cancelled" in line for line in unreal_project.log_lines("Warning"))


def test_organize_assets_moves_by_type(unreal_project: MockProject) -> None:
    unreal_project.seed({"assets": {
        "/Game/Imports/SM_Rock": "StaticMesh", "/Game/Imports/T_Rock": "Texture2D",
        "/Game/Imports/M_Rock": "Material", "/Game/Imports/Deep/S_Hit": "SoundWave",
        "/Game/Imports/DA_Thing": "DataAsset",
    }})
    moved = organize_assets("/Game/Imports", "/Game/Art")
    assert moved == {
        "Audio": ["/Game/Art/Audio/S_Hit"], "Materials": ["/Game/Art/Materials/M_Rock"],
        "Meshes": ["/Game/Art/Meshes/SM_Rock"], "Textures": ["/Game/Art/Textures/T_Rock"],
    }
    assert set(unreal_project.assets("/Game")) == {
        "/Game/Art/Audio/S_Hit", "/Game/Art/Materials/M_Rock", "/Game/Art/Meshes/SM_Rock",
        "/Game/Art/Textures/T_Rock", "/Game/Imports/DA_Thing",
    }
    assert organize_assets("/Game/Art", "/Game/Art") == {}  # already tidy


def test_unused_assets_reports_and_archives(unreal_project: MockProject) -> None:
    unreal_project.seed({
        "assets": {
            "/Game/Env/T_Used": "Texture2D", "/Game/Env/T_Orphan": "Texture2D",
            "/Game/Env/M_Used": "Material", "/Game/Env/Maps/L_Main": "World",
        },
        "references": {
            "/Game/Env/M_Used": ["/Game/Env/T_Used"], "/Game/Env/Maps/L_Main": ["/Game/Env/M_Used"],
        },
    })
    report = unused_assets("/Game/Env")
    assert report == {"unused": ["/Game/Env/T_Orphan"], "archived": []}
    archived = unused_assets("/Game/Env", archive_to="/Game/Archive")
    assert archived["archived"] == ["/Game/Archive/T_Orphan"]
    assert unreal_project.asset("/Game/Archive/T_Orphan") is not None
    assert unreal_project.asset("/Game/Env/T_Orphan") is None


def test_validate_naming_lists_each_problem_and_logs_it(unreal_project: MockProject) -> None:
    unreal_project.seed({"assets": {
        "/Game/V/SM_Good": "StaticMesh", "/Game/V/Rock": "StaticMesh", "/Game/V/T_Bad__Name": "Texture2D",
        "/Game/V/M_Way_Too_Long_Name_For_Anyone": "Material",
    }})
    problems = validate_naming("/Game/V", max_length=20)
    by_asset = {(p["asset"], p["problem"]) for p in problems}
    assert by_asset == {
        ("/Game/V/Rock", "StaticMesh names start with SM_"),
        ("/Game/V/T_Bad__Name", "no double underscores"),
        ("/Game/V/M_Way_Too_Long_Name_For_Anyone", "name is 30 characters; at most 20"),
    }
    assert "/Game/V/Rock: StaticMesh names start with SM_" in unreal_project.log_lines("Warning")


def test_spawn_actor_grid_places_labelled_actors(unreal_project: MockProject) -> None:
    unreal_project.seed({"assets": {"/Game/Props/SM_Cube": "StaticMesh"}, "level": "/Game/Maps/L_Test"})
    labels = spawn_actor_grid("/Game/Props/SM_Cube", rows=2, columns=3, spacing=100.0,
                              origin=[10.0, 0.0, 5.0], label_prefix="Cube", folder="Props/Grid")
    assert labels == ["Cube_0_0", "Cube_0_1", "Cube_0_2", "Cube_1_0", "Cube_1_1", "Cube_1_2"]
    actor = unreal_project.actor("Cube_1_2")
    location = actor.get_actor_location()
    assert (location.x, location.y, location.z) == (110.0, 200.0, 5.0)
    assert str(actor.get_folder_path()) == "Props/Grid"
    assert actor.static_mesh_component.static_mesh is unreal_project.asset("/Game/Props/SM_Cube")
    with pytest.raises(ValueError, match="is not a static mesh"):
        spawn_actor_grid("/Game/Props/Missing")


def test_set_actor_properties_on_selection_and_filters(unreal_project: MockProject) -> None:
    unreal_project.seed({"level": "/Game/Maps/L_Test", "actors": [
        {"label": "Lamp_A", "class": "PointLight", "selected": True},
        {"label": "Rock_A", "tags": ["rock"], "selected": True},
        {"label": "Rock_B", "tags": ["rock"]},
    ]})
    changed = set_actor_properties({"location": [1, 2, 3], "hidden": True})
    assert sorted(changed) == ["Lamp_A", "Rock_A"]
    location = unreal_project.actor("Rock_A").get_actor_location()
    assert (location.x, location.y, location.z) == (1.0, 2.0, 3.0)
    assert unreal_project.actor("Rock_A").get_editor_property("hidden") is True
    assert unreal_project.actor("Rock_B").get_editor_property("hidden") is False
    changed = set_actor_properties({"scale": [2, 2, 2]}, selected_only=False, tag="rock", label_contains="_B")
    assert changed == ["Rock_B"]
    assert unreal_project.actor("Rock_B").get_actor_scale3d().x == 2.0
    changed = set_actor_properties({"rotation": [0, 0, 90]}, selected_only=False, class_name="PointLight")
    assert changed == ["Lamp_A"]
    assert unreal_project.actor("Lamp_A").get_actor_rotation().yaw == pytest.approx(90.0)
    with pytest.raises(ValueError, match="no class Nope"):
        set_actor_properties({"hidden": True}, class_name="Nope")


def test_create_material_instances_with_parameters(unreal_project: MockProject) -> None:
    unreal_project.seed({"assets": {
        "/Game/Materials/M_Base": "Material", "/Game/Textures/T_Noise": "Texture2D",
    }})
    created = create_material_instances(
        "/Game/Materials/M_Base", ["MI_Wet", "MI_Dry"], destination="/Game/Materials/Inst",
        scalar_parameters={"Roughness": 0.2}, vector_parameters={"Tint": [1.0, 0.5, 0.25, 1.0]},
        texture_parameters={"Detail": "/Game/Textures/T_Noise"},
    )
    assert created == ["/Game/Materials/Inst/MI_Wet.MI_Wet", "/Game/Materials/Inst/MI_Dry.MI_Dry"]
    unreal = unreal_project.unreal
    mel = unreal.MaterialEditingLibrary
    wet = unreal_project.asset("/Game/Materials/Inst/MI_Wet")
    assert wet.get_editor_property("parent") is unreal_project.asset("/Game/Materials/M_Base")
    assert mel.get_material_instance_scalar_parameter_value(wet, "Roughness") == pytest.approx(0.2)
    tint = mel.get_material_instance_vector_parameter_value(wet, "Tint")
    assert tint == unreal.LinearColor(1.0, 0.5, 0.25, 1.0)
    assert mel.get_material_instance_texture_parameter_value(wet, "Detail") is unreal_project.asset(
        "/Game/Textures/T_Noise")
    assert unreal_project.is_saved("/Game/Materials/Inst/MI_Wet")
    again = create_material_instances("/Game/Materials/M_Base", ["MI_Wet"], "/Game/Materials/Inst")
    assert again == []
    with pytest.raises(ValueError, match="is not a texture"):
        create_material_instances("/Game/Materials/M_Base", ["MI_X"], texture_parameters={"D": "/Game/Nope"})


def test_import_folder_imports_matching_files(unreal_project: MockProject, tmp_path: Path) -> None:
    source = tmp_path / "incoming"
    (source / "sub").mkdir(parents=True)
    (source / "Rock.obj").write_text("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", encoding="utf-8")
    unreal_project.write_file("../incoming/Rock_D.png", {"png": [4, 4]})
    (source / "notes.txt").write_text("skip me", encoding="utf-8")
    unreal_project.write_file("../incoming/sub/Hit.wav", {"wav": 0.1})
    flat = import_folder(str(source), "/Game/Imports")
    assert sorted(flat) == ["/Game/Imports/Rock.Rock", "/Game/Imports/Rock_D.Rock_D"]
    deep = import_folder(str(source), "/Game/Imports", extensions=["wav"], recursive=True)
    assert deep == ["/Game/Imports/sub/Hit.Hit"]
    assert unreal_project.assets("/Game/Imports") == {
        "/Game/Imports/Rock": "StaticMesh", "/Game/Imports/Rock_D": "Texture2D",
        "/Game/Imports/sub/Hit": "SoundWave",
    }
    assert import_folder(str(source), extensions=[".fbx"]) == []
    with pytest.raises(ValueError, match="is not a folder"):
        import_folder(str(tmp_path / "missing"))


def test_take_screenshot_records_and_writes_png(unreal_project: MockProject) -> None:
    unreal_project.seed({"level": "/Game/Maps/L_Test",
                         "actors": [{"label": "ShotCam", "class": "CameraActor"}]})
    reply = take_screenshot(640, 360, "hero.png", camera_label="ShotCam")
    assert reply["width"] == 640 and reply["camera"] == "ShotCam"
    shot = unreal_project.screenshots[-1]
    assert (shot["res_x"], shot["res_y"]) == (640, 360)
    assert shot["camera"] is not None
    assert Path(shot["filename"]).read_bytes().startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="no CameraActor"):
        take_screenshot(camera_label="Nope")
    with pytest.raises(ValueError, match="between 1 and 16384"):
        take_screenshot(0, 10)


def test_set_texture_settings_by_suffix(unreal_project: MockProject) -> None:
    unreal_project.seed({"assets": {"/Game/T/T_Rock_N": "Texture2D", "/Game/T/T_Rock_ORM": "Texture2D",
                                    "/Game/T/T_Rock_D": "Texture2D", "/Game/T/T_Sky": "Texture2D"}})
    changed = set_texture_settings("/Game/T")
    assert {c["texture"]: c["compression"] for c in changed} == {
        "/Game/T/T_Rock_N": "TC_NORMALMAP", "/Game/T/T_Rock_ORM": "TC_MASKS",
    }  # T_Rock_D already has the default settings, T_Sky has no known suffix
    unreal = unreal_project.unreal
    normal = unreal_project.asset("/Game/T/T_Rock_N")
    normal_map = unreal.TextureCompressionSettings.TC_NORMALMAP
    assert normal.get_editor_property("compression_settings") == normal_map
    assert normal.get_editor_property("srgb") is False
    assert unreal_project.is_saved("/Game/T/T_Rock_N")
    assert set_texture_settings("/Game/T") == []


def test_save_dirty_assets_saves_only_that_folder(unreal_project: MockProject) -> None:
    try:
        unreal_project.unreal.EditorLoadingAndSavingUtils  # noqa: B018
    except NotImplementedError:
        pytest.skip("mock_unreal does not cover EditorLoadingAndSavingUtils yet")
    unreal_project.seed({"assets": {"/Game/A/SM_One": "StaticMesh", "/Game/B/SM_Two": "StaticMesh"}})
    for path in ("/Game/A/SM_One", "/Game/B/SM_Two"):
        unreal_project.asset(path).modify()
    assert save_dirty_assets("/Game/A") == {"saved": ["/Game/A/SM_One"], "success": True}
    assert unreal_project.is_saved("/Game/A/SM_One") and unreal_project.is_dirty("/Game/B/SM_Two")
