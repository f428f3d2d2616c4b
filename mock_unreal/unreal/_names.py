"""Name and Text: the editor's FName (case-insensitive) and FText (display text)."""

from __future__ import annotations

from typing import Any

from ._core import _WrapperBase


class Name(_WrapperBase):
    """An FName: case-insensitive, hashable, compares equal to the same str."""

    def __init__(self, value: Any = "") -> None:
        object.__setattr__(self, "_props", {})
        object.__setattr__(self, "_value", "None" if value is None else str(value))

    @classmethod
    def cast(cls, object: Any) -> Name:
        """A Name from a Name or str."""
        return object if isinstance(object, Name) else Name(object)

    def is_valid(self) -> bool:
        """Always True for names made in Python."""
        return True

    def is_none(self) -> bool:
        """True for NAME_None (the empty name)."""
        return self._value in ("", "None")

    def __str__(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f'"{self._value}"'

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Name, str)):
            return str(other).lower() == self._value.lower()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._value.lower())

    def __lt__(self, other: Any) -> bool:
        return self._value.lower() < str(other).lower()


class Text(_WrapperBase):
    """An FText: localizable display text."""

    def __init__(self, value: Any = "") -> None:
        object.__setattr__(self, "_props", {})
        object.__setattr__(self, "_value", str(value))

    @classmethod
    def cast(cls, object: Any) -> Text:
        """A Text from a Text or str."""
        return object if isinstance(object, Text) else Text(object)

    @classmethod
    def as_number(cls, num: float) -> Text:
        """A number formatted for display."""
        return Text(f"{num:,}" if isinstance(num, int) else f"{num:,.3f}".rstrip("0").rstrip("."))

    @classmethod
    def as_percent(cls, num: float) -> Text:
        """A fraction formatted as a percentage."""
        return Text(f"{round(num * 100)}%")

    def is_empty(self) -> bool:
        """True for ''."""
        return not self._value

    def is_empty_or_whitespace(self) -> bool:
        """True for '' or only whitespace."""
        return not self._value.strip()

    def to_lower(self) -> Text:
        """A lower-case copy."""
        return Text(self._value.lower())

    def to_upper(self) -> Text:
        """An upper-case copy."""
        return Text(self._value.upper())

    def format(self, *args: Any, **kwargs: Any) -> Text:
        """Replace `{0}` or `{name}` arguments, as FText::Format does."""
        return Text(self._value.format(*args, **kwargs))

    def __str__(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f'"{self._value}"'

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Text, str)):
            return str(other) == self._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._value)
