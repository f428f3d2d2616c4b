"""MaterialEditingLibrary basics: expressions and connections in materials, parameters on instances."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ._asset_types import Material, MaterialInstance, MaterialInterface, Texture
from ._color import LinearColor
from ._containers import Array, Name
from ._core import hidden, prop
from ._libraries import BlueprintFunctionLibrary
from ._objects import Object, resolve_class


def _pos() -> Dict[str, Any]:
    return {
        "material_expression_editor_x": prop(0),
        "material_expression_editor_y": prop(0),
        "desc": hidden(""),
    }


class MaterialExpression(Object):
    """A node of a material graph."""

    _editor_properties_ = _pos()
    _copied_state_ = ("_inputs",)  # made by connect_material_expressions


class MaterialExpressionParameter(MaterialExpression):
    """A node exposing a named parameter."""

    _editor_properties_ = {
        "parameter_name": hidden(factory=Name, coerce=Name.cast),
        "group": hidden(factory=Name),
        "sort_priority": hidden(32),
    }


class MaterialExpressionScalarParameter(MaterialExpressionParameter):
    """A float parameter."""

    _editor_properties_ = {"default_value": hidden(0.0), "slider_min": hidden(0.0), "slider_max": hidden(1.0)}


class MaterialExpressionVectorParameter(MaterialExpressionParameter):
    """A color parameter."""

    _editor_properties_ = {"default_value": hidden(factory=lambda: LinearColor(1.0, 1.0, 1.0, 1.0))}


class MaterialExpressionStaticBoolParameter(MaterialExpressionParameter):
    """A static bool parameter."""

    _editor_properties_ = {"default_value": hidden(False)}


class MaterialExpressionStaticSwitchParameter(MaterialExpressionStaticBoolParameter):
    """A static switch."""


class MaterialExpressionTextureBase(MaterialExpression):
    """Base of texture nodes."""

    _editor_properties_ = {"texture": prop(None)}


class MaterialExpressionTextureSample(MaterialExpressionTextureBase):
    """Samples a texture."""


class MaterialExpressionTextureSampleParameter(MaterialExpressionTextureSample):
    """A texture parameter."""

    _editor_properties_ = {
        "parameter_name": hidden(factory=Name, coerce=Name.cast),
        "group": hidden(factory=Name),
    }


class MaterialExpressionTextureSampleParameter2D(MaterialExpressionTextureSampleParameter):
    """A 2D texture parameter."""


class MaterialExpressionConstant(MaterialExpression):
    """A constant float."""

    _editor_properties_ = {"r": prop(0.0)}


class MaterialExpressionConstant3Vector(MaterialExpression):
    """A constant color."""

    _editor_properties_ = {"constant": prop(factory=LinearColor)}


class MaterialExpressionMultiply(MaterialExpression):
    """A * B."""

    _editor_properties_ = {"const_a": hidden(0.0), "const_b": hidden(1.0)}


class MaterialExpressionAdd(MaterialExpression):
    """A + B."""

    _editor_properties_ = {"const_a": hidden(0.0), "const_b": hidden(1.0)}


class MaterialExpressionTextureCoordinate(MaterialExpression):
    """UV coordinates."""

    _editor_properties_ = {"coordinate_index": prop(0), "u_tiling": prop(1.0), "v_tiling": prop(1.0)}


_TABLES = {
    "_scalars": MaterialExpressionScalarParameter,
    "_vectors": MaterialExpressionVectorParameter,
    "_textures": MaterialExpressionTextureSampleParameter,
    "_switches": MaterialExpressionStaticBoolParameter,
}


def _parameter_nodes(material: Optional[MaterialInterface], kind: type) -> List[Any]:
    base = material
    while isinstance(base, MaterialInstance):
        base = base._props["parent"]
    if not isinstance(base, Material):
        return []
    return [e for e in base._expressions if isinstance(e, kind)]


def lookup_parameter(instance: Any, table: str, parameter_name: Any, default: Any) -> Any:
    """A parameter value: the instance's override, its parents' overrides, then the material's default."""
    key = str(parameter_name).lower()
    current = instance
    while isinstance(current, MaterialInstance):
        values = vars(current).get(table, {})
        if key in values:
            return values[key]
        current = current._props["parent"]
    for node in _parameter_nodes(instance, _TABLES[table]):
        if str(node._props["parameter_name"]).lower() == key:
            prop_name = "texture" if table == "_textures" else "default_value"
            return node._props[prop_name]
    return default


def _set_parameter(instance: Any, table: str, parameter_name: Any, value: Any) -> bool:
    if not isinstance(instance, MaterialInstance):
        raise TypeError(f"instance must be a MaterialInstanceConstant, got {type(instance).__name__}")
    vars(instance)[table][str(parameter_name).lower()] = value
    instance.modify()
    return True


class MaterialEditingLibrary(BlueprintFunctionLibrary):
    """Edit material graphs and material instance parameters."""

    @classmethod
    def create_material_expression(
        cls, material: Material, expression_class: Any, node_pos_x: int = 0, node_pos_y: int = 0
    ) -> MaterialExpression:
        """Add a node of `expression_class` to a material."""
        expression_type = resolve_class(expression_class)
        if not issubclass(expression_type, MaterialExpression):
            raise TypeError(
                f"expression_class must be a MaterialExpression class, got {expression_type.__name__}"
            )
        node = expression_type(outer=material)
        node._props["material_expression_editor_x"] = node_pos_x
        node._props["material_expression_editor_y"] = node_pos_y
        material._expressions.append(node)
        material.modify()
        return node

    @classmethod
    def delete_all_material_expressions(cls, material: Material) -> None:
        """Empty a material graph."""
        material._expressions.clear()
        material._connections.clear()
        material.modify()

    @classmethod
    def get_num_material_expressions(cls, material: Material) -> int:
        """How many nodes a material has."""
        return len(material._expressions)

    @classmethod
    def connect_material_property(
        cls, from_expression: MaterialExpression, from_output_name: str, property_: Any
    ) -> bool:
        """Wire a node's output to a material pin such as MP_BASE_COLOR."""
        material = from_expression.get_outer()
        if not isinstance(material, Material):
            return False
        material._connections[property_.name] = (from_expression, from_output_name)
        material.modify()
        return True

    @classmethod
    def connect_material_expressions(
        cls,
        from_expression: MaterialExpression,
        from_output_name: str,
        to_expression: MaterialExpression,
        to_input_name: str,
    ) -> bool:
        """Wire one node's output to another node's input."""
        if from_expression.get_outer() is not to_expression.get_outer():
            return False
        inputs = vars(to_expression).setdefault("_inputs", {})
        inputs[to_input_name] = (from_expression, from_output_name)
        return True

    @classmethod
    def get_material_property_input_node(
        cls, material: Material, property_: Any
    ) -> Optional[MaterialExpression]:
        """The node wired to a material pin, or None."""
        found = material._connections.get(property_.name)
        return found[0] if found else None

    @classmethod
    def recompile_material(cls, material: Any) -> None:
        """Recompile (instant in the mock)."""
        material.modify()

    @classmethod
    def layout_material_expressions(cls, material: Material) -> None:
        """Arrange nodes in a column."""
        for i, node in enumerate(material._expressions):
            node._props["material_expression_editor_x"] = -300
            node._props["material_expression_editor_y"] = i * 150

    @classmethod
    def update_material_instance(cls, instance: Any) -> None:
        """Apply parameter changes (instant in the mock)."""

    @classmethod
    def set_material_instance_parent(cls, instance: MaterialInstance, new_parent: MaterialInterface) -> None:
        """Make an instance derive from another material."""
        instance.set_editor_property("parent", new_parent)

    @classmethod
    def set_material_instance_scalar_parameter_value(
        cls, instance: Any, parameter_name: Any, value: float, association: Any = None
    ) -> bool:
        """Override a scalar parameter."""
        return _set_parameter(instance, "_scalars", parameter_name, float(value))

    @classmethod
    def set_material_instance_vector_parameter_value(
        cls, instance: Any, parameter_name: Any, value: LinearColor, association: Any = None
    ) -> bool:
        """Override a vector parameter."""
        if not isinstance(value, LinearColor):
            raise TypeError(f"value must be an unreal.LinearColor, got {type(value).__name__}")
        return _set_parameter(instance, "_vectors", parameter_name, value)

    @classmethod
    def set_material_instance_texture_parameter_value(
        cls, instance: Any, parameter_name: Any, value: Texture, association: Any = None
    ) -> bool:
        """Override a texture parameter."""
        return _set_parameter(instance, "_textures", parameter_name, value)

    @classmethod
    def set_material_instance_static_switch_parameter_value(
        cls,
        instance: Any,
        parameter_name: Any,
        value: bool,
        association: Any = None,
        update_material_instance: bool = True,
    ) -> bool:
        """Override a static switch."""
        return _set_parameter(instance, "_switches", parameter_name, bool(value))

    @classmethod
    def get_material_instance_scalar_parameter_value(
        cls, instance: Any, parameter_name: Any, association: Any = None
    ) -> float:
        """A scalar parameter's value."""
        return lookup_parameter(instance, "_scalars", parameter_name, 0.0)

    @classmethod
    def get_material_instance_vector_parameter_value(
        cls, instance: Any, parameter_name: Any, association: Any = None
    ) -> LinearColor:
        """A vector parameter's value."""
        return lookup_parameter(instance, "_vectors", parameter_name, LinearColor())

    @classmethod
    def get_material_instance_texture_parameter_value(
        cls, instance: Any, parameter_name: Any, association: Any = None
    ) -> Optional[Texture]:
        """A texture parameter's value."""
        return lookup_parameter(instance, "_textures", parameter_name, None)

    @classmethod
    def get_material_instance_static_switch_parameter_value(
        cls, instance: Any, parameter_name: Any, association: Any = None
    ) -> bool:
        """A static switch's value."""
        return bool(lookup_parameter(instance, "_switches", parameter_name, False))

    @classmethod
    def get_scalar_parameter_names(cls, material: Any) -> Array:
        """Names of the scalar parameters of a material (or an instance's base material)."""
        return _names(material, MaterialExpressionScalarParameter)

    @classmethod
    def get_vector_parameter_names(cls, material: Any) -> Array:
        """Names of the vector parameters."""
        return _names(material, MaterialExpressionVectorParameter)

    @classmethod
    def get_texture_parameter_names(cls, material: Any) -> Array:
        """Names of the texture parameters."""
        return _names(material, MaterialExpressionTextureSampleParameter)

    @classmethod
    def clear_all_material_instance_parameters(cls, instance: Any) -> None:
        """Drop every override."""
        for table in _TABLES:
            vars(instance)[table].clear()
        instance.modify()

    @classmethod
    def get_child_instances(cls, parent: Any) -> Array:
        """AssetData of the material instances whose parent is `parent`."""
        from ._asset_library import asset_data_for
        from ._assetdata import AssetData
        from ._assets import all_assets

        children = [
            a for a in all_assets() if isinstance(a, MaterialInstance) and a._props["parent"] is parent
        ]
        return Array.cast(AssetData, [asset_data_for(c) for c in children])


def _names(material: Any, kind: type) -> Array:
    return Array.cast(Name, [n._props["parameter_name"] for n in _parameter_nodes(material, kind)])
