# ruff: noqa  (written in the styles found in the wild, on purpose)
# UE4-era EditorLevelLibrary code: snap every actor to a 50 cm grid.
import unreal

GRID = 50.0


def snap(value):
    return round(value / GRID) * GRID


actors = unreal.EditorLevelLibrary.get_all_level_actors()
moved = 0
for actor in actors:
    loc = actor.get_actor_location()
    snapped = unreal.Vector(snap(loc.x), snap(loc.y), snap(loc.z))
    if snapped != loc:
        actor.set_actor_location(snapped, False, True)
        moved += 1
print("snapped %d actors" % moved)
