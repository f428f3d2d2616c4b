# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

lib = unreal.AnimationLibrary
anim = unreal.load_asset("/Game/Anims/A_Run")
removed = lib.remove_animation_notify_events_by_name(anim, "AnimNotify")
for track in list(lib.get_animation_notify_track_names(anim)):
    if len(lib.get_animation_notify_events_for_track(anim, track)) == 0:
        lib.remove_animation_notify_track(anim, track)
unreal.log("removed {} notifies, tracks left: {}".format(removed, [str(t) for t in lib.get_animation_notify_track_names(anim)]))
