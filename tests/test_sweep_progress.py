"""The sweep's progress line: done, failed, remaining and an ETA from this run's own pace."""

from __future__ import annotations

import io

from portrait_spec.sweep.progress import SweepProgress


def test_the_line_counts_and_estimates_from_this_runs_pace():
    stream = io.StringIO()
    progress = SweepProgress(total=10, already_done=4, stream=stream)
    assert "ETA ?" in progress.line()  # nothing rendered by this run yet: no pace
    progress.started -= 30.0  # as if this run began 30 s ago
    progress.variant_done()
    progress.variant_failed()
    line = stream.getvalue().splitlines()[-1]
    assert "6/10" in line and "done 5, failed 1, remaining 4" in line
    assert "ETA 1:00" in line  # 2 variants in 30 s, 4 to go
    assert "[##############----------]" in line
