"""The project's asset naming convention: one prefix per asset class."""

PREFIXES = {
    "StaticMesh": "SM_",
    "Material": "M_",
    "MaterialInstanceConstant": "MI_",
    "Texture2D": "T_",
    "AnimSequence": "A_",
    "World": "",
}


def expected_name(class_name, name):
    """The name an asset of `class_name` should have, or None when the convention has no rule for it."""
    prefix = PREFIXES.get(class_name)
    if prefix is None or name.startswith(prefix):
        return None
    return prefix + name
