# ruff: noqa  (written in the styles found in the wild, on purpose)
import os

import unreal

source_dir = os.path.join(unreal.Paths.project_dir(), "SourceArt")
tasks = []
for file_name in sorted(os.listdir(source_dir)):
    task = unreal.AssetImportTask()
    task.set_editor_property("filename", os.path.join(source_dir, file_name))
    task.set_editor_property("destination_path", "/Game/Imported")
    task.set_editor_property("automated", True)
    task.set_editor_property("replace_existing", True)
    task.set_editor_property("save", True)
    tasks.append(task)

unreal.AssetToolsHelpers.get_asset_tools().import_asset_tasks(tasks)
for task in tasks:
    imported = task.get_editor_property("imported_object_paths")
    if not imported:
        unreal.log_warning("Nothing imported from " + task.get_editor_property("filename"))
    for path in imported:
        print("imported", path)
