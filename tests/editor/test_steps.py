"""`bridge.step`, `bridge.progress` and `bridge.artifact` without HTTP: inside a job and outside one."""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Optional, Sequence, Union

import pytest

import bridge
from bridge.editor.current import RunContext, bind, unbind
from bridge.runs import Artifact, ArtifactType, MemoryStore, RunHistory, RunKind, StepStatus
from bridge.runs.model import new_id


class FolderArtifacts:
    """An artifact store that keeps bytes in memory: the `ArtifactSink` shape bridge.artifact needs."""

    def __init__(self) -> None:
        self.kept: dict = {}

    def store(
        self,
        history: RunHistory,
        run_id: str,
        source: Union[Path, bytes, BinaryIO],
        *,
        name: str,
        file_name: Optional[str] = None,
        artifact_type: Any = None,
        description: Optional[str] = None,
        tags: Sequence[str] = (),
        step_id: Optional[str] = None,
    ) -> Artifact:
        if isinstance(source, Path):
            data = source.read_bytes()
        else:
            data = source if isinstance(source, bytes) else source.read()
        artifact = Artifact(
            id=new_id(), run_id=run_id, name=name, file_name=file_name or name, file_size=len(data),
            mime_type="image/png", sha256=hashlib.sha256(data).hexdigest(), created_at=history.clock(),
            artifact_type=ArtifactType(artifact_type or "other"), step_id=step_id, description=description,
            tags=tuple(tags),
        )
        self.kept[artifact.id] = data
        return history.add_artifact(artifact)


@pytest.fixture
def in_job() -> Iterator[RunContext]:
    history = RunHistory(MemoryStore())
    context = RunContext(history, history.create(RunKind.EDITOR, started=True).id, FolderArtifacts())
    bind(context)
    try:
        yield context
    finally:
        unbind()


def test_outside_a_job_they_do_nothing_but_warn(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bridge"):
        with bridge.step("Import textures") as step:
            assert step is None
        bridge.progress(0.5)
        assert bridge.artifact(b"png", name="shot.png") is None
    assert [r.getMessage().split("(")[0] for r in caplog.records] == ["bridge.step", "bridge.progress",
                                                                      "bridge.artifact"]
    assert all("outside a bridge job does nothing" in r.getMessage() for r in caplog.records)


def test_steps_nest_and_end_with_their_block(in_job: RunContext) -> None:
    with bridge.step("Import textures", estimated_duration=30, description="from disk") as outer:
        assert outer is not None
        with bridge.step("Compress", stop_on_error=True):
            bridge.progress(0.4)
    record = in_job.history.get(in_job.run_id)
    assert record is not None
    first, second = record.steps
    assert (first.name, first.status, first.estimated_duration, first.description) == (
        "Import textures", StepStatus.COMPLETED, 30, "from disk",
    )
    assert second.status is StepStatus.COMPLETED and second.stop_on_error
    assert second.metadata["parent_step_id"] == first.id
    assert record.run.progress == 0.4 and record.run.completed_steps == 2


def test_a_step_left_by_an_exception_fails_with_its_message_and_re_raises(in_job: RunContext) -> None:
    with pytest.raises(KeyError), bridge.step("Look up"):
        raise KeyError("T_Rock")
    record = in_job.history.get(in_job.run_id)
    assert record is not None
    (step,) = record.steps
    assert step.status is StepStatus.FAILED and step.error_message == "KeyError: 'T_Rock'"
    assert in_job.steps == []


def test_progress_outside_zero_to_one_is_refused(in_job: RunContext) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        bridge.progress(1.5)


def test_an_artifact_belongs_to_the_innermost_step(in_job: RunContext, tmp_path: Path) -> None:
    image = tmp_path / "shot.png"
    image.write_bytes(b"\x89PNG...")
    with bridge.step("Render") as step:
        kept = bridge.artifact(str(image), artifact_type="image", description="hero shot", tags=("hero",))
    assert kept is not None and step is not None
    assert (kept.name, kept.step_id, kept.artifact_type, kept.tags) == ("shot.png", step.id, ArtifactType.IMAGE,
                                                                       ("hero",))
    assert in_job.history.run(in_job.run_id).artifacts_count == 1
    with pytest.raises(ValueError, match="needs a name"):
        bridge.artifact(b"raw bytes")
