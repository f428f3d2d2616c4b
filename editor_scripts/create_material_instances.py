"""Create material instances of a parent material, with parameter values."""
from __future__ import annotations

from typing import Dict, List, Optional

import unreal


def create_material_instances(
    parent_material: str,
    names: List[str],
    destination: str = "/Game/Materials/Instances",
    scalar_parameters: Optional[Dict[str, float]] = None,
    vector_parameters: Optional[Dict[str, List[float]]] = None,
    texture_parameters: Optional[Dict[str, str]] = None,
    save: bool = True,
) -> List[str]:
    """Make one MaterialInstanceConstant per name under destination, parented and with parameters set.

    Args:
        parent_material: the material (or instance) to derive from, e.g. /Game/Materials/M_Base
        names: instance names, e.g. ["MI_Rock_Wet", "MI_Rock_Dry"]
        destination: content folder for the new instances
        scalar_parameters: parameter name -> value, e.g. {"Roughness": 0.3}
        vector_parameters: parameter name -> [r, g, b, a], e.g. {"Tint": [1, 0.5, 0.2, 1]}
        texture_parameters: parameter name -> texture asset path
        save: save each new instance
    """
    parent = unreal.EditorAssetLibrary.load_asset(parent_material)
    if parent is None or not isinstance(parent, unreal.MaterialInterface):
        raise ValueError(f"{parent_material} is not a material; pass a Material or MaterialInstance path")
    textures = {}
    for parameter, path in (texture_parameters or {}).items():
        texture = unreal.EditorAssetLibrary.load_asset(path)
        if texture is None or not isinstance(texture, unreal.Texture):
            raise ValueError(f"texture_parameters.{parameter}: {path} is not a texture asset")
        textures[parameter] = texture
    tools = unreal.AssetToolsHelpers.get_asset_tools()
    mel = unreal.MaterialEditingLibrary
    created: List[str] = []
    for name in names:
        if unreal.EditorAssetLibrary.does_asset_exist(f"{destination}/{name}"):
            unreal.log_warning(f"skipping {destination}/{name}: it already exists")
            continue
        instance = tools.create_asset(
            name, destination, unreal.MaterialInstanceConstant, unreal.MaterialInstanceConstantFactoryNew()
        )
        if instance is None:
            unreal.log_error(f"could not create {destination}/{name}")
            continue
        mel.set_material_instance_parent(instance, parent)
        for parameter, value in (scalar_parameters or {}).items():
            mel.set_material_instance_scalar_parameter_value(instance, parameter, value)
        for parameter, rgba in (vector_parameters or {}).items():
            color = unreal.LinearColor(*rgba)
            mel.set_material_instance_vector_parameter_value(instance, parameter, color)
        for parameter, texture in textures.items():
            mel.set_material_instance_texture_parameter_value(instance, parameter, texture)
        mel.update_material_instance(instance)
        if save:
            unreal.EditorAssetLibrary.save_loaded_asset(instance)
        created.append(instance.get_path_name())
    return created
