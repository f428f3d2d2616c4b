# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

paths = unreal.EditorAssetLibrary.list_assets("/Game/Props")
with unreal.ScopedSlowTask(len(paths), "Resaving props") as slow_task:
    slow_task.make_dialog(True)
    for path in paths:
        if slow_task.should_cancel():
            break
        slow_task.enter_progress_frame(1, "Saving " + path)
        asset = unreal.load_asset(path)
        asset.modify()
        unreal.EditorAssetLibrary.save_loaded_asset(asset, only_if_is_dirty=False)
print("resaved", len(paths))
