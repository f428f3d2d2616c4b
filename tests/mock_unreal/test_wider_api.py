"""The API issue 14 added: cine cameras, pawns, level streaming, asset editors, dependency options,
anim notifies, UI action types, the user folder, and seeded selections."""

from __future__ import annotations

import math

import pytest

from mock_unreal.testing import MockProject


def test_cine_camera_field_of_view_follows_filmback_and_focal_length(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    camera = unreal_project.add_actor("Shot", cls="CineCameraActor").get_cine_camera_component()
    assert camera.get_filmback_preset_name() == "16:9 Digital Film"
    camera.set_editor_property("current_focal_length", 50.0)
    expected = math.degrees(2 * math.atan(23.76 / 100.0))
    assert abs(camera.get_horizontal_field_of_view() - expected) < 1e-6
    camera.set_filmback_preset_by_name("Super 35mm")
    assert (camera.filmback.sensor_width, camera.filmback.sensor_height) == (24.89, 18.66)
    camera.set_filmback_preset_by_name("No Such Preset")  # left as it was, as in the editor
    assert camera.get_filmback_preset_name() == "Super 35mm"
    camera.set_lens_preset_by_name("50mm Prime f/1.8")
    camera.set_editor_property("current_focal_length", 85.0)
    assert camera.current_focal_length == 50.0  # clamped to the prime lens
    camera.set_editor_property("focus_settings", u.CameraFocusSettings(u.CameraFocusMethod.MANUAL, 350.0,
                                                                       focus_offset=10.0))
    assert camera.get_editor_property("current_focus_distance") == 360.0
    with pytest.raises(Exception, match="read-only"):
        camera.set_editor_property("current_focus_distance", 1.0)


def test_filmback_aspect_ratio_is_derived(unreal_project: MockProject) -> None:
    filmback = unreal_project.unreal.CameraFilmbackSettings(36.0, 24.0)
    assert filmback.sensor_aspect_ratio == 1.5
    with pytest.raises(Exception, match="read-only"):
        filmback.set_editor_property("sensor_aspect_ratio", 2.0)


def test_character_has_capsule_mesh_and_movement(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    hero = unreal_project.add_actor("Hero", cls="Character", location=(0, 0, 100))
    assert hero.capsule_component is hero.root_component
    assert hero.mesh.get_attach_parent() is hero.capsule_component
    hero.capsule_component.set_capsule_size(20.0, 10.0)
    assert hero.capsule_component.get_unscaled_capsule_half_height() == 20.0  # never below the radius
    hero.set_actor_scale3d(u.Vector(2, 2, 3))
    assert hero.capsule_component.get_scaled_capsule_half_height() == 60.0
    hero.character_movement.max_walk_speed = 900.0
    assert hero.get_movement_component().get_pawn_owner() is hero
    assert hero.get_controller() is None and not hero.is_player_controlled()
    hero.add_movement_input(u.Vector(1, 0, 0), 0.5)
    assert hero.consume_movement_input_vector() == u.Vector(0.5, 0, 0)
    assert hero.get_pending_movement_input_vector() == u.Vector()
    with pytest.raises(Exception, match="read-only"):
        hero.set_editor_property("mesh", None)


def test_streaming_levels_are_added_made_current_and_removed(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    unreal_project.add_asset("World", "/Game/Maps/Lighting")
    world = unreal_project.open_level("/Game/Maps/Main")
    lighting = u.EditorLevelUtils.add_level_to_world(world, "/Game/Maps/Lighting", u.LevelStreamingAlwaysLoaded)
    assert isinstance(lighting, u.LevelStreamingAlwaysLoaded)
    assert u.EditorLevelUtils.add_level_to_world(world, "/Game/Maps/Lighting", u.LevelStreamingAlwaysLoaded) is None
    assert u.EditorLevelUtils.add_level_to_world(world, "/Game/Maps/Nope", u.LevelStreamingAlwaysLoaded) is None
    assert any("no map by that name" in line for line in unreal_project.log_lines("Warning"))
    u.EditorLevelUtils.make_level_current(lighting)
    lamp = u.EditorLevelLibrary.spawn_actor_from_class(u.PointLight, u.Vector())
    assert lamp.get_level() is lighting.get_loaded_level()
    assert len(u.EditorLevelUtils.get_levels(world)) == 2
    u.EditorLevelUtils.set_level_visibility(lighting.get_loaded_level(), False, False)
    assert not lighting.is_level_visible()
    assert u.EditorLevelUtils.remove_level_from_world(lighting.get_loaded_level())
    assert lamp not in unreal_project.actors() and len(u.EditorLevelUtils.get_levels(world)) == 1
    with pytest.raises(TypeError, match="LevelStreaming class"):
        u.EditorLevelUtils.add_level_to_world(world, "/Game/Maps/Lighting", u.PointLight)


def test_create_new_streaming_level_moves_the_selection(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    unreal_project.open_level("/Game/Maps/Main")
    crate = unreal_project.add_actor("Crate", selected=True)
    made = u.EditorLevelUtils.create_new_streaming_level(u.LevelStreamingDynamic, "/Game/Maps/Props", True)
    assert "/Game/Maps/Props" in unreal_project.assets()
    assert crate.get_level() is made.get_loaded_level()
    assert u.EditorLevelUtils.create_new_streaming_level(u.LevelStreamingDynamic, "/Game/Maps/Props") is None


def test_asset_editors_open_and_close(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    mesh = unreal_project.add_asset("StaticMesh", "/Game/SM_A")
    material = unreal_project.add_asset("Material", "/Game/M_A")
    editors = u.get_editor_subsystem(u.AssetEditorSubsystem)
    editors.open_editor_for_assets([mesh, material, mesh])
    assert unreal_project.open_editors == ["/Game/SM_A", "/Game/M_A"]
    editors.close_all_editors_for_asset(mesh)
    assert unreal_project.open_editors == ["/Game/M_A"]
    with pytest.raises(TypeError, match=r"unreal\.Object"):
        editors.open_editor_for_assets(["/Game/M_A"])


def test_dependency_options_choose_hard_or_soft_references(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    unreal_project.seed({
        "assets": {"/Game/M_Wood": "Material", "/Game/SM_Crate": {"class": "StaticMesh", "materials": ["/Game/M_Wood"]},
                   "/Game/T_Icon": "Texture2D"},
        "soft_references": {"/Game/SM_Crate": ["/Game/T_Icon"]},
    })
    registry = u.AssetRegistryHelpers.get_asset_registry()
    every = u.AssetRegistryDependencyOptions()
    hard = u.AssetRegistryDependencyOptions(include_soft_package_references=False)
    soft = u.AssetRegistryDependencyOptions(include_hard_package_references=False)
    assert [str(n) for n in registry.get_dependencies("/Game/SM_Crate", every)] == ["/Game/M_Wood", "/Game/T_Icon"]
    assert [str(n) for n in registry.get_dependencies("/Game/SM_Crate", hard)] == ["/Game/M_Wood"]
    assert [str(n) for n in registry.get_dependencies("/Game/SM_Crate", soft)] == ["/Game/T_Icon"]
    assert [str(n) for n in registry.get_referencers("/Game/T_Icon", hard)] == []
    assert [str(n) for n in registry.get_referencers("/Game/T_Icon", soft)] == ["/Game/SM_Crate"]
    with pytest.raises(TypeError, match="AssetRegistryDependencyOptions"):
        registry.get_dependencies("/Game/SM_Crate", {"hard": True})


def test_anim_notifies_on_tracks(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    walk = unreal_project.add_asset("AnimSequence", "/Game/A_Walk", sequence_length=1.0)
    lib = u.AnimationLibrary
    assert lib.get_num_frames(walk) == 30 and lib.get_frame_at_time(walk, 0.5) == 15
    lib.add_animation_notify_track(walk, "Feet")
    lib.add_animation_notify_track(walk, "Feet")  # a second time: the editor's warning, no new track
    assert [str(n) for n in lib.get_animation_notify_track_names(walk)] == ["Feet"]
    for t in (0.5, 0.0):
        assert isinstance(lib.add_animation_notify_event(walk, "Feet", t, u.AnimNotify), u.AnimNotify)
    assert lib.add_animation_notify_event(walk, "Hands", 0.2, u.AnimNotify) is None
    assert lib.add_animation_notify_event(walk, "Feet", 2.0, u.AnimNotify) is None
    events = lib.get_animation_notify_events(walk)
    assert [lib.get_anim_notify_event_trigger_time(e) for e in events] == [0.0, 0.5]
    assert [str(n) for n in lib.get_animation_notify_event_names(walk)] == ["AnimNotify"]
    run = unreal_project.add_asset("AnimSequence", "/Game/A_Run", sequence_length=1.0)
    lib.copy_anim_notifies_from_sequence(walk, run)
    assert len(lib.get_animation_notify_events_for_track(run, "Feet")) == 2
    assert lib.remove_animation_notify_events_by_track(walk, "Feet") == 2
    assert len(lib.get_animation_notify_events(run)) == 2  # the copy is its own
    with pytest.raises(TypeError, match="AnimNotify class"):
        lib.add_animation_notify_event(walk, "Feet", 0.1, u.StaticMesh)


def test_menu_entries_carry_their_action_type(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    entry = u.ToolMenuEntry(name="Toggle", type=u.MultiBlockType.MENU_ENTRY,
                            user_interface_action_type=u.UserInterfaceActionType.TOGGLE_BUTTON)
    assert entry.user_interface_action_type == u.UserInterfaceActionType.TOGGLE_BUTTON
    assert u.ToolMenuEntry(name="Plain").user_interface_action_type == u.UserInterfaceActionType.BUTTON
    with pytest.raises(TypeError, match="UserInterfaceActionType"):
        entry.set_editor_property("user_interface_action_type", 2)


def test_platform_user_dir_is_the_documents_folder(unreal_project: MockProject,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", "/home/artist/Docs")
    assert unreal_project.unreal.SystemLibrary.get_platform_user_dir() == "/home/artist/Docs/"


def test_seeded_selections_are_what_the_editor_apis_return(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    unreal_project.seed({
        "assets": {"/Game/SM_A": "StaticMesh", "/Game/SM_B": "StaticMesh", "/Game/Maps/M": "World"},
        "level": "/Game/Maps/M",
        "actors": [{"label": "A"}, {"label": "B"}, {"label": "C"}],
        "selected_assets": ["/Game/SM_B"], "selected_folders": ["/Game/Props"], "selected_actors": ["C", "A"],
    })
    assert [a.get_name() for a in u.EditorUtilityLibrary.get_selected_assets()] == ["SM_B"]
    assert [str(d.asset_name) for d in u.EditorUtilityLibrary.get_selected_asset_data()] == ["SM_B"]
    assert list(u.EditorUtilityLibrary.get_selected_folder_paths()) == ["/Game/Props"]
    actors = u.get_editor_subsystem(u.EditorActorSubsystem).get_selected_level_actors()
    assert [a.get_actor_label() for a in actors] == ["C", "A"]
    assert [a.get_actor_label() for a in u.EditorLevelLibrary.get_selected_level_actors()] == ["C", "A"]


def test_selecting_an_unknown_actor_names_the_labels(unreal_project: MockProject) -> None:
    unreal_project.add_actor("A")
    with pytest.raises(KeyError, match="no actor labelled 'Z'"):
        unreal_project.select_actors(["Z"])
