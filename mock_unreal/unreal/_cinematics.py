"""Cine cameras: filmback, lens and focus settings, and the presets the editor offers for them."""

from __future__ import annotations

import math
from typing import Any, Dict, Tuple

from ._actors import CameraActor
from ._components import CameraComponent
from ._containers import Array
from ._core import prop
from ._structs import EnumBase, StructBase


class CameraFocusMethod(EnumBase):
    """How a cine camera focuses."""

    DO_NOT_OVERRIDE = 0
    MANUAL = 1
    TRACKING = 2
    DISABLE = 3


class CameraFilmbackSettings(StructBase):
    """Sensor size in mm; the aspect ratio follows from it."""

    _editor_properties_ = {
        "sensor_width": prop(24.89),
        "sensor_height": prop(18.67),
        "sensor_horizontal_offset": prop(0.0),
        "sensor_vertical_offset": prop(0.0),
        "sensor_aspect_ratio": prop(24.89 / 18.67, read_only=True),
    }

    def __init__(
        self,
        sensor_width: float = 24.89,
        sensor_height: float = 18.67,
        sensor_horizontal_offset: float = 0.0,
        sensor_vertical_offset: float = 0.0,
        sensor_aspect_ratio: Any = None,
    ) -> None:
        # The editor recomputes the aspect ratio from the sensor; a value passed for it is ignored.
        super().__init__(
            sensor_width=float(sensor_width), sensor_height=float(sensor_height),
            sensor_horizontal_offset=float(sensor_horizontal_offset),
            sensor_vertical_offset=float(sensor_vertical_offset),
        )

    def _on_property_set(self, name: str) -> None:
        height = self._props["sensor_height"]
        self._props["sensor_aspect_ratio"] = self._props["sensor_width"] / height if height else 0.0


class CameraLensSettings(StructBase):
    """The lens's focal length and aperture ranges."""

    _editor_properties_ = {
        "min_focal_length": prop(4.0),
        "max_focal_length": prop(1000.0),
        "min_f_stop": prop(1.2),
        "max_f_stop": prop(22.0),
        "minimum_focus_distance": prop(15.0),
        "squeeze_factor": prop(1.0),
        "diaphragm_blade_count": prop(7),
    }

    def __init__(
        self,
        min_focal_length: float = 4.0,
        max_focal_length: float = 1000.0,
        min_f_stop: float = 1.2,
        max_f_stop: float = 22.0,
        minimum_focus_distance: float = 15.0,
        squeeze_factor: float = 1.0,
        diaphragm_blade_count: int = 7,
    ) -> None:
        super().__init__(
            min_focal_length=float(min_focal_length), max_focal_length=float(max_focal_length),
            min_f_stop=float(min_f_stop), max_f_stop=float(max_f_stop),
            minimum_focus_distance=float(minimum_focus_distance), squeeze_factor=float(squeeze_factor),
            diaphragm_blade_count=int(diaphragm_blade_count),
        )


class CameraFocusSettings(StructBase):
    """Focus method, manual distance and offset."""

    _editor_properties_ = {
        "focus_method": prop(CameraFocusMethod.MANUAL),
        "manual_focus_distance": prop(100000.0),
        "tracking_focus_settings": prop(None),
        "smooth_focus_changes": prop(False),
        "focus_smoothing_interp_speed": prop(8.0),
        "focus_offset": prop(0.0),
    }

    def __init__(
        self,
        focus_method: Any = CameraFocusMethod.MANUAL,
        manual_focus_distance: float = 100000.0,
        tracking_focus_settings: Any = None,
        smooth_focus_changes: bool = False,
        focus_smoothing_interp_speed: float = 8.0,
        focus_offset: float = 0.0,
    ) -> None:
        super().__init__(
            focus_method=focus_method, manual_focus_distance=float(manual_focus_distance),
            tracking_focus_settings=tracking_focus_settings, smooth_focus_changes=smooth_focus_changes,
            focus_smoothing_interp_speed=float(focus_smoothing_interp_speed), focus_offset=float(focus_offset),
        )


# Names and values of the editor's default presets (BaseEngine.ini, [/Script/CinematicCamera.CineCameraSettings]).
FILMBACK_PRESETS: Dict[str, Tuple[float, float]] = {
    "16:9 Film": (24.89, 14.0),
    "16:9 Digital Film": (23.76, 13.365),
    "16:9 DSLR": (36.0, 20.25),
    "35mm Academy": (21.946, 16.002),
    "Super 8mm": (5.79, 4.01),
    "Super 16mm": (12.52, 7.58),
    "Super 35mm": (24.89, 18.66),
    "35mm VistaVision": (37.719, 25.146),
    "IMAX 70mm": (70.41, 56.63),
}
LENS_PRESETS: Dict[str, Tuple[float, float, float, float]] = {  # min/max focal length, min/max f-stop
    "Universal Zoom": (4.0, 1000.0, 1.2, 22.0),
    "12mm Prime f/2.8": (12.0, 12.0, 2.8, 22.0),
    "30mm Prime f/1.4": (30.0, 30.0, 1.4, 22.0),
    "50mm Prime f/1.8": (50.0, 50.0, 1.8, 22.0),
    "85mm Prime f/1.8": (85.0, 85.0, 1.8, 22.0),
    "105mm Prime f/2": (105.0, 105.0, 2.0, 22.0),
    "200mm Prime f/2": (200.0, 200.0, 2.0, 22.0),
    "24-70mm Zoom f/2.8": (24.0, 70.0, 2.8, 22.0),
    "70-200mm Zoom f/2.8": (70.0, 200.0, 2.8, 22.0),
}
DEFAULT_FILMBACK = "16:9 Digital Film"


class CineCameraComponent(CameraComponent):
    """A camera with a physical sensor, lens and focus; the field of view follows from them."""

    _editor_properties_ = {
        "filmback": prop(factory=lambda: CameraFilmbackSettings(*FILMBACK_PRESETS[DEFAULT_FILMBACK])),
        "lens_settings": prop(factory=CameraLensSettings),
        "focus_settings": prop(factory=CameraFocusSettings),
        "current_focal_length": prop(35.0),
        "current_aperture": prop(2.8),
        "current_focus_distance": prop(100000.0, read_only=True),
    }

    def _on_property_set(self, name: str) -> None:
        lens = self._props["lens_settings"]
        # The editor keeps focal length and aperture inside the lens's range.
        focal = float(self._props["current_focal_length"])
        self._props["current_focal_length"] = min(max(focal, lens.min_focal_length), lens.max_focal_length)
        aperture = float(self._props["current_aperture"])
        self._props["current_aperture"] = min(max(aperture, lens.min_f_stop), lens.max_f_stop)
        self._props["current_focus_distance"] = self._focus_distance()
        super()._on_property_set(name)

    def set_filmback_preset_by_name(self, preset_name: str) -> None:
        """Use a named filmback preset; an unknown name leaves the filmback as it was."""
        found = FILMBACK_PRESETS.get(str(preset_name))
        if found is not None:
            self.set_editor_property("filmback", CameraFilmbackSettings(*found))

    def set_lens_preset_by_name(self, preset_name: str) -> None:
        """Use a named lens preset; an unknown name leaves the lens as it was."""
        found = LENS_PRESETS.get(str(preset_name))
        if found is not None:
            self.set_editor_property("lens_settings", CameraLensSettings(*found))

    def get_filmback_preset_name(self) -> str:
        """The preset matching the filmback, or an empty string."""
        fb = self._props["filmback"]
        for name, (width, height) in FILMBACK_PRESETS.items():
            if (fb.sensor_width, fb.sensor_height) == (width, height):
                return name
        return ""

    def get_default_filmback_preset_name(self) -> str:
        """The filmback new cine cameras get."""
        return DEFAULT_FILMBACK

    def get_lens_preset_name(self) -> str:
        """The preset matching the lens, or an empty string."""
        lens = self._props["lens_settings"]
        current = (lens.min_focal_length, lens.max_focal_length, lens.min_f_stop, lens.max_f_stop)
        for name, values in LENS_PRESETS.items():
            if current == values:
                return name
        return ""

    @classmethod
    def get_filmback_presets_copy(cls) -> Array:
        """Every filmback preset's settings."""
        return Array.cast(CameraFilmbackSettings, [CameraFilmbackSettings(*v) for v in FILMBACK_PRESETS.values()])

    @classmethod
    def get_lens_presets_copy(cls) -> Array:
        """Every lens preset's settings."""
        return Array.cast(CameraLensSettings, [CameraLensSettings(*v) for v in LENS_PRESETS.values()])

    def get_horizontal_field_of_view(self) -> float:
        """Degrees, from the sensor width and the focal length."""
        return math.degrees(2 * math.atan(self._props["filmback"].sensor_width / (2 * self._focal())))

    def get_vertical_field_of_view(self) -> float:
        """Degrees, from the sensor height and the focal length."""
        return math.degrees(2 * math.atan(self._props["filmback"].sensor_height / (2 * self._focal())))

    def _focal(self) -> float:
        return float(self._props["current_focal_length"]) or 1.0

    def _focus_distance(self) -> float:
        focus = self._props["focus_settings"]
        if focus.focus_method == CameraFocusMethod.MANUAL:
            return float(focus.manual_focus_distance) + float(focus.focus_offset)
        return 0.0


class CineCameraActor(CameraActor):
    """A camera actor whose camera is a CineCameraComponent."""

    _root_class = CineCameraComponent
    _root_name = "CameraComponent"
    _label_base_ = "CineCameraActor"

    def get_cine_camera_component(self) -> CineCameraComponent:
        """The actor's cine camera."""
        return self._root()  # type: ignore[return-value]
