# ruff: noqa  (written in the styles found in the wild, on purpose)
# The shape of MCP server tools built on remote execution: params in, a JSON string out.
import json
import unreal


def list_assets(params):
    path = params.get("path", "/Game")
    wanted = params.get("class_name")
    out = []
    for asset_path in unreal.EditorAssetLibrary.list_assets(path, recursive=True, include_folder=False):
        data = unreal.EditorAssetLibrary.find_asset_data(asset_path)
        class_name = str(data.asset_class_path.asset_name)
        if wanted and class_name != wanted:
            continue
        out.append({"name": str(data.asset_name), "path": str(data.package_name), "class": class_name})
    return json.dumps({"success": True, "count": len(out), "assets": out})


print(list_assets({"path": "/Game", "class_name": "StaticMesh"}))
