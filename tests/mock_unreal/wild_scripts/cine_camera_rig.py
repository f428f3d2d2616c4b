# ruff: noqa  (written in the styles found in the wild, on purpose)
"""Recipe: a cine camera rig aimed at the hero prop, with a DSLR filmback and a zoom lens."""
import unreal

TARGET = "Crate_01"

target = [a for a in unreal.EditorLevelLibrary.get_all_level_actors() if a.get_actor_label() == TARGET][0]
camera = unreal.EditorLevelLibrary.spawn_actor_from_class(
    unreal.CineCameraActor, unreal.Vector(-500.0, 0.0, 150.0), unreal.Rotator(0.0, 0.0, 0.0)
)
camera.set_actor_label("ShotCam_A")
component = camera.get_cine_camera_component()
component.set_filmback_preset_by_name("16:9 DSLR")
component.set_lens_preset_by_name("24-70mm Zoom f/2.8")
component.set_editor_property("current_focal_length", 35.0)
distance = (target.get_actor_location() - camera.get_actor_location()).length()
focus = unreal.CameraFocusSettings()
focus.focus_method = unreal.CameraFocusMethod.MANUAL
focus.manual_focus_distance = distance
component.set_editor_property("focus_settings", focus)
print("ShotCam_A focuses at {:.1f} cm, hfov {:.2f}".format(
    component.get_editor_property("current_focus_distance"), component.get_horizontal_field_of_view()))
