"""Behaviour of the mock a script would notice: math, containers, objects, assets, level, UI, strictness."""

from __future__ import annotations

import math
import os
import threading

import pytest

from mock_unreal.testing import MockProject


def test_vector_rotator_transform_math(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    v = u.Vector(1, 2, 3)
    assert v + u.Vector(1, 1, 1) == u.Vector(2, 3, 4)
    assert (
        v * 2 == u.Vector(2, 4, 6)
        and (v | v) == 14.0
        and (u.Vector(1, 0, 0) ^ u.Vector(0, 1, 0)) == u.Vector(0, 0, 1)
    )
    assert math.isclose(u.Vector(3, 4, 0).length(), 5.0)
    assert u.Rotator(0, 0, 90).get_forward_vector() == u.Vector(0, 1, 0)
    r = u.Rotator(10, 20, 30)
    assert r.quaternion().rotator() == r
    t = u.Transform(u.Vector(100, 0, 0), u.Rotator(0, 0, 90), u.Vector(2, 2, 2))
    assert t.transform_location(u.Vector(1, 0, 0)) == u.Vector(100, 2, 0)
    assert t.inverse().transform_location(u.Vector(100, 2, 0)) == u.Vector(1, 0, 0)
    assert repr(v).startswith("<Struct 'Vector' (0x") and "x: 1.000000" in repr(v)
    assert u.LinearColor(1, 0, 0, 1).to_color().r == 255


def test_containers_are_typed(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    names = u.Array(u.Name)
    names.append("Foo")
    assert names[0] == "foo" and isinstance(names[0], u.Name)
    strings = u.Array(str)
    with pytest.raises(TypeError):
        strings.append(3)
    m = u.Map(str, int)
    m["a"] = 1
    assert dict(m.items()) == {"a": 1}
    s = u.Set(int)
    s.add(1)
    assert 1 in s and len(s) == 1


def test_unknown_property_and_names_fail_like_the_editor(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    mesh = unreal_project.add_asset("StaticMesh", "/Game/SM_A")
    with pytest.raises(Exception, match="Failed to find property 'nope'"):
        mesh.get_editor_property("nope")
    with pytest.raises(AttributeError):
        mesh.not_a_method()
    with pytest.raises(AttributeError):
        u.NotAnUnrealName  # noqa: B018
    with pytest.raises(NotImplementedError, match=r"unreal\.LevelSequence"):
        u.LevelSequence  # noqa: B018
    with pytest.raises(TypeError):
        u.StaticMeshActor.cast(mesh)


def test_object_identity(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    mesh = unreal_project.add_asset("StaticMesh", "/Game/Props/SM_A")
    assert mesh.get_name() == "SM_A" and mesh.get_fname() == "SM_A"
    assert mesh.get_path_name() == "/Game/Props/SM_A.SM_A"
    assert mesh.get_full_name() == "StaticMesh /Game/Props/SM_A.SM_A"
    assert mesh.get_class() == u.StaticMesh.static_class() and mesh.get_class().get_name() == "StaticMesh"
    assert mesh.get_outer().get_name() == "/Game/Props/SM_A"
    assert u.load_asset("/Game/Props/SM_A") is mesh and u.find_asset("/Game/Nope") is None


def test_asset_lifecycle_dirty_save_rename_delete(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    eal = u.EditorAssetLibrary
    unreal_project.add_asset("Material", "/Game/M_A")
    assert unreal_project.is_saved("/Game/M_A")
    eal.load_asset("/Game/M_A").set_editor_property("two_sided", True)
    assert unreal_project.is_dirty("/Game/M_A")
    assert eal.save_asset("/Game/M_A") and unreal_project.is_saved("/Game/M_A")
    assert eal.duplicate_asset("/Game/M_A", "/Game/Copies/M_B").get_editor_property("two_sided")
    assert eal.rename_asset("/Game/Copies/M_B", "/Game/Copies/M_C") and eal.does_asset_exist(
        "/Game/Copies/M_C"
    )
    assert eal.delete_asset("/Game/Copies/M_C") and not eal.does_asset_exist("/Game/Copies/M_C")
    assert not eal.delete_asset("/Game/Missing")
    assert any(
        "/Game/Missing" in line for line in unreal_project.log_lines("Error", "LogEditorAssetSubsystem")
    )
    assert eal.does_directory_exist("/Game/Copies")


def test_deleting_a_saved_map_removes_its_umap_file(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    unreal_project.seed({"level": "/Game/Maps/L_Old"})
    assert u.EditorLevelLibrary.save_current_level()
    umap = unreal_project.unreal.Paths.project_content_dir() + "Maps/L_Old.umap"
    assert os.path.isfile(umap)
    assert u.EditorAssetLibrary.delete_asset("/Game/Maps/L_Old")
    assert not os.path.exists(umap)


def test_renaming_a_saved_asset_moves_it_off_its_old_file(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    unreal_project.add_asset("Texture2D", "/Game/Tex/T_Old")
    assert u.EditorAssetLibrary.save_asset("/Game/Tex/T_Old", only_if_is_dirty=False)
    content = u.Paths.project_content_dir()
    assert os.path.isfile(content + "Tex/T_Old.uasset")
    assert u.EditorAssetLibrary.rename_asset("/Game/Tex/T_Old", "/Game/Tex/T_New")
    assert not os.path.exists(content + "Tex/T_Old.uasset")
    assert u.EditorAssetLibrary.save_asset("/Game/Tex/T_New")
    assert os.path.isfile(content + "Tex/T_New.uasset")


def test_duplicated_material_has_its_own_node_graph(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    mel = u.MaterialEditingLibrary
    base_color = u.MaterialProperty.MP_BASE_COLOR
    material = unreal_project.add_asset("Material", "/Game/M_A")
    tint = mel.create_material_expression(material, u.MaterialExpressionVectorParameter, -300, 0)
    tint.set_editor_property("parameter_name", "Tint")
    assert mel.connect_material_property(tint, "", base_color)
    copy = u.EditorAssetLibrary.duplicate_asset("/Game/M_A", "/Game/M_B")
    assert mel.get_num_material_expressions(copy) == 1
    assert list(mel.get_vector_parameter_names(copy)) == ["Tint"]
    node = mel.get_material_property_input_node(copy, base_color)
    assert node is not None and node is not tint and node.get_outer() is copy
    node.set_editor_property("parameter_name", "Shade")
    mel.create_material_expression(copy, u.MaterialExpressionConstant)
    assert mel.get_num_material_expressions(material) == 1
    assert list(mel.get_vector_parameter_names(material)) == ["Tint"]
    mel.delete_all_material_expressions(copy)
    assert mel.get_material_property_input_node(material, base_color) is tint


def test_consolidate_repoints_references(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    unreal_project.seed(
        {
            "assets": {
                "/Game/M_A": "Material",
                "/Game/M_Old": "Material",
                "/Game/SM": {"class": "StaticMesh", "materials": ["/Game/M_Old"]},
            }
        }
    )
    a, old = u.load_asset("/Game/M_A"), u.load_asset("/Game/M_Old")
    assert list(u.EditorAssetLibrary.find_package_referencers_for_asset("/Game/M_Old")) == ["/Game/SM"]
    assert u.EditorAssetLibrary.consolidate_assets(a, [old])
    assert u.load_asset("/Game/SM").get_material(0) is a and "/Game/M_Old" not in unreal_project.assets()


def test_level_actors_selection_and_destroy(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    subsystem = u.get_editor_subsystem(u.EditorActorSubsystem)
    assert subsystem is u.get_editor_subsystem(u.EditorActorSubsystem)
    actor = subsystem.spawn_actor_from_class(u.StaticMeshActor, u.Vector(10, 0, 0), u.Rotator(0, 0, 90))
    assert actor.get_actor_label() == "StaticMeshActor" and actor.get_actor_rotation().yaw == pytest.approx(
        90
    )
    actor.set_actor_location(u.Vector(1, 2, 3), False, False)
    with pytest.raises(TypeError):
        actor.set_actor_location(u.Vector(1, 2, 3))  # sweep and teleport are required, as in the editor
    subsystem.set_selected_level_actors([actor])
    assert list(u.EditorLevelLibrary.get_selected_level_actors()) == [actor]
    assert subsystem.destroy_actor(actor) and not u.EditorLevelLibrary.get_all_level_actors()


def test_slow_task_and_dialog_are_controllable(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    unreal_project.cancel_slow_tasks_after(1)
    with u.ScopedSlowTask(10, "work") as task:
        task.make_dialog(True)
        task.enter_progress_frame(2)
        assert task.should_cancel()
    assert unreal_project.slow_tasks[0]["frames"] == [(2.0, "")]
    unreal_project.answer_dialogs("NO")
    assert u.EditorDialog.show_message("t", "m", u.AppMsgType.YES_NO) == u.AppReturnType.NO
    assert (
        u.EditorDialog.show_message("t", "m", u.AppMsgType.YES_NO, u.AppReturnType.YES) == u.AppReturnType.YES
    )


def test_uclass_uproperty_ustruct_uenum(unreal_project: MockProject) -> None:
    u = unreal_project.unreal

    @u.uclass()
    class Tool(u.GlobalEditorUtilityBase):
        count = u.uproperty(int)

    @u.ustruct()
    class Pair(u.StructBase):
        a = u.uproperty(int)
        b = u.uproperty(str)

    @u.uenum()
    class Mode(u.EnumBase):
        FAST = u.uvalue(0)
        SLOW = u.uvalue(1)

    tool = Tool()
    tool.set_editor_property("count", 3)
    assert tool.count == 3 and tool.get_class().get_name() == "Tool"
    assert Pair(1, "x").b == "x" and Mode.SLOW.value == 1 and list(Mode) == [Mode.FAST, Mode.SLOW]


def test_seed_from_yaml_and_screenshot(unreal_project: MockProject, tmp_path) -> None:  # type: ignore[no-untyped-def]
    spec = tmp_path / "seed.yaml"
    spec.write_text(
        "assets:\n  /Game/Props/SM_Box: StaticMesh\nactors:\n  - {label: Box, location: [1, 2, 3]}\n"
    )
    unreal_project.seed_file(spec)
    u = unreal_project.unreal
    assert unreal_project.assets() == {"/Game/Props/SM_Box": "StaticMesh"}
    assert unreal_project.actor("Box").get_actor_location() == u.Vector(1, 2, 3)
    u.AutomationLibrary.take_high_res_screenshot(64, 32, "shot.png")
    shot = unreal_project.screenshots[0]
    with open(shot["filename"], "rb") as f:
        assert shot["res_x"] == 64 and f.read(4) == b"\x89PNG"
    assert u.Paths.project_dir().startswith(str(tmp_path))


def test_editor_log_file_has_engine_lines(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    u.log("hello")
    assert u.EditorAssetLibrary.load_asset("/Game/Missing") is None
    log_file = unreal_project.unreal.Paths.project_log_dir() + "MockProject.log"
    with open(log_file, encoding="utf-8") as f:
        lines = f.read().splitlines()
    assert lines[0].endswith("]LogPython: hello") and lines[0].startswith("[20")
    assert any("LogEditorAssetSubsystem: Error: LoadAsset failed" in line for line in lines)


def test_loading_and_saving_utils(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    unreal_project.seed(
        {"assets": {"/Game/M_A": "Material", "/Game/M_B": "Material"}, "level": "/Game/Maps/L"}
    )
    u.load_asset("/Game/M_A").modify()
    u.EditorLevelLibrary.spawn_actor_from_class(u.StaticMeshActor, u.Vector())
    utils = u.EditorLoadingAndSavingUtils
    assert [p.get_name() for p in utils.get_dirty_content_packages()] == ["/Game/M_A"]
    assert [p.get_name() for p in utils.get_dirty_map_packages()] == ["/Game/Maps/L"]
    assert utils.save_dirty_packages(True, True)
    assert not utils.get_dirty_content_packages() and not utils.get_dirty_map_packages()
    assert unreal_project.is_saved("/Game/M_A") and unreal_project.saved_levels == ["/Game/Maps/L"]


def test_tick_callbacks_run_in_the_editor_loop(unreal_project: MockProject) -> None:
    from mock_unreal.editor import EditorLoop

    u = unreal_project.unreal
    seen = []
    me = threading.get_ident()
    # Only this thread's frames count: the suite's shared editor loop may be ticking meanwhile.
    handle = u.register_slate_post_tick_callback(lambda dt: seen.append(dt) if threading.get_ident() == me else None)
    loop = EditorLoop()
    loop.tick(0.5)
    u.unregister_slate_post_tick_callback(handle)
    loop.tick(0.5)
    assert seen == [0.5]


def test_actor_attachment_and_components(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    parent = unreal_project.add_actor("Parent", location=(100, 0, 0), rotation=(0, 0, 90))
    child = unreal_project.add_actor("Child", location=(100, 50, 0))
    rule = u.AttachmentRule.KEEP_WORLD
    child.attach_to_actor(parent, "None", rule, rule, rule)
    assert child.get_attach_parent_actor() is parent
    parent.set_actor_location(u.Vector(0, 0, 0), False, False)
    assert child.get_actor_location() == u.Vector(0, 50, 0)
    mesh = child.get_component_by_class(u.StaticMeshComponent)
    assert mesh is child.static_mesh_component and mesh.get_owner() is child
    assert list(child.get_components_by_class(u.LightComponent)) == []


def test_real_but_uncovered_member_names_itself(unreal_project: MockProject, stub_surface: object) -> None:
    actor = unreal_project.add_actor("A")
    with pytest.raises(NotImplementedError, match=r"unreal\.StaticMeshActor\.get_actor_eyes_view_point"):
        actor.get_actor_eyes_view_point  # noqa: B018
    with pytest.raises(NotImplementedError, match=r"unreal\.EditorAssetLibrary\.checkout_directory"):
        unreal_project.unreal.EditorAssetLibrary.checkout_directory  # noqa: B018
