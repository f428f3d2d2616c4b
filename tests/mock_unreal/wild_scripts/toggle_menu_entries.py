# ruff: noqa  (written in the styles found in the wild, on purpose)
import unreal

menus = unreal.ToolMenus.get()
menu = menus.find_menu("LevelEditor.MainMenu")
tools = menu.add_sub_menu("Views", "PythonTools", "Views", "Views", "View toggles")
for name, kind in (("ShowCollision", unreal.UserInterfaceActionType.TOGGLE_BUTTON),
                   ("ShowBounds", unreal.UserInterfaceActionType.CHECK),
                   ("Refresh", unreal.UserInterfaceActionType.BUTTON)):
    entry = unreal.ToolMenuEntry(name=name, type=unreal.MultiBlockType.MENU_ENTRY, user_interface_action_type=kind)
    entry.set_label(name)
    entry.set_string_command(unreal.ToolMenuStringCommandType.PYTHON, "", "import unreal; unreal.log('{}')".format(name))
    tools.add_menu_entry("Toggles", entry)
menus.refresh_all_widgets()
