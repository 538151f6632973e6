"""CLIP token counts for the prompt, without shipping CLIP's 49k-entry vocabulary.

SDXL (and Flux's CLIP-L encoder) read text through CLIP's byte-pair tokenizer in chunks of 77
tokens: a start token, 75 text tokens, an end token. Automatic1111 and ComfyUI start a new chunk
every 75 tokens; what falls in the first chunk is what the model weighs most reliably.

The count here follows CLIP's own pre-tokenizer exactly (lower case, whitespace collapsed,
then ``'s|'t|'re|'ve|'m|'ll|'d|letters+|one digit|other symbols+``) and then looks each piece up
in ``clip_lexicon.LEXICON``: the number of BPE tokens CLIP's real tokenizer gives that piece.
The lexicon holds every word and symbol run the prompt writer can emit, so the count is exact
for our prompts; ``tests/test_prompt_tokens.py`` checks it against the real tokenizer and
rewrites the lexicon when asked. A piece not in the lexicon is estimated: a digit is 1 token
(CLIP splits numbers into digits), a letter run 1 token per 4 letters rounded up, a symbol run
1 token per UTF-8 byte (an over-estimate: BPE merges common pairs).
"""

from __future__ import annotations

import math
import re

from .clip_lexicon import LEXICON

CHUNK_TOKENS = 75  # 77 minus the start and end tokens

# CLIP's pattern with the stdlib: [^\W\d_] is a letter, \d a digit, the rest symbols.
_PRETOKEN = re.compile(r"'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|(?:[^\s\w]|_)+")


def pretokens(text: str) -> list[str]:
    return _PRETOKEN.findall(" ".join(text.split()).lower())


def piece_tokens(piece: str) -> int:
    known = LEXICON.get(piece)
    if known is not None:
        return known
    if piece.isdigit():
        return 1
    if piece.isalpha():
        return math.ceil(len(piece) / 4)
    return len(piece.encode("utf-8"))


def count_tokens(text: str) -> int:
    """CLIP tokens in ``text`` (start and end tokens not included)."""
    return sum(piece_tokens(p) for p in pretokens(text))


def chunks_needed(tokens: int) -> int:
    return max(1, math.ceil(tokens / CHUNK_TOKENS))


def tags_in_first_chunk(tags: list[str], separator: str = ", ") -> int:
    """How many leading tags fit whole in the first 75-token chunk, separators included."""
    used, fitted = 0, 0
    for i, tag in enumerate(tags):
        used += count_tokens(tag) + (count_tokens(separator) if i else 0)
        if used > CHUNK_TOKENS:
            break
        fitted += 1
    return fitted
