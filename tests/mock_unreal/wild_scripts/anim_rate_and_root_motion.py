# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

for asset_data in unreal.AssetRegistryHelpers.get_asset_registry().get_assets_by_path("/Game/Anims", recursive=True):
    anim = asset_data.get_asset()
    unreal.AnimationLibrary.set_rate_scale(anim, 1.25)
    unreal.AnimationLibrary.set_root_motion_enabled(anim, "Run" in str(asset_data.asset_name))
    unreal.log("{} rate {} root motion {}".format(
        asset_data.asset_name, unreal.AnimationLibrary.get_rate_scale(anim),
        unreal.AnimationLibrary.is_root_motion_enabled(anim)))
