# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

actors = unreal.EditorLevelLibrary.get_all_level_actors()
meshes = unreal.EditorFilterLibrary.by_class(actors, unreal.StaticMeshActor)
interactive = unreal.EditorFilterLibrary.by_actor_tag(meshes, "interactive")
world = unreal.EditorLevelLibrary.get_editor_world()
lights = unreal.GameplayStatics.get_all_actors_of_class(world, unreal.PointLight)
for light in lights:
    light.get_component_by_class(unreal.PointLightComponent).set_intensity(8000.0)
print("static mesh actors:", len(meshes))
print("interactive:", [a.get_actor_label() for a in interactive])
print("lights:", len(lights))
