# ruff: noqa  (written in the styles found in the wild, on purpose)
# Tags every asset, but the user may press Cancel in the progress dialog.
import unreal

all_assets = unreal.EditorAssetLibrary.list_assets("/Game", recursive=True)
tagged = 0
with unreal.ScopedSlowTask(len(all_assets), "Tagging assets") as task:
    task.make_dialog(can_cancel=True)
    for asset_path in all_assets:
        if task.should_cancel():
            unreal.log_warning("Cancelled after {} assets".format(tagged))
            break
        task.enter_progress_frame(1)
        asset = unreal.EditorAssetLibrary.load_asset(asset_path)
        unreal.EditorAssetLibrary.set_metadata_tag(asset, "Pipeline.Tagged", "true")
        tagged += 1
print("tagged", tagged)
