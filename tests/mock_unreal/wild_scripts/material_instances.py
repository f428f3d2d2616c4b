# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

asset_tools = unreal.AssetToolsHelpers.get_asset_tools()
mel = unreal.MaterialEditingLibrary
parent = unreal.load_asset("/Game/Materials/M_Master")

variants = {"Red": unreal.LinearColor(1, 0, 0, 1), "Blue": unreal.LinearColor(0, 0, 1, 1)}
for suffix, color in variants.items():
    instance = asset_tools.create_asset(
        "MI_Master_" + suffix,
        "/Game/Materials/Instances",
        unreal.MaterialInstanceConstant,
        unreal.MaterialInstanceConstantFactoryNew(),
    )
    mel.set_material_instance_parent(instance, parent)
    mel.set_material_instance_vector_parameter_value(instance, "Tint", color)
    mel.set_material_instance_scalar_parameter_value(instance, "Roughness", 0.25)
    mel.update_material_instance(instance)
    unreal.EditorAssetLibrary.save_loaded_asset(instance)
    unreal.log("created " + instance.get_path_name())
