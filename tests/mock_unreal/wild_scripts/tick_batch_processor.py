# ruff: noqa  (written in the styles found in the wild, on purpose)
# Spreads work over editor ticks so the UI stays responsive.
import unreal

pending = list(unreal.EditorLevelLibrary.get_all_level_actors())
handle = None


def on_tick(delta_time):
    global handle
    if pending:
        actor = pending.pop()
        actor.set_actor_hidden_in_game(True)
        unreal.log("hidden " + actor.get_actor_label())
    else:
        unreal.unregister_slate_post_tick_callback(handle)
        unreal.log("batch done")


handle = unreal.register_slate_post_tick_callback(on_tick)
