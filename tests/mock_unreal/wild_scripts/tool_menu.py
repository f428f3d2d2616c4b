# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal


@unreal.uclass()
class ReportEntry(unreal.ToolMenuEntryScript):
    @unreal.ufunction(override=True)
    def execute(self, context):
        unreal.log("Report: {} actors".format(len(unreal.EditorLevelLibrary.get_all_level_actors())))


def register():
    menus = unreal.ToolMenus.get()
    main_menu = menus.find_menu("LevelEditor.MainMenu")
    pipeline = main_menu.add_sub_menu("Pipeline", "PythonTools", "Pipeline", "Pipeline", "Pipeline tools")

    entry = unreal.ToolMenuEntry(name="SayHello", type=unreal.MultiBlockType.MENU_ENTRY)
    entry.set_label("Say hello")
    entry.set_string_command(
        unreal.ToolMenuStringCommandType.PYTHON, "", "import unreal; unreal.log('hello from menu')"
    )
    pipeline.add_menu_entry("Tools", entry)

    report = ReportEntry()
    report.init_entry("Pipeline", "LevelEditor.MainMenu.Pipeline", "Tools", "ActorReport", "Actor report")
    report.register_menu_entry()
    menus.refresh_all_widgets()


register()
