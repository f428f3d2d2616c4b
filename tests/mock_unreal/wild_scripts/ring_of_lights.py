# ruff: noqa  (written in the styles found in the wild, on purpose)
import math

import unreal

center = unreal.Vector(0, 0, 300)
radius = 500.0
count = 6
for i in range(count):
    yaw = 360.0 / count * i
    rotation = unreal.Rotator(0, 0, yaw)
    offset = rotation.get_forward_vector() * radius
    light = unreal.EditorLevelLibrary.spawn_actor_from_class(unreal.PointLight, center + offset, rotation)
    light.set_actor_label("RingLight_{}".format(i))
    unreal.log("{} at {:.1f}".format(light.get_actor_label(), math.degrees(math.atan2(offset.y, offset.x))))
