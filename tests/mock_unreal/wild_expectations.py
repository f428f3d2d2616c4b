"""What each script in wild_scripts/ must do to the mock project: data the end-to-end tests reuse.

For each script: `prepare(project)` before it runs (optional), `ticks` editor frames to run after it
(for tick-callback scripts), and `check(project, output)` where output is what it printed.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Optional

from mock_unreal.testing import MockProject

SCRIPTS_DIR = Path(__file__).parent / "wild_scripts"

SEED = {
    "directories": ["/Game/Incoming"],
    "files": {
        "SourceArt/T_Brick.png": {"png": [512, 256]},
        "SourceArt/SM_Crate.obj": "v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\nf 1 3 2\n",
        "SourceArt/S_Click.wav": {"wav": 0.5},
        "SourceArt/readme.txt": "not an asset",
    },
    "assets": {
        "/Game/Materials/M_Wood": "Material",
        "/Game/Materials/M_Master": "Material",
        "/Game/Props/Rock": "StaticMesh",
        "/Game/Props/SM_Crate": {"class": "StaticMesh", "materials": ["/Game/Materials/M_Wood"]},
        "/Game/Props/Barrel": "StaticMesh",
        "/Game/Textures/Brick_D": "Texture2D",
        "/Game/Textures/T_Unused": "Texture2D",
        "/Game/Audio/Click": "SoundWave",
        "/Game/Blueprints/BP_Door": "Blueprint",
        "/Game/Maps/Main": "World",
    },
    "level": "/Game/Maps/Main",
    "actors": [
        {
            "label": "Crate_01",
            "static_mesh": "/Game/Props/SM_Crate",
            "folder": "Props",
            "tags": ["interactive"],
        },
        {
            "label": "Crate_02",
            "static_mesh": "/Game/Props/SM_Crate",
            "location": [200, 0, 0],
            "folder": "Props",
            "selected": True,
        },
        {"label": "Rock_01", "static_mesh": "/Game/Props/Rock", "location": [0, 300, 0], "selected": True},
        {"label": "KeyLight", "class": "PointLight", "location": [0, 0, 400]},
    ],
    "selected_assets": ["/Game/Props/Rock", "/Game/Props/Barrel"],
}


@dataclass
class Expectation:
    check: Callable[[MockProject, str], None]
    prepare: Optional[Callable[[MockProject], None]] = None
    ticks: int = 0


def _list_static_meshes(p: MockProject, out: str) -> None:
    assert "StaticMesh: SM_Crate (/Game/Props/SM_Crate.SM_Crate)" in out
    assert "Found 3 static meshes" in p.log_lines("Log")


def _prefix_fixer(p: MockProject, out: str) -> None:
    assets = p.assets()
    for path in (
        "/Game/Props/SM_Rock",
        "/Game/Props/SM_Barrel",
        "/Game/Textures/T_Brick_D",
        "/Game/Audio/S_Click",
        "/Game/Props/SM_Crate",
        "/Game/Blueprints/BP_Door",
    ):
        assert path in assets, path
    assert "/Game/Props/Rock" not in assets
    assert "renamed 4 assets" in out
    assert p.actor("Rock_01").static_mesh_component.static_mesh is p.asset("/Game/Props/SM_Rock")


def _resave(p: MockProject, out: str) -> None:
    assert p.slow_tasks, "the script opened no ScopedSlowTask"
    task = p.slow_tasks[-1]
    assert task["work"] == 3 and len(task["frames"]) == 3 and task["progress"] == 1.0 and task["finished"]
    assert all(p.is_saved(path) for path in p.assets("/Game/Props"))
    assert (Path(p.unreal.Paths.project_content_dir()) / "Props" / "SM_Crate.uasset").is_file()


def _cancel_after_two(p: MockProject) -> None:
    p.cancel_slow_tasks_after(2)


def _cancellable(p: MockProject, out: str) -> None:
    assert "tagged 2" in out
    assert p.slow_tasks and p.slow_tasks[-1]["cancelled"]
    assert "Cancelled after 2 assets" in p.log_lines("Warning")


def _uclass_library(p: MockProject, out: str) -> None:
    logs = p.log_lines("Log")
    assert "Props folder holds 3 assets" in logs
    assert any(line.startswith("MockProject on 5.6") for line in logs)


def _review(p: MockProject, out: str) -> None:
    eal = p.unreal.EditorAssetLibrary
    assert eal.get_metadata_tag(p.asset("/Game/Props/Rock"), "Reviewed") == "techart"
    assert eal.get_metadata_tag(p.asset("/Game/Props/Barrel"), "Reviewed") == "techart"
    assert eal.get_metadata_tag(p.asset("/Game/Props/SM_Crate"), "Reviewed") == ""


def _grid(p: MockProject, out: str) -> None:
    grid = [a for a in p.actors() if str(a.get_folder_path()) == "Grid"]
    assert len(grid) == 9
    corner = p.actor("Grid_2_2")
    assert corner.get_actor_location() == p.unreal.Vector(500, 500, 0)
    assert corner.static_mesh_component.static_mesh is p.asset("/Game/Props/SM_Crate")
    assert "spawned 13" in out


def _selected(p: MockProject, out: str) -> None:
    for label in ("Crate_02", "Rock_01"):
        actor = p.actor(label)
        assert actor.get_actor_scale3d() == p.unreal.Vector(2, 2, 2)
        assert actor.actor_has_tag("Scaled")
    assert not p.actor("Crate_01").actor_has_tag("Scaled")
    assert p.saved_levels == ["/Game/Maps/Main"]
    assert "2 actors selected in Main" in p.log_lines("Log")


def _import(p: MockProject, out: str) -> None:
    assets = p.assets("/Game/Imported")
    assert assets == {
        "/Game/Imported/SM_Crate": "StaticMesh",
        "/Game/Imported/S_Click": "SoundWave",
        "/Game/Imported/T_Brick": "Texture2D",
    }
    texture = p.asset("/Game/Imported/T_Brick")
    assert (texture.blueprint_get_size_x(), texture.blueprint_get_size_y()) == (512, 256)
    assert abs(p.asset("/Game/Imported/S_Click").get_editor_property("duration") - 0.5) < 1e-6
    assert p.asset("/Game/Imported/SM_Crate").get_num_triangles(0) == 2
    assert p.is_saved("/Game/Imported/T_Brick")
    assert any(
        "readme.txt" in line and "Unknown extension" in line
        for line in p.log_lines("Warning", category="LogAssetTools")
    )


def _instances(p: MockProject, out: str) -> None:
    red = p.asset("/Game/Materials/Instances/MI_Master_Red")
    assert red.get_editor_property("parent") is p.asset("/Game/Materials/M_Master")
    mel = p.unreal.MaterialEditingLibrary
    assert mel.get_material_instance_vector_parameter_value(red, "Tint") == p.unreal.LinearColor(1, 0, 0, 1)
    assert mel.get_material_instance_scalar_parameter_value(red, "Roughness") == 0.25
    assert p.is_saved("/Game/Materials/Instances/MI_Master_Blue")
    assert (
        "/Game/Materials/Instances/MI_Master_Red"
        in p.unreal.EditorAssetLibrary.find_package_referencers_for_asset("/Game/Materials/M_Master")
    )


def _master(p: MockProject, out: str) -> None:
    material = p.asset("/Game/Materials/M_Generated")
    mel = p.unreal.MaterialEditingLibrary
    assert "nodes: 2" in out
    node = mel.get_material_property_input_node(material, p.unreal.MaterialProperty.MP_ROUGHNESS)
    assert str(node.get_editor_property("parameter_name")) == "Roughness"
    assert [str(n) for n in mel.get_scalar_parameter_names(material)] == ["Roughness"]
    assert p.is_saved("/Game/Materials/M_Generated")


def _archive(p: MockProject, out: str) -> None:
    archived = set(p.assets("/Game/_Archive"))
    assert archived == {
        "/Game/_Archive/Barrel",
        "/Game/_Archive/Brick_D",
        "/Game/_Archive/T_Unused",
        "/Game/_Archive/Click",
        "/Game/_Archive/BP_Door",
        "/Game/_Archive/M_Master",
    }
    assert "/Game/Props/Rock" in p.assets()  # used by Rock_01 in the level
    assert "/Game/Materials/M_Wood" in p.assets()  # used by SM_Crate
    assert "Archived 6 unused assets" in p.log_lines("Log")


def _answer_yes(p: MockProject) -> None:
    p.answer_dialogs("YES")


def _delete(p: MockProject, out: str) -> None:
    assert p.dialogs == [
        {
            "title": "Delete assets",
            "message": "Delete 2 selected assets?",
            "message_type": "YES_NO",
            "answer": "YES",
        }
    ]
    assert "/Game/Props/Rock" not in p.assets() and "/Game/Props/Barrel" not in p.assets()


def _menu(p: MockProject, out: str) -> None:
    assert "LevelEditor.MainMenu.Pipeline" in p.menu_entries("LevelEditor.MainMenu")
    assert p.menu_entries("LevelEditor.MainMenu.Pipeline") == ["SayHello", "ActorReport"]
    p.click_menu_entry("LevelEditor.MainMenu.Pipeline", "SayHello")
    p.click_menu_entry("LevelEditor.MainMenu.Pipeline", "ActorReport")
    assert "hello from menu" in p.log_lines("Log")
    assert "Report: 4 actors" in p.log_lines("Log")


def _lights(p: MockProject, out: str) -> None:
    assert "static mesh actors: 3" in out and "interactive: ['Crate_01']" in out and "lights: 1" in out
    assert p.actor("KeyLight").point_light_component.get_editor_property("intensity") == 8000.0


def _tick_batch(p: MockProject, out: str) -> None:
    assert all(a.get_editor_property("hidden") for a in p.actors())
    assert p.log_lines("Log")[-1] == "batch done"


def _ring(p: MockProject, out: str) -> None:
    lights = [a for a in p.actors() if a.get_actor_label().startswith("RingLight_")]
    assert len(lights) == 6
    for light in lights:
        offset = light.get_actor_location() - p.unreal.Vector(0, 0, 300)
        assert abs(offset.length() - 500.0) < 1e-3
    assert p.actor("RingLight_1").get_actor_location() == p.unreal.Vector(250.0, 433.0127, 300.0)


def _registry(p: MockProject, out: str) -> None:
    report = Path(p.unreal.Paths.project_saved_dir()) / "Reports" / "assets.csv"
    with open(report, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["name", "class", "folder"]
    assert ["SM_Crate", "StaticMesh", "/Game/Props"] in rows and len(rows) == 8
    assert "wrote 7 rows" in p.log_lines("Log")


WILD_SCRIPTS: Dict[str, Expectation] = {
    "list_static_meshes.py": Expectation(_list_static_meshes),
    "prefix_fixer.py": Expectation(_prefix_fixer),
    "resave_with_progress.py": Expectation(_resave),
    "cancellable_tagging.py": Expectation(_cancellable, prepare=_cancel_after_two),
    "uclass_function_library.py": Expectation(_uclass_library),
    "editor_utility_review.py": Expectation(_review),
    "spawn_grid_level_library.py": Expectation(_grid),
    "subsystem_selected_actors.py": Expectation(_selected),
    "import_source_art.py": Expectation(_import),
    "material_instances.py": Expectation(_instances),
    "build_master_material.py": Expectation(_master),
    "archive_unused.py": Expectation(_archive),
    "confirm_delete_selected.py": Expectation(_delete, prepare=_answer_yes),
    "tool_menu.py": Expectation(_menu),
    "filter_and_lights.py": Expectation(_lights),
    "tick_batch_processor.py": Expectation(_tick_batch, ticks=6),
    "ring_of_lights.py": Expectation(_ring),
    "registry_report.py": Expectation(_registry),
}

# The scripts added with issue 14 (wider API, more styles); imported last, as they use Expectation above.
from .wild_expectations_wider import MORE_SCRIPTS  # noqa: E402

WILD_SCRIPTS.update(MORE_SCRIPTS)
