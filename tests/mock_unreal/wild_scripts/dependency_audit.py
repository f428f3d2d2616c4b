# ruff: noqa  (written in the styles found in the wild, on purpose)
"""Write the hard dependencies of every static mesh to Saved/Reports/deps.csv."""
import csv
import os
import unreal

registry = unreal.AssetRegistryHelpers.get_asset_registry()
options = unreal.AssetRegistryDependencyOptions(
    include_soft_package_references=False,
    include_hard_package_references=True,
)
folder = os.path.join(unreal.Paths.project_saved_dir(), "Reports")
if not os.path.isdir(folder):
    os.makedirs(folder)
with open(os.path.join(folder, "deps.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["mesh", "dependency"])
    for data in registry.get_assets_by_class(unreal.TopLevelAssetPath("/Script/Engine", "StaticMesh")):
        for dep in registry.get_dependencies(data.package_name, options):
            writer.writerow([str(data.package_name), str(dep)])
unreal.log("dependency audit written")
