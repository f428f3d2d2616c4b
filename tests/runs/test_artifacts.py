"""ArtifactFiles: bytes kept exactly, once per content, never past the size limit, never outside the root."""
from __future__ import annotations

import dataclasses
import io
import os
from pathlib import Path
from typing import List

import pytest

from bridge.runs import ArtifactType, RunHistory, RunKind, RunNotFound, RunStatus
from bridge.runs.artifacts import ArtifactFiles, guess_artifact_type, safe_file_name
from bridge.runs.errors import ArtifactTooLarge, RunsError


@pytest.fixture
def files(tmp_path: Path) -> ArtifactFiles:
    return ArtifactFiles(tmp_path / "artifacts", max_bytes=64 * 1024, default_retention_days=7)


@pytest.fixture
def run_id(history: RunHistory) -> str:
    return history.create(RunKind.SCRIPT, started=True).id


def everything_under(root: Path) -> List[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_binary_file_comes_back_byte_for_byte(
    files: ArtifactFiles, history: RunHistory, run_id: str, tmp_path: Path
) -> None:
    data = bytes(range(256)) * 200 + b"\x00\r\n\xff"  # every byte value, past one chunk of a small reader
    source = tmp_path / "shot.png"
    source.write_bytes(data)
    artifact = files.store(history, run_id, source, name="Screenshot", description="viewport", tags=["ui"])
    assert files.path_of(artifact).read_bytes() == data
    assert (artifact.file_name, artifact.mime_type, artifact.artifact_type) == ("shot.png", "image/png",
                                                                                 ArtifactType.IMAGE)
    assert (artifact.file_size, artifact.retention_days, artifact.tags) == (len(data), 7, ("ui",))
    assert files.path_of(artifact).is_relative_to(files.root)
    assert history.get(run_id).artifacts == (artifact,)  # type: ignore[union-attr]
    assert history.run(run_id).artifacts_count == 1


def test_bytes_and_file_objects_are_streamed_too(files: ArtifactFiles, history: RunHistory, run_id: str) -> None:
    from_bytes = files.store(history, run_id, b'{"a": 1}', name="data", file_name="result.json")
    from_stream = files.store(history, run_id, io.BytesIO(b"col\n1\n"), name="table", file_name="t.csv",
                              step_id="s1", retention_days=3, is_public=False)
    assert files.path_of(from_bytes).read_bytes() == b'{"a": 1}'
    assert (from_bytes.artifact_type, from_stream.artifact_type) == (ArtifactType.DATA, ArtifactType.DATA)
    assert (from_stream.step_id, from_stream.retention_days, from_stream.is_public) == ("s1", 3, False)
    with pytest.raises(TypeError, match="binary"):
        files.store(history, run_id, io.StringIO("text"), name="wrong mode")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="never taken as a path"):
        files.store(history, run_id, "/etc/passwd", name="a path as text")  # type: ignore[arg-type]


def test_identical_content_is_stored_once(files: ArtifactFiles, history: RunHistory, run_id: str) -> None:
    first = files.store(history, run_id, b"same bytes", name="one", file_name="a.txt")
    other_run = history.create(RunKind.EDITOR, started=True).id
    second = files.store(history, other_run, b"same bytes", name="two", file_name="b.txt")
    assert first.id != second.id and first.sha256 == second.sha256
    assert files.path_of(first) == files.path_of(second)
    assert everything_under(files.root) == [files.path_of(first)]


def test_too_large_is_refused_and_leaves_nothing(files: ArtifactFiles, history: RunHistory, run_id: str) -> None:
    files.store(history, run_id, b"small", name="fits")
    before = everything_under(files.root)
    for source in (b"x" * (files.max_bytes + 1), io.BytesIO(b"y" * (files.max_bytes * 3))):
        with pytest.raises(ArtifactTooLarge, match="artifact_max_bytes") as refused:
            files.store(history, run_id, source, name="huge")
        assert isinstance(refused.value, RunsError)
    assert everything_under(files.root) == before
    assert history.run(run_id).artifacts_count == 1


def test_exactly_the_limit_is_accepted(files: ArtifactFiles, history: RunHistory, run_id: str) -> None:
    artifact = files.store(history, run_id, b"z" * files.max_bytes, name="edge")
    assert artifact.file_size == files.max_bytes


@pytest.mark.parametrize("hostile", [
    "../../etc/passwd", "/abs/path", "a\x00b", "..", ".hidden", "x" * 10_000, "", "C:\\Windows\\win.ini",
    "..\\..\\boot.ini", "name\n.txt", "\u202eexe.txt", "CON", "...", " ", "a/../../b",
])
def test_hostile_names_stay_plain_names_inside_the_root(
    files: ArtifactFiles, history: RunHistory, run_id: str, tmp_path: Path, hostile: str
) -> None:
    artifact = files.store(history, run_id, hostile.encode("utf-8", "replace") or b"-", name=hostile or "n",
                           file_name=hostile)
    shown = artifact.file_name
    assert shown and "/" not in shown and "\\" not in shown and not shown.startswith(".")
    assert shown not in ("..", ".") and all(ch.isprintable() for ch in shown) and "\u202e" not in shown
    assert len(shown.encode("utf-8")) <= 255
    assert shown.lower() != "con"
    for path in everything_under(tmp_path):
        assert path.is_relative_to(files.root) or path.parent == tmp_path


def test_names_keep_what_they_can() -> None:
    assert safe_file_name("reports/final report.html") == "final report.html"
    assert safe_file_name("..") == "artifact" and safe_file_name(None, fallback="x") == "x"
    long = safe_file_name("a" * 500 + ".tar.gz")
    assert long.endswith(".gz") and len(long) <= 255


@pytest.mark.parametrize("name, mime, kind", [
    ("a.png", "image/png", ArtifactType.IMAGE), ("r.html", "text/html", ArtifactType.DOCUMENT),
    ("r.pdf", "application/pdf", ArtifactType.DOCUMENT), ("r.md", "text/markdown", ArtifactType.DOCUMENT),
    ("d.json", "application/json", ArtifactType.DATA), ("d.csv", "text/csv", ArtifactType.DATA),
    ("a.zip", "application/zip", ArtifactType.ARCHIVE), ("a.tar", "application/x-tar", ArtifactType.ARCHIVE),
    ("a.tar.gz", "application/gzip", ArtifactType.ARCHIVE), ("editor.log", "text/plain", ArtifactType.LOG),
    ("blob.bin", "application/octet-stream", ArtifactType.OTHER),
])
def test_types_are_guessed_from_the_name(name: str, mime: str, kind: ArtifactType) -> None:
    assert guess_artifact_type(name, mime) is kind


def test_a_given_type_and_mime_type_win(files: ArtifactFiles, history: RunHistory, run_id: str) -> None:
    artifact = files.store(history, run_id, b"<svg/>", name="plot", file_name="plot.dat", mime_type="image/svg+xml",
                           artifact_type=ArtifactType.DOCUMENT)
    assert (artifact.mime_type, artifact.artifact_type) == ("image/svg+xml", ArtifactType.DOCUMENT)


def test_an_unknown_run_gets_no_file(files: ArtifactFiles, history: RunHistory) -> None:
    with pytest.raises(RunNotFound):
        files.store(history, "no-such-run", b"data", name="orphan")
    assert everything_under(files.root) == []


def test_a_finished_run_can_gain_an_artifact(files: ArtifactFiles, history: RunHistory, run_id: str) -> None:
    history.finish(run_id, RunStatus.COMPLETED)
    artifact = files.store(history, run_id, b"after the fact", name="upload")
    assert history.run(run_id).artifacts_count == 1 and history.artifact(artifact.id) == artifact


def test_delete_removes_the_file_only_when_nothing_else_holds_it(
    files: ArtifactFiles, history: RunHistory, run_id: str
) -> None:
    first = files.store(history, run_id, b"shared", name="one")
    second = files.store(history, run_id, b"shared", name="two")
    assert files.delete(history, first) is False
    assert files.path_of(second).exists() and history.artifact(first.id) is None
    assert files.delete(history, second) is True
    assert not files.path_of(second).exists() and everything_under(files.root) == []


def test_sweep_removes_files_of_deleted_runs_and_stale_temp_files(
    files: ArtifactFiles, history: RunHistory, run_id: str
) -> None:
    kept = files.store(history, run_id, b"kept", name="kept")
    doomed_run = history.create(RunKind.EDITOR, started=True).id
    doomed = files.store(history, doomed_run, b"doomed", name="doomed")
    history.finish(doomed_run, RunStatus.COMPLETED)
    history.delete(doomed_run)
    stale = files.root / ".incoming-left-by-a-kill"
    stale.write_bytes(b"partial")
    os.utime(stale, (0, 0))
    fresh = files.root / ".incoming-in-progress"
    fresh.write_bytes(b"being written")
    assert files.sweep(history) == [doomed.sha256]
    assert files.path_of(kept).exists() and not files.path_of(doomed).exists()
    assert not stale.exists() and fresh.exists()


def test_a_stored_hash_that_is_not_one_never_becomes_a_path(files: ArtifactFiles, history: RunHistory,
                                                            run_id: str) -> None:
    artifact = files.store(history, run_id, b"x", name="x")
    with pytest.raises(ValueError, match="sha256"):
        files.path_of(dataclasses.replace(artifact, sha256="../../etc/passwd"))
