"""Editor properties by their C++ names too (`ParentClass`, `bHidden`), as the editor accepts them."""

from __future__ import annotations

import pytest

from mock_unreal.testing import MockProject
from mock_unreal.unreal._core import pythonize


@pytest.mark.parametrize(
    ("cpp", "python"),
    [("ParentClass", "parent_class"), ("InitialParent", "initial_parent"), ("bHidden", "hidden"),
     ("StaticMeshComponent", "static_mesh_component"), ("RelativeScale3D", "relative_scale3d"),
     ("parent_class", "parent_class"), ("b", "b")],
)
def test_pythonize_follows_the_editors_names(cpp: str, python: str) -> None:
    assert pythonize(cpp) == python


def test_both_names_read_and_write_the_same_property(unreal_project: MockProject) -> None:
    actor = unreal_project.add_actor("Crate")
    actor.set_editor_property("bHidden", True)
    assert actor.get_editor_property("hidden") is True
    actor.set_editor_properties({"Tags": ["a"], "hidden": False})
    assert [str(t) for t in actor.get_editor_property("Tags")] == ["a"]
    assert actor.get_editor_property("bHidden") is False


def test_blueprint_factory_takes_parent_class_by_its_cpp_name(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    factory = u.BlueprintFactory()
    factory.set_editor_property("ParentClass", u.PointLight)
    blueprint = u.AssetToolsHelpers.get_asset_tools().create_asset("BP_Lamp", "/Game/BP", None, factory)
    actor = u.EditorLevelLibrary.spawn_actor_from_object(blueprint, u.Vector(0, 0, 0))
    assert isinstance(actor, u.PointLight)


def test_material_instance_factory_takes_initial_parent(unreal_project: MockProject) -> None:
    u = unreal_project.unreal
    parent = unreal_project.add_asset("Material", "/Game/M_Base")
    factory = u.MaterialInstanceConstantFactoryNew()
    factory.set_editor_property("InitialParent", parent)
    instance = u.AssetToolsHelpers.get_asset_tools().create_asset("MI_Base", "/Game", None, factory)
    assert instance.get_editor_property("parent") is parent


def test_an_unknown_cpp_name_fails_as_in_the_editor(unreal_project: MockProject) -> None:
    actor = unreal_project.add_actor("Crate")
    with pytest.raises(Exception, match="Failed to find property 'bNotAThing'"):
        actor.set_editor_property("bNotAThing", True)
    with pytest.raises(Exception, match="Failed to find property 'NotAThing'"):
        actor.get_editor_property("NotAThing")


def test_a_read_only_property_stays_read_only_under_its_cpp_name(unreal_project: MockProject) -> None:
    sequence = unreal_project.add_asset("AnimSequence", "/Game/A_Walk")
    with pytest.raises(Exception, match="read-only"):
        sequence.set_editor_property("SequenceLength", 3.0)
