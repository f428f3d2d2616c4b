"""Find and fix assets that break the naming convention; run it as `python -m sample_tools.naming`."""

import unreal

from .rules import expected_name


def misnamed_assets(root="/Game"):
    """(package name, expected name) of every asset under `root` that breaks the convention."""
    found = []
    for data in unreal.AssetRegistryHelpers.get_asset_registry().get_assets_by_path(root, recursive=True):
        wanted = expected_name(str(data.asset_class_path.asset_name), str(data.asset_name))
        if wanted is not None:
            found.append((str(data.package_name), wanted))
    return sorted(found)


def fix_names(root="/Game"):
    """Rename every misnamed asset in place; references follow. Returns how many were renamed."""
    renamed = 0
    for package, wanted in misnamed_assets(root):
        target = "{}/{}".format(package.rsplit("/", 1)[0], wanted)
        if unreal.EditorAssetLibrary.rename_asset(package, target):
            unreal.log(f"Renamed {package} -> {target}")
            renamed += 1
    return renamed


if __name__ == "__main__":
    print(f"renamed {fix_names()} assets")
