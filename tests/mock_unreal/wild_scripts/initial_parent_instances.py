# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

tools = unreal.AssetToolsHelpers.get_asset_tools()
parent = unreal.EditorAssetLibrary.load_asset("/Game/Materials/M_Master")
for variant in ("Rust", "Paint", "Chrome"):
    factory = unreal.MaterialInstanceConstantFactoryNew()
    factory.set_editor_property("InitialParent", parent)
    mi = tools.create_asset("MI_Master_" + variant, "/Game/Materials/Variants", unreal.MaterialInstanceConstant, factory)
    unreal.EditorAssetLibrary.save_loaded_asset(mi)
print("3 variants of M_Master")
