"""ToolMenus: menus, sections and entries are recorded so tests can list and "click" them."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from ._containers import Name, Text
from ._core import prop
from ._enums import MultiBlockType, ToolMenuInsertType, ToolMenuStringCommandType, UserInterfaceActionType
from ._objects import Object
from ._state import PROJECT, singleton
from ._structs import EnumBase, StructBase

# Menus that exist in every editor, so scripts can extend them.
STANDARD_MENUS = (
    "LevelEditor.MainMenu",
    "LevelEditor.MainMenu.File",
    "LevelEditor.MainMenu.Edit",
    "LevelEditor.MainMenu.Window",
    "LevelEditor.MainMenu.Tools",
    "LevelEditor.MainMenu.Help",
    "LevelEditor.LevelEditorToolBar",
    "LevelEditor.LevelEditorToolBar.PlayToolBar",
    "LevelEditor.LevelEditorToolBar.User",
    "LevelEditor.ActorContextMenu",
    "ContentBrowser.AssetContextMenu",
    "ContentBrowser.FolderContextMenu",
    "ContentBrowser.AddNewContextMenu",
)


class MultiBoxType(EnumBase):
    """Kinds of menus and toolbars."""

    MENU_BAR = 0
    TOOL_BAR = 1
    VERTICAL_TOOL_BAR = 2
    SLIM_HORIZONTAL_TOOL_BAR = 3
    UNIFORM_TOOL_BAR = 4
    MENU = 5
    BUTTON_ROW = 6


class ToolMenuContext(StructBase):
    """What a menu entry is invoked on."""

    def __init__(self) -> None:
        super().__init__()


class ToolMenuEntry(StructBase):
    """A menu entry made in script: a label, a tooltip and a string command."""

    _editor_properties_ = {
        "name": prop(factory=Name, coerce=Name.cast),
        "owner": prop(None),
        "type": prop(MultiBlockType.MENU_ENTRY),
        "user_interface_action_type": prop(UserInterfaceActionType.BUTTON),
        "insert_position": prop(None),
        "script_object": prop(None),
    }

    def __init__(
        self,
        name: Any = "None",
        owner: Any = None,
        type: Any = MultiBlockType.MENU_ENTRY,
        user_interface_action_type: Any = None,
        tutorial_highlight_name: Any = "None",
        insert_position: Any = None,
        should_close_window_after_menu_selection: Any = None,
        script_object: Any = None,
        style_name_override: Any = "None",
    ) -> None:
        super().__init__(
            name=name, owner=owner, type=type, insert_position=insert_position, script_object=script_object
        )
        if user_interface_action_type is not None:
            self.set_editor_property("user_interface_action_type", user_interface_action_type)
        object.__setattr__(self, "_label", "")
        object.__setattr__(self, "_tool_tip", "")
        object.__setattr__(self, "_command", None)

    def set_label(self, label: Any) -> None:
        """The text shown."""
        object.__setattr__(self, "_label", str(label))

    def get_label(self) -> Text:
        """The text shown."""
        return Text(self._label)

    def set_tool_tip(self, tool_tip: Any) -> None:
        """The tooltip."""
        object.__setattr__(self, "_tool_tip", str(tool_tip))

    def get_tool_tip(self) -> Text:
        """The tooltip."""
        return Text(self._tool_tip)

    def set_string_command(self, type: Any, custom_type: Any, string: str) -> None:
        """What clicking runs: a console command or Python code."""
        object.__setattr__(self, "_command", (type, str(string)))

    def set_icon(self, style_set_name: Any, style_name: Any = "None", small_style_name: Any = "None") -> None:
        """The icon (recorded, not drawn)."""


class ToolMenuEntryScriptData(StructBase):
    """Where a scripted entry goes and what it shows."""

    _editor_properties_ = {
        "menu": prop(factory=Name, coerce=Name.cast),
        "section": prop(factory=Name, coerce=Name.cast),
        "name": prop(factory=Name, coerce=Name.cast),
        "label": prop(factory=Text, coerce=Text.cast),
        "tool_tip": prop(factory=Text, coerce=Text.cast),
        "owner_name": prop(factory=Name, coerce=Name.cast),
        "icon": prop(None),
        "insert_position": prop(None),
        "advanced": prop(False),
    }


class ToolMenuEntryScript(Object):
    """A menu entry written in Python: subclass it under `@unreal.uclass()` and override `execute`."""

    _editor_properties_ = {"data": prop(factory=ToolMenuEntryScriptData)}

    def init_entry(
        self, owner_name: Any, menu: Any, section: Any, name: Any, label: Any = "", tool_tip: Any = ""
    ) -> None:
        """Fill in where the entry goes and what it shows."""
        data = self._props["data"]
        data.set_editor_properties(
            {
                "owner_name": owner_name,
                "menu": menu,
                "section": section,
                "name": name,
                "label": label,
                "tool_tip": tool_tip,
            }
        )

    def register_menu_entry(self) -> None:
        """Add the entry to the menu named in its data."""
        menu = ToolMenus.get().extend_menu(self._props["data"].menu)
        menu.add_menu_entry_object(self)

    def unregister_menu_entry(self) -> None:
        """Remove the entry."""
        for menu in PROJECT.menus.values():
            menu._entries = [e for e in menu._entries if e[1] is not self]

    def execute(self, context: ToolMenuContext) -> None:
        """What clicking does; override it."""

    def can_execute(self, context: ToolMenuContext) -> bool:
        """Whether the entry is enabled."""
        return True

    def is_visible(self, context: ToolMenuContext) -> bool:
        """Whether the entry is shown."""
        return True

    def get_label(self, context: ToolMenuContext) -> Text:
        """The text shown."""
        return Text(self._props["data"].label)

    def get_tool_tip(self, context: ToolMenuContext) -> Text:
        """The tooltip."""
        return Text(self._props["data"].tool_tip)


class ToolMenuBase(Object):
    """Base of menus."""


class ToolMenu(ToolMenuBase):
    """A menu: sections holding entries."""

    _editor_properties_ = {"menu_name": prop(factory=Name, read_only=True), "menu_parent": prop(factory=Name)}
    _sections: List[str]
    _entries: List[Tuple[str, Any]]

    def _post_init(self) -> None:
        object.__setattr__(self, "_sections", [])
        object.__setattr__(self, "_entries", [])

    def add_section(
        self,
        section_name: Any,
        label: Any = "",
        insert_name: Any = "None",
        insert_type: Any = ToolMenuInsertType.DEFAULT,
        alignment: Any = None,
    ) -> None:
        """Add a named section (again is a no-op)."""
        if str(section_name) not in self._sections:
            self._sections.append(str(section_name))

    def add_menu_entry(self, section_name: Any, args: ToolMenuEntry) -> None:
        """Add an entry to a section."""
        self.add_section(section_name)
        self._entries.append((str(section_name), args))

    def add_menu_entry_object(self, object: ToolMenuEntryScript) -> None:
        """Add a scripted entry, in the section named by its data."""
        section = str(object._props["data"].section)
        self.add_section(section)
        self._entries.append((section, object))

    def add_sub_menu(
        self, owner: Any, section_name: Any, name: Any, label: Any, tool_tip: Any = ""
    ) -> ToolMenu:
        """Add a sub-menu, registered as `<menu>.<name>`."""
        self.add_section(section_name)
        full = f"{self._props['menu_name']}.{name}"
        sub = ToolMenus.get().register_menu(full, self._props["menu_name"], MultiBoxType.MENU, False)
        self._entries.append((str(section_name), sub))
        return sub


class ToolMenus(Object):
    """The registry of editor menus."""

    @classmethod
    def get(cls) -> ToolMenus:
        """The one ToolMenus object."""
        return singleton(ToolMenus, _new_tool_menus)

    def register_menu(
        self,
        name: Any,
        parent: Any = "None",
        type: Any = MultiBoxType.MENU,
        warn_if_already_registered: bool = True,
    ) -> ToolMenu:
        """Create a menu (or return the existing one)."""
        key = str(name)
        existing = PROJECT.menus.get(key)
        if existing is not None:
            if warn_if_already_registered:
                from ._logging import editor_log

                editor_log("LogToolMenus", "Warning", f"Menu already registered: {key}")
            return existing
        menu = ToolMenu(outer=self, name=key.replace(".", "_"))
        menu._props["menu_name"] = Name(key)
        menu._props["menu_parent"] = Name(parent)
        PROJECT.menus[key] = menu
        return menu

    def find_menu(self, name: Any) -> Optional[ToolMenu]:
        """A registered menu, or None."""
        return PROJECT.menus.get(str(name))

    def extend_menu(self, name: Any) -> ToolMenu:
        """A menu to add to, registering it if needed."""
        return self.register_menu(name, "None", MultiBoxType.MENU, False)

    def is_menu_registered(self, name: Any) -> bool:
        """True once the menu exists."""
        return str(name) in PROJECT.menus

    def remove_menu(self, menu_name: Any) -> None:
        """Forget a menu."""
        PROJECT.menus.pop(str(menu_name), None)

    def refresh_all_widgets(self) -> None:
        """Redraw menus (nothing to draw in the mock)."""

    def unregister_owner_by_name(self, owner_name: Any) -> None:
        """Remove every scripted entry of an owner."""
        for menu in PROJECT.menus.values():
            menu._entries = [
                e
                for e in menu._entries
                if not (
                    isinstance(e[1], ToolMenuEntryScript) and e[1]._props["data"].owner_name == owner_name
                )
            ]


def _new_tool_menus() -> ToolMenus:
    menus = ToolMenus(name="ToolMenus")
    for name in STANDARD_MENUS:
        menus.register_menu(name, "None", MultiBoxType.MENU, False)
    return menus


def menu_entries() -> Dict[str, List[Tuple[str, str, Any]]]:
    """Every menu's entries as (section, name, entry)."""
    out: Dict[str, List[Tuple[str, str, Any]]] = {}
    for key, menu in PROJECT.menus.items():
        rows = []
        for section, entry in menu._entries:
            if isinstance(entry, ToolMenuEntryScript):
                name = str(entry._props["data"].name)
            elif isinstance(entry, ToolMenu):
                name = str(entry._props["menu_name"])
            else:
                name = str(entry._props["name"])
            rows.append((section, name, entry))
        out[key] = rows
    return out


def click(entry: Any) -> None:
    """What clicking an entry does: run its script object's `execute`, or its Python string command."""
    if isinstance(entry, ToolMenuEntryScript):
        context = ToolMenuContext()
        if entry.can_execute(context):
            entry.execute(context)
        return
    command = getattr(entry, "_command", None)
    if command is None:
        raise ValueError("this menu entry has no command to run")
    kind, text = command
    if kind == ToolMenuStringCommandType.PYTHON:
        exec(compile(text, "<menu entry>", "exec"), {"__name__": "__main__"})
    else:
        from ._logging import editor_log

        editor_log("Cmd", "Log", text)
