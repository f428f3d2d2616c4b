"""The mock's public surface matches the real `unreal` module, read as data from the unreal-stub wheel."""

from __future__ import annotations

from mock_unreal import conformance


def test_mock_matches_real_api(stub_surface: conformance.Surface) -> None:
    import mock_unreal.unreal as mock

    problems, checked = conformance.compare(mock, stub_surface)
    assert checked > 900
    assert problems == []


def test_compare_catches_a_wrong_signature(stub_surface: conformance.Surface) -> None:
    class FakeModule:
        __all__ = ["log", "not_a_real_function"]

        @staticmethod
        def log(message: str) -> None:  # the real parameter is named `arg`
            """wrong"""

        @staticmethod
        def not_a_real_function() -> None:
            """invented"""

    problems, _ = conformance.compare(FakeModule, stub_surface)
    assert any("unreal.log()" in p for p in problems)
    assert any("not_a_real_function" in p for p in problems)


def test_known_uncovered_names_are_real_and_uncovered(stub_surface: conformance.Surface) -> None:
    import mock_unreal.unreal as mock
    from mock_unreal.unreal._core import KNOWN_UNCOVERED_MODULE_NAMES

    surface = stub_surface
    for name in sorted(KNOWN_UNCOVERED_MODULE_NAMES):
        assert name in surface["classes"], f"{name} is not in the real module"
        assert name not in vars(mock), f"{name} is covered now: drop it from KNOWN_UNCOVERED_MODULE_NAMES"
