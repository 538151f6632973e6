"""Command line: the same arguments under ``python -m portrait_spec`` and under
``blender -b --factory-startup -P addon/portrait_spec/cli.py -- ...``.

Exit codes: 0 success; 2 bad input (message, no traceback); 3 ``verify`` found a claim out of
tolerance; 130 / 143 stopped by SIGINT / SIGTERM; 1 anything else. ``run`` is the process entry:
it ends the process with the status once the output is flushed (``shutdown``). Parsing, dispatch
and error handling live here; the work lives in ``core`` (prompt) and ``blender`` (build, render,
verify).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if __package__ in (None, ""):
    # Run as a file by Blender's -P (or python cli.py): make the package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "portrait_spec"

from portrait_spec.core.errors import Problem, SpecError
from portrait_spec.core.spec import PROMPT_TARGETS
from portrait_spec.streams import private_stdout

if TYPE_CHECKING:
    from portrait_spec.core.spec import Spec

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT, EXIT_CLAIM_FAILED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code for usage errors is 2 too
        self.print_usage(sys.stderr)
        raise SpecError([Problem("(arguments)", message, f"see `{self.prog} --help`")])


def _resolution(text: str) -> tuple[int, int]:
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, e.g. 512x640") from None
    return w, h


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="portrait_spec", description="Portrait Spec: studio scene + physically true prompt from one spec.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def scene_cmd(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text)
        cmd.add_argument("scene", help="scene spec (.toml) or a saved .blend built by Portrait Spec")
        cmd.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                         help="override one spec field, e.g. lights.fill.stops=-1 (repeatable)")
        return cmd

    prompt = scene_cmd("prompt", "print the prompt (runs without Blender for .toml scenes)")
    prompt.add_argument("--target", choices=PROMPT_TARGETS, help="prompt target (default: the spec's prompt.target)")
    prompt.add_argument("--json", action="store_true", help="all targets, negative prompts and claims as JSON")
    prompt.set_defaults(handler=_cmd_prompt)

    build = scene_cmd("build", "build the studio scene and save it as a .blend")
    build.add_argument("--save", required=True, type=Path, metavar="OUT.blend")
    build.set_defaults(handler=_cmd_build)

    render = scene_cmd("render", "render the reference images and prompt files")
    render.add_argument("--out", required=True, type=Path, metavar="DIR")
    render.add_argument("--quality", choices=("draft", "preview", "final"))
    render.add_argument("--resolution", type=_resolution, metavar="WxH")
    render.add_argument("--samples", type=int)
    render.add_argument("--force", action="store_true", help="write into a non-empty output folder")
    render.add_argument("--vary", action="append", default=[], metavar="PATH=V1,V2,...",
                        help="render one variant per value (repeat for a grid)")
    render.add_argument("--exr", action="store_true", default=None, help="also write reference.exr (multilayer, linear)")
    render.add_argument("--verify", action="store_true", help="measure every claim and put the results in scene.json")
    render.add_argument("--allow-large", action="store_true",
                        help="render even when the estimate exceeds this machine's memory, 24 hours or 64 variants")
    render.set_defaults(handler=_cmd_render)

    verify = scene_cmd("verify", "render probes and check every claim against the scene")
    verify.add_argument("--json", action="store_true")
    verify.set_defaults(handler=_cmd_verify)

    sweep = sub.add_parser("sweep", help="render every variant of a sweep file into a resumable dataset")
    sweep.add_argument("sweep_file", type=Path, metavar="SWEEP.toml")
    sweep.add_argument("--out", required=True, type=Path, metavar="DIR", help="a new folder, or a sweep folder to resume")
    sweep.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                       help="override one field of the base spec (repeatable)")
    sweep.add_argument("--quality", choices=("draft", "preview", "final"))
    sweep.add_argument("--resolution", type=_resolution, metavar="WxH")
    sweep.add_argument("--samples", type=int)
    sweep.add_argument("--workers", type=int, help="local worker processes (default: the cores, at most 4)")
    sweep.add_argument("--threads", type=int, help="Cycles threads per render (default: cores // workers)")
    sweep.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask distributed scheduler")
    sweep.add_argument("--retries", type=int, help="attempts after a variant fails (default: the sweep file's retries, else 2)")
    sweep.add_argument("--sheet-page", type=int, default=64, metavar="N", help="variants per contact sheet page")
    sweep.add_argument("--task-timeout", type=float, metavar="SECONDS",
                       help="stop a variant that renders longer than this (recorded as failed, retried; "
                            "default: the sweep file's task_timeout, else no limit)")
    sweep.add_argument("--allow-large", action="store_true",
                       help="render even when the estimate exceeds this machine's memory or 24 hours")
    sweep.set_defaults(handler=_cmd_sweep)

    worker = sub.add_parser("worker", help=argparse.SUPPRESS)  # the sweep's render process: JSON lines on stdin/stdout
    worker.set_defaults(handler=_cmd_worker)
    return parser


def _is_blend(path: str) -> bool:
    return path.lower().endswith(".blend")


def load_spec_for(args: argparse.Namespace) -> Spec:
    """The spec for a command: from a TOML file, or read back from a saved .blend."""
    from portrait_spec.core.toml_io import load_spec

    if not _is_blend(args.scene):
        return load_spec(args.scene, args.overrides)
    from portrait_spec.blender.scene_file import spec_from_blend

    return spec_from_blend(Path(args.scene), args.overrides)


def _cmd_prompt(args: argparse.Namespace) -> int:
    from portrait_spec.core.prompt import build_prompts

    spec = load_spec_for(args)
    bundle = build_prompts(spec)
    if args.json:
        print(json.dumps(bundle.to_data(), indent=2, ensure_ascii=False))
    else:
        print(bundle.text_for(args.target or spec.prompt.target))
    return EXIT_OK


def _cmd_build(args: argparse.Namespace) -> int:
    spec = load_spec_for(args)  # validate before touching Blender: bad input builds nothing
    sys.stdout = private_stdout()
    from portrait_spec.blender.api import build_and_save

    build_and_save(spec, args.save, spec_dir=_spec_dir(args))
    print(f"saved {args.save}")
    return EXIT_OK


def _cmd_render(args: argparse.Namespace) -> int:
    spec = load_spec_for(args)  # validate before touching Blender: bad input builds nothing
    sys.stdout = private_stdout()
    from portrait_spec.blender.api import render_to_folder

    written = render_to_folder(
        spec, args.out, quality=args.quality, resolution=args.resolution, samples=args.samples,
        force=args.force, vary=args.vary, spec_dir=_spec_dir(args), from_blend=_is_blend(args.scene),
        exr=args.exr, verify=args.verify, allow_large=args.allow_large,
    )
    for path in written:
        print(f"wrote {path}")
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace) -> int:
    spec = load_spec_for(args)  # validate before touching Blender: bad input builds nothing
    sys.stdout = private_stdout()
    from portrait_spec.blender.api import verify_scene

    report = verify_scene(spec, spec_dir=_spec_dir(args), from_blend=_is_blend(args.scene))
    print(json.dumps(report.to_data(), indent=2) if args.json else report.table())
    return EXIT_OK if report.passed else EXIT_CLAIM_FAILED


def _cmd_sweep(args: argparse.Namespace) -> int:
    from portrait_spec.sweep.run import SweepOptions, run_sweep

    options = SweepOptions(out=args.out, overrides=tuple(args.overrides), quality=args.quality, resolution=args.resolution,
                           samples=args.samples, workers=args.workers, threads=args.threads, scheduler=args.scheduler,
                           retries=args.retries, sheet_page=args.sheet_page, task_timeout=args.task_timeout,
                           allow_large=args.allow_large)
    summary = run_sweep(args.sweep_file, options)
    print(f"{summary.rendered} rendered, {summary.already_done + summary.adopted} already done, {summary.failed} failed "
          f"of {summary.planned} variants in {summary.seconds:.1f} s; manifest: {args.out / 'manifest.jsonl'}")
    if summary.failed:
        print(f"error: {summary.failed} variant(s) failed (their errors are in the manifest); run the sweep again to retry",
              file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _cmd_worker(args: argparse.Namespace) -> int:
    from portrait_spec.sweep.worker import main as worker_main

    return worker_main()


def _spec_dir(args: argparse.Namespace) -> Path:
    return Path(args.scene).resolve().parent


def main(argv: list[str] | None = None) -> int:
    if argv is None:
        argv = sys.argv[1:]
    try:
        args = build_parser().parse_args(argv)
        return int(args.handler(args))
    except SpecError as exc:
        print(exc.message(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except ModuleNotFoundError as exc:
        if exc.name == "bpy":
            print("error: this command needs Blender: run it with the bpy wheel or "
                  "`blender -b --factory-startup -P addon/portrait_spec/cli.py -- ...`", file=sys.stderr)
            return EXIT_ERROR
        traceback.print_exc()
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception:
        traceback.print_exc()
        return EXIT_ERROR


def _blender_argv() -> list[str]:
    return sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else sys.argv[1:]


def run(argv: list[str] | None = None) -> NoReturn:
    """The process entry: SIGINT/SIGTERM stop it promptly; once the command is done and its output
    flushed, it exits with the command's status even if Blender's exit handlers would hang."""
    from portrait_spec import shutdown

    shutdown.install_stop_handlers()
    status = main(argv)
    if sys.modules.get("bpy") is None:
        sys.exit(status)
    shutdown.exit_now(status)


if __name__ == "__main__":
    run(_blender_argv())
