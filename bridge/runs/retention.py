"""Retention: finished runs past `max_age_days` or beyond `max_runs`, artifacts past their own
`retention_days`, and the files nothing references any more. Pending and running runs are never pruned."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Optional, Tuple

from .artifacts import ArtifactFiles
from .history import RunHistory
from .settings import HistorySettings

log = logging.getLogger("bridge.runs")


@dataclass(frozen=True)
class PruneReport:
    runs: Tuple[str, ...] = ()  # ids of the runs removed
    artifacts: Tuple[str, ...] = ()  # ids of the artifacts removed for their age
    files: Tuple[str, ...] = ()  # sha256 of the files removed

    @property
    def empty(self) -> bool:
        return not (self.runs or self.artifacts or self.files)


class Retention:
    def __init__(self, history: RunHistory, artifact_files: ArtifactFiles, settings: HistorySettings) -> None:
        self.history = history
        self.artifact_files = artifact_files
        self.settings = settings
        self.last_report: Optional[PruneReport] = None

    def prune_once(self) -> PruneReport:
        """One pass; blocks on the store, so it belongs in a worker thread."""
        runs = self.history.prune(self.settings.max_age_days, self.settings.max_runs)
        expired = self.history.store.expired_artifacts(self.history.clock())
        files = [a.sha256 for a in expired if self.artifact_files.delete(self.history, a)]
        # Deleting a run deletes its artifacts' rows; their files go here, once nothing else holds them.
        files += self.artifact_files.sweep(self.history)
        report = PruneReport(tuple(runs), tuple(a.id for a in expired), tuple(files))
        self.last_report = report
        if not report.empty:
            log.info("run history retention: removed %d runs, %d expired artifacts, %d files",
                     len(report.runs), len(report.artifacts), len(report.files))
        return report

    async def run_forever(self) -> None:
        """A pass at start (the bridge may have been off for weeks), then every `prune_interval_seconds`."""
        loop = asyncio.get_running_loop()
        while True:
            work = loop.run_in_executor(None, self.prune_once)
            try:
                await asyncio.shield(work)
            except asyncio.CancelledError:
                # Stopping: a pass already under way finishes before the store closes under it.
                await asyncio.wait([work])
                if not work.cancelled() and work.exception() is not None:
                    log.error("run history retention failed while stopping: %s", work.exception())
                raise
            except Exception:
                log.exception("run history retention failed; trying again in %g s",
                              self.settings.prune_interval_seconds)
            await asyncio.sleep(self.settings.prune_interval_seconds)
