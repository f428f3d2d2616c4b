# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

counts = {}
for actor in unreal.EditorLevelLibrary.get_all_level_actors():
    if not isinstance(actor, unreal.StaticMeshActor):
        continue
    mesh = actor.static_mesh_component.static_mesh
    if mesh is None:
        continue
    base = mesh.get_name().replace("SM_", "")
    counts[base] = counts.get(base, 0) + 1
    actor.set_actor_label("{}_{:03d}".format(base, counts[base]))
print(sorted(counts.items()))
