"""Expectations of the wild-style scripts added with issue 14: the wider API (cine cameras, level streaming,
asset editors, dependency options, pawns, anim notifies, menu action types, C++ property names) and more
scripts in the styles of UE4-era EditorLevelLibrary code, recipe books and MCP tool scripts.

Merged into WILD_SCRIPTS by wild_expectations.py (import that module, not this one).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any, Dict, List

from mock_unreal.testing import MockProject
from mock_unreal.unreal._menus import menu_entries
from mock_unreal.unreal._streaming import streaming_levels

from .wild_expectations import Expectation


def _json(out: str) -> Any:
    """The JSON a tool script printed last."""
    lines = out.strip().splitlines()
    assert lines, "the script printed nothing"
    return json.loads(lines[-1])


def _hfov(sensor_width: float, focal: float) -> float:
    return math.degrees(2 * math.atan(sensor_width / (2 * focal)))


def _cine_rig(p: MockProject, out: str) -> None:
    cam = p.actor("ShotCam_A").get_cine_camera_component()
    assert (cam.filmback.sensor_width, cam.filmback.sensor_height) == (36.0, 20.25)
    assert cam.get_lens_preset_name() == "24-70mm Zoom f/2.8" and cam.current_focal_length == 35.0
    distance = (p.actor("Crate_01").get_actor_location() - p.actor("ShotCam_A").get_actor_location()).length()
    assert abs(cam.get_editor_property("current_focus_distance") - distance) < 1e-6
    assert f"ShotCam_A focuses at {distance:.1f} cm, hfov {_hfov(36.0, 35.0):.2f}" in out


def _two_cameras(p: MockProject) -> None:
    for label, focal in (("Cam_Wide", 18.0), ("Cam_Tele", 85.0)):
        p.add_actor(label, cls="CineCameraActor").get_cine_camera_component().set_editor_property(
            "current_focal_length", focal)


def _fov_report(p: MockProject, out: str) -> None:
    reply = _json(out)
    assert reply["success"] is True
    assert reply["cameras"] == [
        {"name": name, "focal_length": focal, "hfov": round(_hfov(23.76, focal), 2), "filmback": "16:9 Digital Film"}
        for name, focal in (("Cam_Wide", 18.0), ("Cam_Tele", 85.0))
    ]


def _lighting_sublevel(p: MockProject, out: str) -> None:
    assert p.assets("/Game/Maps").get("/Game/Maps/Main_Lighting") == "World"
    sublevel = p.asset("/Game/Maps/Main_Lighting")
    assert p.actor("KeyLight").get_level().get_outer() is sublevel
    assert p.actor("Crate_01").get_level().get_outer() is p.asset("/Game/Maps/Main")
    assert "moved 1 lights to /Game/Maps/Main_Lighting" in p.log_lines("Log") and "levels: 2" in p.log_lines("Log")


def _audio_map(p: MockProject) -> None:
    p.add_asset("World", "/Game/Maps/Main_Audio")


def _audio_sublevel(p: MockProject, out: str) -> None:
    levels = streaming_levels(p.asset("/Game/Maps/Main"))
    assert len(levels) == 1, levels
    streaming = levels[0]
    assert streaming.get_editor_property("world_asset") is p.asset("/Game/Maps/Main_Audio")
    assert type(streaming).__name__ == "LevelStreamingAlwaysLoaded" and not streaming.is_level_visible()
    assert "audio sublevel added, visible: False" in p.log_lines("Log")


def _open_selected(p: MockProject, out: str) -> None:
    assert p.open_editors == ["/Game/Props/Rock", "/Game/Props/Barrel"]


def _close_editors(p: MockProject, out: str) -> None:
    assert p.open_editors == [] and "closed 2 editors" in out
    assert p.unreal.EditorAssetLibrary.get_metadata_tag(p.asset("/Game/Materials/M_Wood"), "Batch") == "2026-12"


def _deps_csv(p: MockProject, out: str) -> None:
    report = Path(p.unreal.Paths.project_saved_dir()) / "Reports" / "deps.csv"
    with open(report, newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [["mesh", "dependency"], ["/Game/Props/SM_Crate", "/Game/Materials/M_Wood"]]


def _soft_refs(p: MockProject) -> None:
    p.seed({"soft_references": {"/Game/Blueprints/BP_Door": ["/Game/Audio/Click"]}})


def _soft_report(p: MockProject, out: str) -> None:
    assert "/Game/Blueprints/BP_Door soft-references /Game/Audio/Click" in out
    assert "/Game/Props/SM_Crate soft-references nothing" in out  # its material is a hard reference


def _npcs(p: MockProject, out: str) -> None:
    npcs = [p.actor("NPC_01"), p.actor("NPC_02")]
    assert [isinstance(n, p.unreal.Character) for n in npcs] == [True, True]
    assert npcs[1].get_actor_location() == p.unreal.Vector(200, 0, 100)
    for npc in npcs:
        assert npc.capsule_component.get_unscaled_capsule_radius() == 30.0
        assert npc.character_movement.max_walk_speed == 150.0 and str(npc.get_folder_path()) == "NPCs"
    assert "spawned 2 NPCs" in p.log_lines("Log")


def _pawns(p: MockProject) -> None:
    p.add_actor("Drone", cls="Pawn")
    p.add_actor("Guard", cls="Character")


def _pawn_audit(p: MockProject, out: str) -> None:
    for label in ("Drone", "Guard"):
        pawn = p.actor(label)
        assert pawn.get_editor_property("use_controller_rotation_yaw") is False and pawn.actor_has_tag("YawFixed")
    assert "fixed yaw on 2 pawns" in p.log_lines("Warning")


def _walk_cycles(p: MockProject) -> None:
    p.add_asset("AnimSequence", "/Game/Anims/A_Walk", sequence_length=1.2)
    p.add_asset("AnimSequence", "/Game/Anims/A_Idle", sequence_length=2.0)


def _footsteps(p: MockProject, out: str) -> None:
    lib = p.unreal.AnimationLibrary
    walk = p.asset("/Game/Anims/A_Walk")
    events = lib.get_animation_notify_events_for_track(walk, "Footsteps")
    assert [lib.get_anim_notify_event_trigger_time(e) for e in events] == [0.0, 0.4, 0.8, 1.2]
    assert {str(e.notify_name) for e in events} == {"Footstep"}
    assert not lib.get_animation_notify_events(p.asset("/Game/Anims/A_Idle"))
    assert p.is_saved("/Game/Anims/A_Walk") and "A_Walk: 4 notifies" in out


def _run_with_notifies(p: MockProject) -> None:
    u = p.unreal
    run = p.add_asset("AnimSequence", "/Game/Anims/A_Run", sequence_length=1.0)
    for track in ("Feet", "FX"):
        u.AnimationLibrary.add_animation_notify_track(run, track)
    u.AnimationLibrary.add_animation_notify_event(run, "Feet", 0.2, u.AnimNotify)
    u.AnimationLibrary.add_animation_notify_event(run, "Feet", 0.6, u.AnimNotify)
    u.AnimationLibrary.add_animation_notify_state_event(run, "FX", 0.1, 0.5, u.AnimNotifyState)


def _notify_cleanup(p: MockProject, out: str) -> None:
    lib = p.unreal.AnimationLibrary
    run = p.asset("/Game/Anims/A_Run")
    assert [str(t) for t in lib.get_animation_notify_track_names(run)] == ["FX"]
    assert [str(n) for n in lib.get_animation_notify_event_names(run)] == ["AnimNotifyState"]
    assert "removed 2 notifies, tracks left: ['FX']" in p.log_lines("Log")


def _walk_and_run(p: MockProject) -> None:
    p.add_asset("AnimSequence", "/Game/Anims/A_Walk", sequence_length=1.2)
    p.add_asset("AnimSequence", "/Game/Anims/A_Run", sequence_length=0.8)


def _rates(p: MockProject, out: str) -> None:
    lib = p.unreal.AnimationLibrary
    walk, run = p.asset("/Game/Anims/A_Walk"), p.asset("/Game/Anims/A_Run")
    assert lib.get_rate_scale(walk) == lib.get_rate_scale(run) == 1.25
    assert lib.is_root_motion_enabled(run) and not lib.is_root_motion_enabled(walk)
    assert p.is_dirty("/Game/Anims/A_Run")


def _toggles(p: MockProject, out: str) -> None:
    kinds = p.unreal.UserInterfaceActionType
    entries = {name: entry for _, name, entry in menu_entries()["LevelEditor.MainMenu.Views"]}
    assert list(entries) == ["ShowCollision", "ShowBounds", "Refresh"]
    assert entries["ShowCollision"].user_interface_action_type == kinds.TOGGLE_BUTTON
    assert entries["ShowBounds"].user_interface_action_type == kinds.CHECK
    p.click_menu_entry("LevelEditor.MainMenu.Views", "ShowBounds")
    assert "ShowBounds" in p.log_lines("Log")


def _hero_blueprint(p: MockProject, out: str) -> None:
    assert p.is_saved("/Game/Blueprints/BP_Hero")
    hero = p.actor("BP_Hero")
    assert isinstance(hero, p.unreal.Character) and hero.get_class().get_name() == "BP_Hero_C"
    assert hero.capsule_component is not None


def _variants(p: MockProject, out: str) -> None:
    master = p.asset("/Game/Materials/M_Master")
    for variant in ("Rust", "Paint", "Chrome"):
        path = "/Game/Materials/Variants/MI_Master_" + variant
        assert p.asset(path).get_editor_property("parent") is master and p.is_saved(path)


def _user_dir(p: MockProject, out: str) -> None:
    expected = p.unreal.SystemLibrary.get_platform_user_dir() + "UnrealExports/MockProject"
    assert "Exports go to " + expected in p.log_lines("Log")


def _off_grid(p: MockProject) -> None:
    p.actor("Crate_01").set_actor_location(p.unreal.Vector(123, 77, 12), False, True)


def _snapped(p: MockProject, out: str) -> None:
    assert p.actor("Crate_01").get_actor_location() == p.unreal.Vector(100, 100, 0)
    assert "snapped 1 actors" in out


def _replaced(p: MockProject, out: str) -> None:
    barrel = p.asset("/Game/Props/Barrel")
    for label in ("Crate_02", "Rock_01"):
        assert p.actor(label).static_mesh_component.static_mesh is barrel
    assert p.actor("Crate_01").static_mesh_component.static_mesh is p.asset("/Game/Props/SM_Crate")
    assert p.saved_levels == ["/Game/Maps/Main"]


def _labels(p: MockProject, out: str) -> None:
    labels = sorted(a.get_actor_label() for a in p.actors())
    assert labels == ["Crate_001", "Crate_002", "KeyLight", "Rock_001"]
    assert "[('Crate', 2), ('Rock', 1)]" in out


def _mobility(p: MockProject, out: str) -> None:
    mobility = p.unreal.ComponentMobility
    assert p.actor("Crate_01").static_mesh_component.mobility == mobility.STATIC
    assert p.actor("KeyLight").light_component.mobility == mobility.STATIONARY


def _swap(p: MockProject, out: str) -> None:
    crate = p.asset("/Game/Props/SM_Crate")
    assert crate.get_material(0) is p.asset("/Game/Materials/M_Master") and p.is_saved("/Game/Props/SM_Crate")
    assert "swapped material on 1 meshes" in p.log_lines("Log")


def _folders(p: MockProject, out: str) -> None:
    assert {str(a.get_folder_path()) for a in p.actors() if isinstance(a, p.unreal.StaticMeshActor)} == {"Geometry"}
    assert str(p.actor("KeyLight").get_folder_path()) == "Lighting"


def _duplicates(p: MockProject, out: str) -> None:
    copies = [p.actor("Crate_02_Copy"), p.actor("Rock_01_Copy")]
    assert copies[0].get_actor_location() == p.unreal.Vector(200, 500, 0)
    assert p.selected_actors() == copies and "duplicated 2" in p.log_lines("Log")


def _list_tool(p: MockProject, out: str) -> None:
    reply = _json(out)
    assert reply["success"] is True and reply["count"] == 3
    assert {"name": "SM_Crate", "path": "/Game/Props/SM_Crate", "class": "StaticMesh"} in reply["assets"]


def _spawn_tool(p: MockProject, out: str) -> None:
    ok, failed = _json(out)
    assert ok == {"success": True, "actor": "FillLight", "class": "PointLight"}
    assert failed["success"] is False and "NotAClass" in failed["error"]
    assert p.actor("FillLight").get_actor_location() == p.unreal.Vector(300, 300, 250)


def _scene_tool(p: MockProject, out: str) -> None:
    scene = _json(out)
    assert scene["level"] == "Main" and [a["label"] for a in scene["actors"]] == [
        "Crate_01", "Crate_02", "KeyLight", "Rock_01"]
    assert scene["actors"][2] == {"label": "KeyLight", "class": "PointLight", "location": [0.0, 0.0, 400.0],
                                  "folder": "None"}


def _property_tool(p: MockProject, out: str) -> None:
    ok, missing = _json(out)
    assert ok == {"success": True, "value": True} and missing == {"success": False, "error": "no actor Ghost"}
    assert p.actor("Rock_01").get_editor_property("hidden") is True


def _moved_selection(p: MockProject, out: str) -> None:
    assets = p.assets()
    assert "/Game/Selected/Rock" in assets and "/Game/Selected/Barrel" in assets and "/Game/Props/Rock" not in assets
    assert "first selected: Rock" in p.log_lines("Log")


def _select_props_folder(p: MockProject) -> None:
    p.select_folders(["/Game/Props"])


def _folder_tags(p: MockProject, out: str) -> None:
    eal = p.unreal.EditorAssetLibrary
    tagged: List[str] = [path for path in p.assets("/Game") if eal.get_metadata_tag(p.asset(path), "Folder")]
    assert tagged == ["/Game/Props/Barrel", "/Game/Props/Rock", "/Game/Props/SM_Crate"]
    assert "tagged /Game/Props" in p.log_lines("Log")


MORE_SCRIPTS: Dict[str, Expectation] = {
    "cine_camera_rig.py": Expectation(_cine_rig),
    "camera_fov_report.py": Expectation(_fov_report, prepare=_two_cameras),
    "streaming_lighting_sublevel.py": Expectation(_lighting_sublevel),
    "add_audio_sublevel.py": Expectation(_audio_sublevel, prepare=_audio_map),
    "open_selected_in_editors.py": Expectation(_open_selected),
    "close_editors_after_batch.py": Expectation(_close_editors),
    "dependency_audit.py": Expectation(_deps_csv),
    "soft_reference_report.py": Expectation(_soft_report, prepare=_soft_refs),
    "spawn_npc_characters.py": Expectation(_npcs),
    "pawn_rotation_audit.py": Expectation(_pawn_audit, prepare=_pawns),
    "anim_footstep_notifies.py": Expectation(_footsteps, prepare=_walk_cycles),
    "anim_notify_cleanup.py": Expectation(_notify_cleanup, prepare=_run_with_notifies),
    "anim_rate_and_root_motion.py": Expectation(_rates, prepare=_walk_and_run),
    "toggle_menu_entries.py": Expectation(_toggles),
    "parent_class_blueprint.py": Expectation(_hero_blueprint),
    "initial_parent_instances.py": Expectation(_variants),
    "user_dir_export_path.py": Expectation(_user_dir),
    "ue4_snap_to_grid.py": Expectation(_snapped, prepare=_off_grid),
    "ue4_replace_mesh_on_selected.py": Expectation(_replaced),
    "ue4_label_by_mesh.py": Expectation(_labels),
    "recipe_set_mobility.py": Expectation(_mobility),
    "recipe_material_swap.py": Expectation(_swap),
    "recipe_outliner_folders.py": Expectation(_folders),
    "recipe_duplicate_with_offset.py": Expectation(_duplicates),
    "mcp_list_assets_tool.py": Expectation(_list_tool),
    "mcp_spawn_actor_tool.py": Expectation(_spawn_tool),
    "mcp_get_scene_tool.py": Expectation(_scene_tool),
    "mcp_set_property_tool.py": Expectation(_property_tool),
    "selected_assets_to_folder.py": Expectation(_moved_selection),
    "selected_folder_tagging.py": Expectation(_folder_tags, prepare=_select_props_folder),
}
