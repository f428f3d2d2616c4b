"""Anim notifies on sequences, and the AnimationLibrary calls that read and edit them."""

from __future__ import annotations

from typing import Any, List

from ._containers import Array, Name
from ._core import prop
from ._libraries import BlueprintFunctionLibrary
from ._logging import editor_log
from ._objects import Object, resolve_class
from ._structs import StructBase

FRAME_RATE = 30.0  # the editor's default sampling rate for imported animation


class AnimNotify(Object):
    """A notify fired at one time of a sequence; subclass it (or a Blueprint) for your own."""

    _editor_properties_ = {"notify_color": prop(None, read_only=True), "should_fire_in_editor": prop(True)}

    def get_notify_name(self) -> str:
        """The class name without its `AnimNotify_` prefix, as the editor shows it."""
        name = self._unreal_class_name()
        return name[len("AnimNotify_"):] if name.startswith("AnimNotify_") else name

    def get_default_trigger_weight_threshold(self) -> float:
        """The blend weight above which the notify fires."""
        return 0.00001


class AnimNotifyState(Object):
    """A notify with a duration."""

    _editor_properties_ = {"notify_color": prop(None, read_only=True), "should_fire_in_editor": prop(True)}

    def get_notify_name(self) -> str:
        """The class name without its `AnimNotifyState_` prefix."""
        name = self._unreal_class_name()
        return name[len("AnimNotifyState_"):] if name.startswith("AnimNotifyState_") else name


class AnimNotifyEvent(StructBase):
    """One notify placed on a sequence's notify track."""

    _editor_properties_ = {
        "notify_name": prop(factory=Name, read_only=True),
        "notify": prop(None),
        "notify_state_class": prop(None),
        "trigger_weight_threshold": prop(0.00001),
        "notify_trigger_chance": prop(1.0),
    }

    def __init__(
        self,
        trigger_weight_threshold: float = 0.00001,
        notify_name: Any = None,
        notify: Any = None,
        notify_state_class: Any = None,
        montage_tick_type: Any = None,
        notify_trigger_chance: float = 1.0,
        notify_filter_type: Any = None,
        notify_filter_lod: int = 0,
        can_be_filtered_via_request: bool = False,
        trigger_on_dedicated_server: bool = True,
        trigger_on_follower: bool = False,
    ) -> None:
        super().__init__(
            trigger_weight_threshold=trigger_weight_threshold, notify=notify,
            notify_state_class=notify_state_class, notify_trigger_chance=notify_trigger_chance,
        )
        self._props["notify_name"] = Name(notify_name or "None")
        object.__setattr__(self, "_time", 0.0)
        object.__setattr__(self, "_duration", 0.0)
        object.__setattr__(self, "_track", "")


def _tracks(sequence: Any) -> List[str]:
    found: List[str] = vars(sequence).setdefault("_notify_tracks", [])
    return found


def _events(sequence: Any) -> List[AnimNotifyEvent]:
    found: List[AnimNotifyEvent] = vars(sequence).setdefault("_notify_events", [])
    return found


def _length(sequence: Any) -> float:
    return float(sequence._props.get("sequence_length", 0.0))


def _place(sequence: Any, track: str, start_time: float, duration: float, notify: Any, state: bool) -> Any:
    where = sequence.get_path_name()
    if str(track) not in _tracks(sequence):
        editor_log("LogAnimationBlueprintLibrary", "Warning", f"Could not find track with name {track} on {where}")
        return None
    if not 0.0 <= float(start_time) <= _length(sequence):
        editor_log("LogAnimationBlueprintLibrary", "Warning",
                   f"Invalid time value {start_time} for Animation Sequence {where} (length {_length(sequence)})")
        return None
    name = notify.get_notify_name()
    event = AnimNotifyEvent(notify_name=name, **({"notify_state_class": notify} if state else {"notify": notify}))
    object.__setattr__(event, "_time", float(start_time))
    object.__setattr__(event, "_duration", float(duration))
    object.__setattr__(event, "_track", str(track))
    _events(sequence).append(event)
    sequence.modify()
    return notify


class AnimationLibrary(BlueprintFunctionLibrary):
    """Reading and editing animation sequences: length, frames, rate scale, root motion, notifies."""

    @classmethod
    def get_sequence_length(cls, animation_sequence_base: Any) -> float:
        """The length in seconds."""
        return _length(animation_sequence_base)

    @classmethod
    def get_num_frames(cls, animation_sequence_base: Any) -> int:
        """Frames at 30 fps."""
        return round(_length(animation_sequence_base) * FRAME_RATE)

    @classmethod
    def get_time_at_frame(cls, animation_sequence_base: Any, frame: int) -> float:
        """The time of a frame."""
        return min(max(int(frame), 0), cls.get_num_frames(animation_sequence_base)) / FRAME_RATE

    @classmethod
    def get_frame_at_time(cls, animation_sequence_base: Any, time: float) -> int:
        """The frame at a time."""
        return round(min(max(float(time), 0.0), _length(animation_sequence_base)) * FRAME_RATE)

    @classmethod
    def is_valid_time(cls, animation_sequence_base: Any, time: float) -> bool:
        """True when 0 <= time <= length."""
        return 0.0 <= float(time) <= _length(animation_sequence_base)

    @classmethod
    def get_rate_scale(cls, animation_sequence_base: Any) -> float:
        """The playback rate multiplier."""
        return float(animation_sequence_base.get_editor_property("rate_scale"))

    @classmethod
    def set_rate_scale(cls, animation_sequence_base: Any, rate_scale: float) -> None:
        """Set the playback rate multiplier."""
        animation_sequence_base.set_editor_property("rate_scale", float(rate_scale))

    @classmethod
    def is_root_motion_enabled(cls, animation_sequence: Any) -> bool:
        """Whether root motion is extracted."""
        return bool(animation_sequence.get_editor_property("enable_root_motion"))

    @classmethod
    def set_root_motion_enabled(cls, animation_sequence: Any, enabled: bool) -> None:
        """Turn root motion on or off."""
        animation_sequence.set_editor_property("enable_root_motion", bool(enabled))

    @classmethod
    def add_animation_notify_track(
        cls, animation_sequence_base: Any, notify_track_name: Any, track_color: Any = None
    ) -> None:
        """Add a notify track; a name already used is left alone (with the editor's warning)."""
        name = str(notify_track_name)
        if name in _tracks(animation_sequence_base):
            where = animation_sequence_base.get_path_name()
            editor_log("LogAnimationBlueprintLibrary", "Warning",
                       f"Anim Notify Track with name {name} already exists on {where}")
            return
        _tracks(animation_sequence_base).append(name)
        animation_sequence_base.modify()

    @classmethod
    def get_animation_notify_track_names(cls, animation_sequence_base: Any) -> Array:
        """Names of the notify tracks."""
        return Array.cast(Name, list(_tracks(animation_sequence_base)))

    @classmethod
    def is_valid_anim_notify_track_name(cls, animation_sequence_base: Any, notify_track_name: Any) -> bool:
        """True when the sequence has a notify track of that name."""
        return str(notify_track_name) in _tracks(animation_sequence_base)

    @classmethod
    def remove_animation_notify_track(cls, animation_sequence_base: Any, notify_track_name: Any) -> None:
        """Remove a notify track and the notifies on it."""
        name = str(notify_track_name)
        if name in _tracks(animation_sequence_base):
            _tracks(animation_sequence_base).remove(name)
            cls.remove_animation_notify_events_by_track(animation_sequence_base, name)
            animation_sequence_base.modify()

    @classmethod
    def remove_all_animation_notify_tracks(cls, animation_sequence_base: Any) -> None:
        """Remove every notify track and notify."""
        _tracks(animation_sequence_base).clear()
        _events(animation_sequence_base).clear()
        animation_sequence_base.modify()

    @classmethod
    def add_animation_notify_event(
        cls, animation_sequence_base: Any, notify_track_name: Any, start_time: float, notify_class: Any
    ) -> Any:
        """Place a new notify of `notify_class` on a track; the notify, or None when the track or time is wrong."""
        notify_type = resolve_class(notify_class)
        if not (isinstance(notify_type, type) and issubclass(notify_type, AnimNotify)):
            got = getattr(notify_type, "__name__", notify_type)
            raise TypeError(f"notify_class must be an AnimNotify class, got {got}")
        notify = notify_type(outer=animation_sequence_base)
        return _place(animation_sequence_base, notify_track_name, start_time, 0.0, notify, state=False)

    @classmethod
    def add_animation_notify_event_object(
        cls, animation_sequence_base: Any, start_time: float, notify: Any, notify_track_name: Any
    ) -> None:
        """Place an existing notify object on a track."""
        _place(animation_sequence_base, notify_track_name, start_time, 0.0, notify, state=False)

    @classmethod
    def add_animation_notify_state_event(
        cls, animation_sequence_base: Any, notify_track_name: Any, start_time: float, duration: float,
        notify_state_class: Any,
    ) -> Any:
        """Place a notify state of a class, lasting `duration` seconds."""
        state_type = resolve_class(notify_state_class)
        if not (isinstance(state_type, type) and issubclass(state_type, AnimNotifyState)):
            raise TypeError("notify_state_class must be an AnimNotifyState class")
        state = state_type(outer=animation_sequence_base)
        return _place(animation_sequence_base, notify_track_name, start_time, duration, state, state=True)

    @classmethod
    def get_animation_notify_events(cls, animation_sequence_base: Any) -> Array:
        """Every notify event, in time order."""
        return Array.cast(AnimNotifyEvent, sorted(_events(animation_sequence_base), key=lambda e: e._time))

    @classmethod
    def get_animation_notify_events_for_track(cls, animation_sequence_base: Any, notify_track_name: Any) -> Array:
        """The notify events on one track, in time order."""
        on_track = [e for e in _events(animation_sequence_base) if e._track == str(notify_track_name)]
        return Array.cast(AnimNotifyEvent, sorted(on_track, key=lambda e: e._time))

    @classmethod
    def get_animation_notify_event_names(cls, animation_sequence_base: Any) -> Array:
        """The distinct notify names."""
        names = dict.fromkeys(str(e.notify_name) for e in cls.get_animation_notify_events(animation_sequence_base))
        return Array.cast(Name, list(names))

    @classmethod
    def get_anim_notify_event_trigger_time(cls, notify_event: AnimNotifyEvent) -> float:
        """When the notify fires, in seconds."""
        return float(notify_event._time)

    @classmethod
    def get_anim_notify_event_duration(cls, notify_event: AnimNotifyEvent) -> float:
        """How long a notify state lasts (0 for a notify)."""
        return float(notify_event._duration)

    @classmethod
    def remove_animation_notify_events_by_name(cls, animation_sequence_base: Any, notify_name: Any) -> int:
        """Remove notifies of a name; how many went."""
        return _remove(animation_sequence_base, lambda e: str(e.notify_name) == str(notify_name))

    @classmethod
    def remove_animation_notify_events_by_track(cls, animation_sequence_base: Any, notify_track_name: Any) -> int:
        """Remove the notifies on a track; how many went."""
        return _remove(animation_sequence_base, lambda e: e._track == str(notify_track_name))

    @classmethod
    def copy_anim_notifies_from_sequence(
        cls, source_animation_sequence_base: Any, destination_animation_sequence_base: Any,
        delete_existing_notifies: bool = False,
    ) -> None:
        """Copy the source's notify tracks and notifies onto the destination."""
        target = destination_animation_sequence_base
        if delete_existing_notifies:
            _tracks(target).clear()
            _events(target).clear()
        for track in _tracks(source_animation_sequence_base):
            if track not in _tracks(target):
                _tracks(target).append(track)
        for event in _events(source_animation_sequence_base):
            _events(target).append(event.copy())
            for attr in ("_time", "_duration", "_track"):
                object.__setattr__(_events(target)[-1], attr, vars(event)[attr])
        target.modify()


def _remove(sequence: Any, matches: Any) -> int:
    before = len(_events(sequence))
    vars(sequence)["_notify_events"] = [e for e in _events(sequence) if not matches(e)]
    removed = before - len(_events(sequence))
    if removed:
        sequence.modify()
    return removed
