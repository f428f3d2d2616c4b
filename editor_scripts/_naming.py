"""Naming conventions shared by the naming scripts."""
from __future__ import annotations

from typing import Dict

# Epic's and the community's usual prefixes (Allar's UE style guide).
DEFAULT_PREFIXES: Dict[str, str] = {
    "StaticMesh": "SM_",
    "SkeletalMesh": "SK_",
    "Skeleton": "SKEL_",
    "Texture2D": "T_",
    "Material": "M_",
    "MaterialInstanceConstant": "MI_",
    "Blueprint": "BP_",
    "SoundWave": "S_",
    "AnimSequence": "A_",
    "World": "L_",
}
