"""The extraction backdrop restored after denoising (``render/passes.restore_backdrop``), on
made-up passes: exact where only the backdrop is seen, untouched where it is not, and where it
is partly seen (inside hair) the undenoised render only in the backdrop's share, so the strands
keep the denoiser's work instead of its input's noise."""

from __future__ import annotations

import numpy as np

from portrait_spec.blender.render.passes import Passes, restore_backdrop

BACKDROP = (1.0, 0.0, 0.2158605)  # RGB 255/0/128, linear
H, W = 40, 50


def _passes(rng: np.random.Generator) -> tuple[Passes, np.ndarray]:
    coverage = np.zeros((H, W), np.float32)
    coverage[:, :10] = 1.0             # the backdrop alone
    coverage[:, 10:30] = 0.15          # hair with the backdrop showing through
    coverage[:, 30:40] = 0.9           # the last strands of an edge
    subject = np.full((H, W, 3), 0.02, np.float32)  # dark hair
    truth = coverage[..., None] * np.asarray(BACKDROP, np.float32) + (1.0 - coverage[..., None]) * subject
    noise = rng.normal(0.0, 0.05, (H, W, 3)).astype(np.float32) * (1.0 - coverage[..., None])  # the subject's samples
    denoised = truth.copy()
    denoised[:, :10] += 0.01  # what OIDN does to a flat emission: off by a few levels
    linear = np.concatenate([denoised, np.ones((H, W, 1), np.float32)], axis=-1)
    passes = Passes(linear=linear, noisy=truth + noise, depth=np.ones((H, W), np.float32),
                    normal_world=np.zeros((H, W, 3), np.float32), mask=1.0 - coverage, backdrop=coverage)
    return passes, truth


def test_the_backdrop_alone_is_exact_and_the_subject_alone_untouched():
    passes, _ = _passes(np.random.default_rng(1))
    out = restore_backdrop(passes, BACKDROP)
    assert (out[:, :10, :3] == np.asarray(BACKDROP, np.float32)).all() and (out[:, :10, 3] == 1.0).all()
    np.testing.assert_array_equal(out[:, 40:], passes.linear[:, 40:])


def test_inside_hair_only_the_backdrops_share_of_the_noise_comes_back():
    passes, truth = _passes(np.random.default_rng(2))
    out = restore_backdrop(passes, BACKDROP)
    assert passes.noisy is not None
    hair = np.s_[:, 10:30, :3]
    raw = float(np.sqrt(((passes.noisy[hair] - truth[hair]) ** 2).mean()))
    kept = float(np.sqrt(((out[hair] - truth[hair]) ** 2).mean()))
    assert kept < 0.2 * raw, (kept, raw)  # 0.15 of the noise, not all of it
    edge = np.s_[:, 30:40, :3]
    assert np.abs(out[edge] - truth[edge]).max() < 0.02  # mostly the undenoised render, exact in its backdrop part
