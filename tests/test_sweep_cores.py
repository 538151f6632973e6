"""Sweep workers claim cores of their own (``sweep.cores``): slots by flock, released with the file."""

from __future__ import annotations

from portrait_spec.sweep.cores import claim

FOUR = frozenset({0, 1, 2, 3})


def test_workers_take_disjoint_slots_until_none_is_free(tmp_path):
    first, second = claim(2, FOUR, tmp_path), claim(2, FOUR, tmp_path)
    assert first is not None and second is not None
    assert (first.slot, second.slot) == (0, 1)
    assert first.cores == {0, 1} and second.cores == {2, 3}
    assert claim(2, FOUR, tmp_path) is None  # more workers than cores: not bound


def test_a_slot_is_free_again_once_its_holder_is_gone(tmp_path):
    first = claim(1, FOUR, tmp_path)
    assert first is not None and first.cores == {0}
    first.lock.close()  # as when its process ends
    again = claim(1, FOUR, tmp_path)
    assert again is not None and again.slot == 0


def test_a_worker_using_every_core_is_not_bound(tmp_path):
    assert claim(4, FOUR, tmp_path) is None
    assert claim(0, FOUR, tmp_path) is None


def test_an_unwritable_lock_folder_leaves_the_worker_unbound(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert claim(1, FOUR, blocked / "locks") is None
