"""One measurement in a fresh process: build the seed scene with a chain of N links and print
JSON with the wall time, the resident memory the built scene holds, and the peak resident memory
during the build.

    .venv/blender-4.5/bin/python bench/build_probe.py --links 1000

The peak is Linux's high-water mark (VmHWM), reset just before the build through
/proc/self/clear_refs, so importing Blender does not hide it. A fresh process per measurement
keeps one build's caches out of the next. ``bench/run.py`` calls this.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "addon"))

import bpy  # noqa: E402

from portrait_spec.blender.api import build_fresh, fresh_scene  # noqa: E402
from portrait_spec.blender.contract import find_one  # noqa: E402
from portrait_spec.blender.measure.probe import quiet_stdout  # noqa: E402
from portrait_spec.core.chain_layout import link_count  # noqa: E402
from portrait_spec.core.toml_io import load_spec  # noqa: E402

SEED_SCENE = ROOT / "scenes" / "seed_portrait.toml"
CHAIN_LENGTH_M = 0.45  # the seed's 45 cm chain; the link size sets the count
# Link length and wire gauge (mm) giving exactly that many links in 45 cm (pitch = length - 2 gauge).
LINKS: dict[int, tuple[float, float]] = {100: (7.5, 1.5), 1000: (1.0, 0.275)}


def memory_mb() -> dict[str, float]:
    """Current (VmRSS) and peak (VmHWM) resident memory of this process."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) / 1024.0 for key in ("VmRSS", "VmHWM")}  # kB


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--links", type=int, choices=sorted(LINKS), required=True)
    args = parser.parse_args()
    link_mm, gauge_mm = LINKS[args.links]
    assert link_count(CHAIN_LENGTH_M, link_mm, gauge_mm) == args.links
    spec = load_spec(SEED_SCENE, [f"jewelry.chain.link_length_mm={link_mm}", f"jewelry.chain.wire_gauge_mm={gauge_mm}",
                                  f'jewelry.chain.length="{CHAIN_LENGTH_M * 100:g} cm"'])
    with quiet_stdout():
        fresh_scene()
    before = memory_mb()["VmRSS"]
    reset_peak()
    started = time.perf_counter()
    with quiet_stdout():
        scene = build_fresh(spec)
        bpy.context.view_layer.update()  # evaluate the instancing modifier, as a render would
    seconds = time.perf_counter() - started
    after = memory_mb()
    chain = find_one(scene, "chain")
    depsgraph = bpy.context.evaluated_depsgraph_get()
    instances = sum(1 for inst in depsgraph.object_instances
                    if inst.is_instance and inst.parent is not None and chain is not None and inst.parent.original == chain)
    print(json.dumps({"links": args.links, "instances": instances, "seconds": seconds, "rss_mb_before": before,
                      "rss_mb_after": after["VmRSS"], "peak_rss_mb": after["VmHWM"]}))
    sys.stdout.flush()
    os._exit(0)  # bpy 4.5 can hang at exit (see blender_tests/conftest.py)


if __name__ == "__main__":
    main()
