"""Hostile input is a SpecError naming the field and what is allowed (exit 2 in the CLI), never a
traceback: nesting too deep for Python, integers too large for a float, a byte order mark, free
text that would inject prompt parameters, values each in range that cannot be built together,
and variant folders that would collide or overflow a file name."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from portrait_spec.core.errors import SpecError
from portrait_spec.core.paths import check_model_file, check_save_path
from portrait_spec.core.prompt import build_prompts
from portrait_spec.core.render_cost import ALLOW_FLAG, MAX_VARIANTS, Job, estimate, machine_memory_bytes, over_limits
from portrait_spec.core.toml_io import load_spec, loads_spec, parse_override, spec_from_json
from portrait_spec.core.variants import MAX_FOLDER_CHARS, expand
from portrait_spec.folder_lock import output_lock

ROOT = Path(__file__).resolve().parents[1]


def _problem_paths(text: str, overrides: list[str] | None = None) -> list[str]:
    with pytest.raises(SpecError) as err:
        loads_spec(text, overrides)
    return [p.path for p in err.value.problems]


# ---------------------------------------------------------------- parsing

def test_nesting_too_deep_for_python_is_a_spec_error():
    assert _problem_paths("a = " + "[" * 5000 + "]" * 5000) == ["(nesting)"]
    assert _problem_paths("a = " + "{b = " * 3000 + "1" + "}" * 3000) == ["(nesting)"]
    with pytest.raises(SpecError) as err:
        parse_override("lights.fill.stops=" + "[" * 5000 + "]" * 5000)
    assert err.value.problems[0].path == "lights.fill.stops"


def test_a_deeply_nested_file_is_a_spec_error(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("[" + ".".join(["a"] * 3000) + "]\nb = 1\n", encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_spec(path)
    assert err.value.source == str(path)


@pytest.mark.parametrize(("table", "key"), [
    ("camera", "f_number"), ("render", "seed"), ("subject", "distance_to_background"), ("lights.fill", "stops"),
    ("skin.roughness", "default"),
])
def test_a_400_digit_integer_names_its_field(table, key):
    assert _problem_paths(f"[{table}]\n{key} = 1{'0' * 400}\n") == [f"{table}.{key}"]


def test_integers_beyond_pythons_conversion_limit_are_a_spec_error():
    assert _problem_paths(f"[render]\nseed = 1{'0' * 5000}\n") == ["(number)"]


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf[lights.fill]\nstops = -1\n")
    assert load_spec(path).lights.fill.stops == -1.0
    assert loads_spec("\ufeff[lights.fill]\nstops = -1\n").lights.fill.stops == -1.0


def test_corrupt_stored_json_is_a_spec_error_naming_its_source():
    with pytest.raises(SpecError) as err:
        spec_from_json('{"camera": {', "scene 'Scene'")
    assert err.value.source == "scene 'Scene'"
    assert err.value.problems[0].path == "(stored spec)"
    with pytest.raises(SpecError):
        spec_from_json("[" * 100000)


# ---------------------------------------------------------------- free text

@pytest.mark.parametrize("version", ["7 --no face --sref http://example.com/x.png", "7\n--tile", "--v 7", "seven", "7" * 9])
def test_midjourney_version_cannot_inject_parameters(version):
    assert _problem_paths("[prompt]\nmidjourney_version = " + repr(version).replace("'", '"') + "\n") == \
        ["prompt.midjourney_version"]


@pytest.mark.parametrize("version", ["7", "6.1", "5.2", "10"])
def test_midjourney_versions_are_accepted_and_reach_the_prompt(version):
    spec = loads_spec(f'[prompt]\nmidjourney_version = "{version}"\ntarget = "midjourney"\n')
    assert re.search(rf"--v {re.escape(version)}( |$)", build_prompts(spec).text_for("midjourney"))


def test_free_text_is_bounded():
    assert _problem_paths(f'[subject]\nmodel = "{"m" * 5000}.glb"\n') == ["subject.model"]


# ---------------------------------------------------------------- values built together

def test_a_cove_that_would_bury_the_sitter_is_refused():
    problems = _problem_paths('[subject]\ndistance_to_background = "1 m"\n[background]\ncove_radius = "5 m"\n')
    assert problems == ["background.cove_radius"]
    loads_spec('[subject]\ndistance_to_background = "1 m"\n[background]\ncove_radius = "0.9 m"\n')  # fits
    loads_spec('[subject]\ndistance_to_background = "4 ft"\n[background]\ncove_radius = "1.2 m"\n')  # rises under the sitter


def test_a_wire_too_thick_for_its_links_is_refused():
    assert _problem_paths("[jewelry.chain]\nlink_length_mm = 1\n") == ["jewelry.chain.wire_gauge_mm"]
    loads_spec("[jewelry.chain]\nlink_length_mm = 1\nwire_gauge_mm = 0.2\n")  # the smallest link with the thinnest wire


# ---------------------------------------------------------------- variants

def test_values_differing_only_in_punctuation_get_different_folders():
    variants = expand(['background.color="#00B140",[0, 177, 64],"00B140"'])
    names = [v.folder_name for v in variants]
    assert len(set(names)) == 3 and all("/" not in n for n in names)


def test_values_differing_only_in_case_get_different_folders():
    names = {v.folder_name.casefold() for v in expand(['subject.model="A.glb","a.glb"'])}
    assert len(names) == 2


def test_a_long_value_gives_a_bounded_folder_name():
    (variant,) = expand([f'prompt.midjourney_version="{"9" * 300}"'])
    assert len(variant.folder_name) <= MAX_FOLDER_CHARS


def test_plain_values_keep_their_readable_folder_name():
    assert [v.folder_name for v in expand(["lights.fill.stops=-1,-2"])] == ["lights.fill.stops=-1", "lights.fill.stops=-2"]


def test_the_same_value_twice_is_refused():
    with pytest.raises(SpecError, match="twice"):
        expand(["lights.fill.stops=-1,-1"])


# ---------------------------------------------------------------- cost

def test_the_cost_estimate_refuses_what_the_machine_cannot_hold():
    huge = estimate([Job(width=16384, height=16384, samples=512, exr=False)], cores=2)
    problems = over_limits(huge, memory_total=16 * 2**30)
    assert {p.path for p in problems} == {"render.resolution", "render.samples"}
    assert all(ALLOW_FLAG in p.allowed for p in problems)
    assert " GB" in problems[0].found and "16.0 GB" in problems[0].allowed
    small = estimate([Job(width=512, height=640, samples=128, exr=True)], cores=2)
    assert over_limits(small, memory_total=16 * 2**30) == []


def test_too_many_variants_are_refused():
    grid = estimate([Job(width=64, height=80, samples=1, exr=False)] * (MAX_VARIANTS + 1), cores=2)
    assert [p.path for p in over_limits(grid, None)] == ["--vary"]


def test_the_machine_reports_its_memory():
    total = machine_memory_bytes()
    assert total is not None and total > 2**28


# ---------------------------------------------------------------- paths

@pytest.mark.parametrize(("name", "content", "ok"), [
    ("m.glb", b"glTF\x02\x00\x00\x00", True),
    ("m.glb", b"", False),
    ("m.glb", b"not a model at all", False),
    ("m.gltf", b'\xef\xbb\xbf  {"asset": {}}', True),
    ("m.gltf", b"glTF", False),
    ("m.fbx", b"Kaydara FBX Binary  \x00\x1a\x00", True),
    ("m.fbx", b"; FBX 7.4.0 project file\nFBXHeaderExtension:  {\n", True),
    ("m.fbx", b"PK\x03\x04", False),
    ("m.obj", b"# made by hand\no Head\nv 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n", True),
    ("m.obj", b"\x89PNG\r\n\x1a\n\x00\x00", False),
    ("m.obj", b"just some words\n", False),
    ("m.stl", b"solid x", False),
])
def test_a_model_file_must_be_the_format_its_extension_says(tmp_path, name, content, ok):
    path = tmp_path / name
    path.write_bytes(content)
    problems = check_model_file(path)
    assert (problems == []) == ok, problems
    assert all(p.path == "subject.model" for p in problems)


def test_a_missing_model_file_is_named():
    assert check_model_file(Path("/no/such/head.glb"))[0].path == "subject.model"


def test_a_save_path_under_a_file_is_refused(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    problems = check_save_path(blocker / "scene.blend")
    assert [p.path for p in problems] == ["--save"]
    assert check_save_path(tmp_path / "new" / "scene.blend") == []
    assert check_save_path(tmp_path) != []  # a folder


NOBODY = 65534


def _as_unprivileged(check: Callable[[], list[str]]) -> list[str]:
    """``check``'s problem paths, run where permission bits apply: as this user, or in a forked
    child that has dropped to ``nobody`` when this is root (root writes through read-only bits)."""
    if os.geteuid() != 0:
        return check()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, run, report through the pipe, never return
        status = 1
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            os.write(write, json.dumps(check()).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        reported = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, reported
    return list(json.loads(reported))


def _lock_problems(out_dir: Path) -> list[str]:
    try:
        with output_lock(out_dir):
            return []
    except SpecError as exc:
        return [p.path for p in exc.problems]


def test_folders_this_user_may_not_write_are_refused_for_save_and_out():
    base = Path(tempfile.mkdtemp(prefix="portrait_spec-perm-"))  # /tmp: every user can reach it
    try:
        base.chmod(0o755)
        (base / "read_only").mkdir(mode=0o555)
        (base / "read_only").chmod(0o555)  # mkdir's mode passes through the umask
        (base / "open").mkdir()
        (base / "open").chmod(0o777)  # the control: the same user may write here
        assert _as_unprivileged(lambda: [p.path for p in check_save_path(base / "read_only" / "scene.blend")]) == ["--save"]
        assert _as_unprivileged(lambda: _lock_problems(base / "read_only" / "out")) == ["--out"]
        assert _as_unprivileged(lambda: _lock_problems(base / "read_only")) == ["--out"]
        assert _as_unprivileged(lambda: [p.path for p in check_save_path(base / "open" / "scene.blend")]) == []
        assert _as_unprivileged(lambda: _lock_problems(base / "open" / "out")) == []
        assert not (base / "read_only" / "out").exists()
    finally:
        (base / "read_only").chmod(0o755)
        shutil.rmtree(base)


# ---------------------------------------------------------------- the CLI without Blender

def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; sys.modules['bpy'] = None; import runpy; runpy.run_module('portrait_spec', run_name='__main__', alter_sys=True)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "addon"), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize(("content", "field"), [
    ("a = " + "[" * 5000 + "]" * 5000, "(nesting)"),
    (f"[subject]\ndistance_to_background = 1{'0' * 400}\n", "subject.distance_to_background"),
    ('[prompt]\nmidjourney_version = "7 --sref http://x"\n', "prompt.midjourney_version"),
])
def test_the_cli_says_exit_2_and_names_the_field(tmp_path, content, field):
    path = tmp_path / "hostile.toml"
    path.write_text(content, encoding="utf-8")
    result = _run("prompt", str(path), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert field in result.stderr and "Traceback" not in result.stderr
