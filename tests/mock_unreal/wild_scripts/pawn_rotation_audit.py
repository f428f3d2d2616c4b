# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

fixed = 0
for actor in unreal.EditorLevelLibrary.get_all_level_actors():
    pawn = actor if isinstance(actor, unreal.Pawn) else None
    if pawn is None:
        continue
    if pawn.get_editor_property("use_controller_rotation_yaw"):
        pawn.set_editor_property("use_controller_rotation_yaw", False)
        pawn.tags.append(unreal.Name("YawFixed"))
        fixed += 1
unreal.log_warning("fixed yaw on {} pawns".format(fixed))
