# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

mel = unreal.MaterialEditingLibrary
material = unreal.AssetToolsHelpers.get_asset_tools().create_asset(
    "M_Generated", "/Game/Materials", unreal.Material, unreal.MaterialFactoryNew()
)

tint = mel.create_material_expression(material, unreal.MaterialExpressionVectorParameter, -400, 0)
tint.set_editor_property("parameter_name", "Tint")
tint.set_editor_property("default_value", unreal.LinearColor(0.8, 0.8, 0.8, 1.0))
roughness = mel.create_material_expression(material, unreal.MaterialExpressionScalarParameter, -400, 200)
roughness.set_editor_property("parameter_name", "Roughness")
roughness.set_editor_property("default_value", 0.5)

mel.connect_material_property(tint, "", unreal.MaterialProperty.MP_BASE_COLOR)
mel.connect_material_property(roughness, "", unreal.MaterialProperty.MP_ROUGHNESS)
mel.recompile_material(material)
unreal.EditorAssetLibrary.save_asset(material.get_path_name())
print("nodes:", mel.get_num_material_expressions(material))
