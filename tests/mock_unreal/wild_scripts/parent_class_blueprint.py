# ruff: noqa  (written in the styles found in the wild, on purpose)
# Seen in the wild: the C++ property name, as the editor accepts it.
import unreal

factory = unreal.BlueprintFactory()
factory.set_editor_property("ParentClass", unreal.Character)
tools = unreal.AssetToolsHelpers.get_asset_tools()
blueprint = tools.create_asset("BP_Hero", "/Game/Blueprints", None, factory)
unreal.EditorAssetLibrary.save_loaded_asset(blueprint)
hero = unreal.EditorLevelLibrary.spawn_actor_from_object(blueprint, unreal.Vector(0, -300, 100))
unreal.log("spawned {} ({})".format(hero.get_actor_label(), hero.get_class().get_name()))
