# ruff: noqa  (written in the styles found in the wild, on purpose)
import csv
import os

import unreal

registry = unreal.AssetRegistryHelpers.get_asset_registry()
rows = []
for class_name in ("StaticMesh", "Material", "Texture2D"):
    class_path = unreal.TopLevelAssetPath("/Script/Engine", class_name)
    for data in registry.get_assets_by_class(class_path):
        rows.append((str(data.asset_name), class_name, str(data.package_path)))

report_dir = os.path.join(unreal.Paths.project_saved_dir(), "Reports")
if not os.path.isdir(report_dir):
    os.makedirs(report_dir)
with open(os.path.join(report_dir, "assets.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(["name", "class", "folder"])
    writer.writerows(sorted(rows))
unreal.log("wrote {} rows".format(len(rows)))
