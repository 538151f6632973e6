"""CLIP token counts: the add-on's estimator (core.prompt.tokens, stdlib only) against CLIP's
real byte-pair tokenizer, and the first-chunk rule for SDXL.

The real tokenizer is Hugging Face ``tokenizers`` running OpenAI CLIP's BPE merges (the
``bpe_simple_vocab_16e6.txt.gz`` shipped in the ``open-clip-torch`` wheel, installed with
``--no-deps``: only that data file is read, never the torch code). Without them those tests skip.
``PORTRAIT_SPEC_UPDATE_LEXICON=1`` rewrites ``core/prompt/clip_lexicon.py`` from the real tokenizer.
"""

from __future__ import annotations

import gzip
import importlib.util
import os
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from prompt_support import ROOT, random_specs, variant_specs

from portrait_spec.core.patterns import PATTERN_WORDS
from portrait_spec.core.prompt import build_prompts, clip_lexicon, hair_color, sitter, tokens
from portrait_spec.core.prompt.claims import ClaimLog
from portrait_spec.core.prompt.clip_lexicon import LEXICON
from portrait_spec.core.prompt.color_names import CSS_COLORS
from portrait_spec.core.prompt.facts import REFLECTOR_WORDS, gather_facts
from portrait_spec.core.prompt.negative import MIDJOURNEY_NO
from portrait_spec.core.prompt.phrases import REGION_WORDS
from portrait_spec.core.prompt.targets import sdxl

LEXICON_FILE = ROOT / "addon" / "portrait_spec" / "core" / "prompt" / "clip_lexicon.py"
CLIP_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"""


def _bytes_to_unicode() -> dict[int, str]:
    """CLIP's reversible byte -> printable character table (from OpenAI's simple_tokenizer)."""
    bs = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    cs = bs[:]
    extra = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + extra)
            extra += 1
    return dict(zip(bs, map(chr, cs), strict=True))


@cache
def clip_tokenizer():
    import tokenizers as tk

    spec = importlib.util.find_spec("open_clip")
    assert spec is not None and spec.submodule_search_locations, "dev.py installs open-clip-torch (CLIP's BPE merges)"
    vocab_file = Path(next(iter(spec.submodule_search_locations))) / "bpe_simple_vocab_16e6.txt.gz"
    lines = gzip.open(vocab_file).read().decode("utf-8").split("\n")
    merges = [tuple(m.split()) for m in lines[1:49152 - 256 - 2 + 1]]
    base = list(_bytes_to_unicode().values())
    vocab = [*base, *(v + "</w>" for v in base), *("".join(m) for m in merges), "<start_of_text>", "<end_of_text>"]
    assert len(vocab) == 49408  # CLIP's vocabulary size
    model = tk.models.BPE(vocab={v: i for i, v in enumerate(vocab)}, merges=merges,
                          end_of_word_suffix="</w>", continuing_subword_prefix="")
    tokenizer = tk.Tokenizer(model)
    tokenizer.normalizer = tk.normalizers.Sequence([
        tk.normalizers.NFC(), tk.normalizers.Replace(tk.Regex(r"\s+"), " "), tk.normalizers.Lowercase()])
    tokenizer.pre_tokenizer = tk.pre_tokenizers.Sequence([
        tk.pre_tokenizers.Split(tk.Regex(CLIP_PATTERN), behavior="removed", invert=True),
        tk.pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    return tokenizer


def real_count(text: str) -> int:
    return len(clip_tokenizer().encode(text).ids)


def texts_of(spec) -> list[str]:
    """Every text whose CLIP count the bundle reports. Not the structured JSON: FLUX.2 and FIBO
    read it with language-model tokenizers, not CLIP, and its hex colours (#00BAEA) are arbitrary
    letter runs no lexicon can hold, so it has no CLIP count (``bundle``)."""
    bundle = build_prompts(spec)
    tags = sdxl.plain(gather_facts(spec, ClaimLog()))
    prompts = [text for target, text in bundle.prompts.items() if target != "structured"]
    assert set(bundle.token_counts) >= {t for t in bundle.prompts if t != "structured"}
    assert "structured" not in bundle.token_counts
    return [*prompts, *bundle.negatives.values(), ", ".join(tags), *tags]


def test_the_real_tokenizer_is_clip():
    # Known CLIP facts: numbers split into digits, "softbox" is two pieces, punctuation stands alone.
    assert clip_tokenizer().encode("45° softbox").tokens == ["4</w>", "5</w>", "Â°</w>", "soft", "box</w>"]
    assert real_count("a photo of a cat") == 5


def test_lexicon_is_the_real_tokenizer_for_every_word_we_emit():
    texts = [text for spec in variant_specs() for text in texts_of(spec)]
    texts += [name for name, _ in CSS_COLORS]  # any backdrop colour can be named
    texts += [term for term in MIDJOURNEY_NO]  # every negative term, and its --no form
    texts += [word for word in MIDJOURNEY_NO.values() if word]
    # Every closed word list the sitter and the skin regions can emit, variants or not.
    texts += [*hair_color.SHADE_WORDS, *sitter.SEXES, *sitter.BUILDS,
              *sitter.EXPRESSION_WORDS.values(), *sitter.NECKLINE_WORDS.values(), *sitter.FABRIC_WORDS.values(),
              *REGION_WORDS.values()]
    texts += [f"broad short {word} lighting" for word in PATTERN_WORDS.values()]  # every key pattern
    # Every reflector word, and the bounce and flag sentences' glue (no preset need enable them).
    texts += [f"Bounce fill comes from a {word} below the face" for word in REFLECTOR_WORDS.values()]
    texts += ["A black flag absorbs bounced light as negative fill"]
    pieces = sorted({p for text in texts for p in tokens.pretokens(text) if not p.isdigit()})
    real = {p: real_count(p) for p in pieces}
    lexicon = LEXICON
    if os.environ.get("PORTRAIT_SPEC_UPDATE_LEXICON"):
        header = LEXICON_FILE.read_text(encoding="utf-8").split("\nLEXICON", 1)[0] + "\n"
        body = "".join(f"    {p!r}: {n},\n" for p, n in real.items())
        LEXICON_FILE.write_text(f"{header}LEXICON: dict[str, int] = {{\n{body}}}\n", encoding="utf-8")
        lexicon = importlib.reload(clip_lexicon).LEXICON  # the file as written must hold the real counts
    missing = {p: n for p, n in real.items() if lexicon.get(p) != n}
    assert not missing, f"stale lexicon (run with PORTRAIT_SPEC_UPDATE_LEXICON=1): {missing}"


def test_estimate_equals_real_count_for_every_variant():
    for spec in variant_specs():
        for text in texts_of(spec):
            assert tokens.count_tokens(text) == real_count(text), text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs)
def test_estimate_equals_real_count_for_random_specs(spec):
    for text in texts_of(spec):
        assert tokens.count_tokens(text) == real_count(text), text
