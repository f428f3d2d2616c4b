# ruff: noqa  (written in the styles found in the wild, on purpose)
"""Recipe: footstep notifies every 0.4 s on each walk cycle, with a notify class written in Python."""
import unreal


@unreal.uclass()
class AnimNotify_Footstep(unreal.AnimNotify):
    pass


lib = unreal.AnimationLibrary
for path in unreal.EditorAssetLibrary.list_assets("/Game/Anims"):
    anim = unreal.load_asset(path)
    if not isinstance(anim, unreal.AnimSequence) or "Walk" not in anim.get_name():
        continue
    if not lib.is_valid_anim_notify_track_name(anim, "Footsteps"):
        lib.add_animation_notify_track(anim, "Footsteps")
    t = 0.0
    while lib.is_valid_time(anim, t):
        lib.add_animation_notify_event(anim, "Footsteps", t, AnimNotify_Footstep)
        t = round(t + 0.4, 3)
    unreal.EditorAssetLibrary.save_loaded_asset(anim)
    print("{}: {} notifies".format(anim.get_name(), len(lib.get_animation_notify_events(anim))))
