# ruff: noqa  (written in the styles found in the wild, on purpose)
"""Batch edit: open each material's editor, tag it, close every editor again (avoids stale editor state)."""
import unreal

editors = unreal.get_editor_subsystem(unreal.AssetEditorSubsystem)
materials = [unreal.load_asset(p) for p in unreal.EditorAssetLibrary.list_assets("/Game/Materials")]
editors.open_editor_for_assets(materials)
for material in materials:
    unreal.EditorAssetLibrary.set_metadata_tag(material, "Batch", "2026-12")
for material in materials:
    editors.close_all_editors_for_asset(material)
print("closed {} editors".format(len(materials)))
