# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

registry = unreal.AssetRegistryHelpers.get_asset_registry()
soft_only = unreal.AssetRegistryDependencyOptions()
soft_only.include_hard_package_references = False
soft_only.include_soft_package_references = True
for path in ["/Game/Blueprints/BP_Door", "/Game/Props/SM_Crate"]:
    deps = registry.get_dependencies(path, soft_only)
    print("{} soft-references {}".format(path, ", ".join(str(d) for d in deps) or "nothing"))
