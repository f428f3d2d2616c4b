"""Request bodies of the portfolio routes, validated strictly with messages that say what to fix."""

from __future__ import annotations

import math
import unicodedata
from typing import Any, Dict, List

from pydantic import field_validator
from pydantic_core import PydanticCustomError

from ..models import Strict
from .tables import MetricValue

NAME_MAX = 200
DESCRIPTION_MAX = 2000
SKILLS_MAX = 30
SKILL_MAX = 64
METRICS_MAX = 30
METRIC_NAME_MAX = 64
METRIC_TEXT_MAX = 200
PROJECTS_MAX = 50  # a portfolio is a showcase; the cap also bounds the PDF's size and render time
EXPORT_FORMATS = ("pdf",)


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("invalid_portfolio_field", message)


def _line(value: str, what: str, longest: int) -> str:
    """One line of text: trimmed, 1 to `longest` characters, no control characters (tabs, newlines, NUL...)."""
    text = value.strip()
    if not 1 <= len(text) <= longest:
        raise _refuse(f"{what} must be 1 to {longest} characters, got {len(text)}")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise _refuse(f"{what} must be a single line without control characters")
    return text


class ProjectRequest(Strict):
    project_name: str
    description: str = ""
    skills: List[str] = []
    metrics: Dict[str, Any] = {}

    @field_validator("project_name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _line(value, "project_name", NAME_MAX)

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        text = value.strip()
        if len(text) > DESCRIPTION_MAX:
            raise _refuse(f"description must be at most {DESCRIPTION_MAX} characters, got {len(text)}")
        return text

    @field_validator("skills")
    @classmethod
    def _skills(cls, value: List[str]) -> List[str]:
        if len(value) > SKILLS_MAX:
            raise _refuse(f"skills must list at most {SKILLS_MAX} skills, got {len(value)}")
        kept: List[str] = []
        seen = set()
        for skill in value:
            text = _line(skill, "each skill", SKILL_MAX)
            if text.casefold() not in seen:  # "Python" and "python" are one skill
                seen.add(text.casefold())
                kept.append(text)
        return kept

    @field_validator("metrics")
    @classmethod
    def _metrics(cls, value: Dict[str, Any]) -> Dict[str, MetricValue]:
        if len(value) > METRICS_MAX:
            raise _refuse(f"metrics must have at most {METRICS_MAX} entries, got {len(value)}")
        kept: Dict[str, MetricValue] = {}
        for raw_name, metric in value.items():
            name = _line(raw_name, "each metric name", METRIC_NAME_MAX)
            kept[name] = _metric_value(name, metric)
        return kept


def _metric_value(name: str, value: Any) -> MetricValue:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _refuse(f"metric {name!r} must be a number or a string, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise _refuse(f"metric {name!r} must be a finite number")
    if isinstance(value, int) and abs(value) > 2**53:  # beyond this a JavaScript client reads another number
        raise _refuse(f"metric {name!r} must be within ±2^53, got {value}")
    if isinstance(value, str):
        return _line(value, f"metric {name!r}", METRIC_TEXT_MAX)
    return value


class ExportRequest(Strict):
    format: str

    @field_validator("format")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in EXPORT_FORMATS:
            raise _refuse(f"format must be one of {', '.join(EXPORT_FORMATS)}, got {value!r}")
        return value
