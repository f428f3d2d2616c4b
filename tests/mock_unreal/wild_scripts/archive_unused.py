# ruff: noqa  (written in the styles found in the wild, on purpose)
"""Report assets nothing refers to and move them to /Game/_Archive."""

import unreal

EAL = unreal.EditorAssetLibrary


def main():
    unused = []
    for path in EAL.list_assets("/Game", recursive=True):
        data = EAL.find_asset_data(path)
        if str(data.asset_class_path.asset_name) == "World" or str(data.package_path).startswith(
            "/Game/_Archive"
        ):
            continue
        if not EAL.find_package_referencers_for_asset(path, False):
            unused.append(data)
    for data in unused:
        unreal.log_warning("Unused: {}".format(data.package_name))
        EAL.rename_asset(str(data.package_name), "/Game/_Archive/{}".format(data.asset_name))
    unreal.log("Archived {} unused assets".format(len(unused)))


if __name__ == "__main__":
    main()
