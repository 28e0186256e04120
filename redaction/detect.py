"""Recognising immigration-status data: column names, values and free-text mentions.

Everything here is pure: names and Arrow arrays in, matches and counts out. Patterns
come from the policy; this module only compiles and runs them. Value patterns run in
Arrow's RE2 engine (``pyarrow.compute``), never row by row in Python.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pyarrow as pa
import pyarrow.compute as pc

from redaction.literals import (
    EMPTY,
    FALSE,
    NEWLINE,
    bools,
    int_scalar,
    ints,
    row_numbers,
    strings,
)
from redaction.policy import Category, Detector, Policy, WithholdAction

# ----------------------------------------------------------------------- column names

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize_name(name: str, abbreviations: dict[str, str] | None = None) -> str:
    """Normalise a column name for matching.

    Accents are removed, camelCase is split, ``#`` reads as "number", every run of
    separators becomes one space, and each token found in ``abbreviations`` is expanded:
    ``"CTZN_STS_CD"`` -> ``"citizenship status code"``, ``"País de nacimiento "`` ->
    ``"pais de nacimiento"``, ``"I 94 #"`` -> ``"i 94 number"``.
    """
    text = unmojibake(name)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("#", " number ")
    text = _CAMEL.sub(" ", text).lower()
    tokens = _NON_ALNUM.sub(" ", text).split()
    if abbreviations:
        tokens = [abbreviations.get(t, t) for t in tokens]
    return " ".join(tokens)


def unmojibake(text: str) -> str:
    """UTF-8 text that was decoded as Windows-1252 (``PaÃ­s``), read back as written
    (``País``); anything else is returned unchanged."""
    if text.isascii():
        return text
    try:
        fixed = text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text
    return fixed if fixed != text else text


@dataclass(frozen=True)
class NameMatch:
    category: str
    pattern: str
    action: WithholdAction
    normalized: str


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


#: id(policy) -> (the policy, the pattern of all its name rules).
_ANY_RULE: dict[int, tuple[Policy, re.Pattern[str]]] = {}


def _any_rule(policy: Policy) -> re.Pattern[str]:
    """Matches where any name rule of ``policy`` does; where the rules cannot be joined
    (numbered back-references, repeated group names), matches everything (each rule
    then decides)."""
    held = _ANY_RULE.get(id(policy))
    if held is not None and held[0] is policy:
        return held[1]
    patterns = [r.pattern for c in policy.categories for r in c.names]
    rx = re.compile("")
    if not any(re.search(r"\\[1-9]|\(\?P[<=]", p) for p in patterns):
        with contextlib.suppress(re.error):
            rx = re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")
    _ANY_RULE[id(policy)] = (policy, rx)
    return rx


def classify_name(name: str, policy: Policy) -> NameMatch | None:
    """The category whose name rule matches ``name`` most specifically, if any.

    Every category's rules are tried; the longest matched span wins (``"visa class"``
    beats ``"class"``), and ties go to the category listed first in the policy.
    """
    normalized = normalize_name(name, policy.abbreviations)
    # Most names match no rule: one search of all of them at once says so (a file of
    # 20,000 columns otherwise tried every rule of every category on each).
    if not _any_rule(policy).search(normalized):
        return None
    best: tuple[int, int, Category, str, WithholdAction] | None = None
    for order, cat in enumerate(policy.categories):
        if any(_rx(p).search(normalized) for p in cat.not_names):
            continue
        for rule in cat.names:
            m = _rx(rule.pattern).search(normalized)
            if m is None or any(_rx(u).search(normalized) for u in rule.unless):
                continue
            span = m.end() - m.start()
            key = (span, -order)
            if best is None or key > (best[0], best[1]):
                best = (span, -order, cat, rule.pattern, rule.action or cat.action)
    if best is None:
        return None
    return NameMatch(best[2].id, best[3], best[4], normalized)


# ----------------------------------------------------------------------- value detectors

_SEP = r"[\s\-_./]*"
_ACCENTS = {
    "a": "áàâä",
    "e": "éèêë",
    "i": "íìîï",
    "o": "óòôö",
    "u": "úùûü",
    "n": "ñ",
    "c": "ç",
}
_MARKS = {"á": "\u0301", "é": "\u0301", "í": "\u0301", "ó": "\u0301", "ú": "\u0301",
          "à": "\u0300", "è": "\u0300", "ì": "\u0300", "ò": "\u0300", "ù": "\u0300",
          "â": "\u0302", "ê": "\u0302", "î": "\u0302", "ô": "\u0302", "û": "\u0302",
          "ä": "\u0308", "ë": "\u0308", "ï": "\u0308", "ö": "\u0308", "ü": "\u0308",
          "ñ": "\u0303", "ç": "\u0327"}  # fmt: skip
_BASE = {acc: base for base, accs in _ACCENTS.items() for acc in accs}


def _accent_tolerant(pattern: str) -> str:
    """Let an accented letter also match its bare, decomposed (NFD) and mojibake
    (UTF-8 read as Windows-1252: ``Ã­`` for ``í``) spellings."""
    out = []
    for ch in pattern:
        low = ch.lower()
        if low in _BASE:
            moji = re.escape(low.encode("utf-8").decode("cp1252", errors="replace"))
            out.append(f"(?:{low}|{_BASE[low]}{_MARKS[low]}|{_BASE[low]}|{moji})")
        else:
            out.append(ch)
    return "".join(out)


#: Words this long in a mention also match with one slip (a letter dropped, doubled,
#: mistyped or swapped with the next; the first letter kept): clerks type fast.
FUZZY_MIN = 7
_WORD_CHARS = "abcdefghijklmnopqrstuvwxyzáéíóúñüç"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def fold(word: str) -> str:
    """A word as the typo vocabulary keys it: lower case, accents removed."""
    text = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fuzzy_variants(word: str) -> set[str]:
    """Every spelling of ``word`` one slip away, the first letter kept."""
    out: set[str] = {word[0] + word}  # the first letter doubled
    n = len(word)
    for i in range(1, n):
        out.add(word[:i] + word[i + 1 :])  # dropped
        out.add(word[:i] + word[i] + word[i:])  # doubled
        out.update(word[:i] + c + word[i + 1 :] for c in _LETTERS)  # mistyped
        if i < n - 1:
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2 :])  # swapped
    out.discard(word)
    return out


def _long_words(pattern: str) -> list[str]:
    """Plain runs of ``FUZZY_MIN`` or more letters in a mention pattern (runs in
    character classes, escapes, or whose last letter carries a quantifier excepted)."""
    words: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class or ch == "[":
            in_class = ch != "]" if not in_class else pattern[i] != "]"
            i += 1
            continue
        j = i
        while j < n and pattern[j].lower() in _WORD_CHARS:
            j += 1
        if j == i:
            i += 1
            continue
        run = pattern[i:j]
        if j < n and pattern[j] in "?*+{":
            run = run[:-1]
        if len(run) >= FUZZY_MIN:
            words.append(fold(run))
        i = j
    return words


_STEM_ENDINGS = re.compile(r"(?:\(\?:([a-z|]+)\)|([a-z]+))\(\?:([a-z|]+)\)")


def _stemmed_words(pattern: str) -> list[str]:
    """Words a stem and a group of endings spell: ``deport(?:ed|ation)`` -> ``deported``,
    ``deportation``; ``(?:naturalis|naturaliz)(?:ed|ation)`` -> four words."""
    out = []
    for m in _STEM_ENDINGS.finditer(pattern):
        stems = m[1].split("|") if m[1] else [m[2]]
        out += [fold(s + e) for s in stems for e in m[3].split("|")]
    return [w for w in out if len(w) >= FUZZY_MIN]


#: Words at least this long also match with two edits (deletes, inserts, substitutions,
#: swaps; the first letter kept): ``deffered`` for ``deferred``.
FUZZY_TWO = 8
#: Words of 4 to 6 letters also match with two neighbours swapped: ``crad`` for ``card``.
FUZZY_SHORT = 4


def _deletes(word: str, depth: int) -> set[str]:
    out = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(1, len(w))}
        out |= frontier
    return out


def _osa(a: str, b: str) -> int:
    """Edit distance with adjacent swaps (optimal string alignment)."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


class TypoVocabulary(dict[str, str]):
    """Misspelling -> the word of a mention it stands for.

    The dict holds every spelling one slip away from a word of ``FUZZY_MIN`` letters or
    more; a lookup that misses it also tries two edits for words of ``FUZZY_TWO`` letters
    or more (a symmetric-delete index) and a swap of two neighbours for words of
    ``FUZZY_SHORT`` to 6 letters. The first letter is always kept; a word of some
    mention, or an ordinary word the policy lists (``not_slips``), is never a slip."""

    _CACHE = 200_000

    def __init__(
        self,
        exact: dict[str, str],
        words: set[str],
        short: set[str],
        not_slips: frozenset[str],
        plain: frozenset[str] = frozenset(),
        phrases: frozenset[str] = frozenset(),
    ):
        super().__init__(exact)
        self._words = words | short
        self._not = not_slips
        #: Every plain word of the mentions, however short (``de``, ``not``, ``docs``):
        #: what a word with OCR confusions (``d0cs``, ``dc``, ``n0t``) may stand for.
        self._plain = plain | self._words
        #: Mentions of two or more words with their blanks removed (``birthcert``,
        #: ``workpermit``): matched against neighbouring words joined.
        self.phrases = phrases
        self.phrase_heads = {h for p in phrases for h in _heads(p)}
        #: Phrases a clerk glues to the next word (``born inChina``): long enough that a
        #: spelling starting with one is that phrase.
        self._glued = {p for p in phrases if len(p) >= 6}
        self._phrase_index: dict[str, set[str]] = {}
        for ph in phrases:
            if len(ph) >= JOINED_FUZZY:
                for d in _deletes(ph, 1):
                    self._phrase_index.setdefault(d, set()).add(ph)
        self._joined: dict[str, bool] = {}
        self._index: dict[str, set[str]] = {}
        for w in words:
            if len(w) >= FUZZY_TWO:
                for d in _deletes(w, 2):
                    self._index.setdefault(d, set()).add(w)
        self._swaps: dict[str, str] = {}
        for w in short:
            for i in range(1, len(w) - 1):
                v = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
                if v != w and v not in self._words and v not in not_slips:
                    self._swaps.setdefault(v, w)
        self._seen: dict[str, str | None] = {}

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        hit = dict.get(self, key)
        if hit is None:
            hit = self._lookup(key)
        return hit if hit is not None else default

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def joined(self, key: str) -> bool:
        """Whether neighbouring words joined (letters only, folded) spell a mention of
        several words with its blanks moved or dropped (``wor kpermit``, ``noLP docs``)
        or, for a long one, one slip from it (``birh cert``); a cut-off spelling
        (``green car`` for ``green card``) is not one."""
        hit = self._joined.get(key)
        if hit is not None:
            return hit
        hit = key in self.phrases or any(
            key.startswith(p) for p in self._glued if len(key) > len(p)
        )
        if not hit and len(key) >= JOINED_FUZZY - 1 and key[:HEAD] in self.phrase_heads:
            cands: set[str] = set()
            for d in _deletes(key, 1):
                cands |= self._phrase_index.get(d, set())
            hit = any(not c.startswith(key) and c[0] == key[0] and _osa(key, c) <= 1 for c in cands)
        if len(self._joined) < self._CACHE:
            self._joined[key] = hit
        return hit

    def _lookup(self, token: str) -> str | None:
        if token in self._seen:
            return self._seen[token]
        found: str | None = None
        if not token.isalpha():
            found = self._ocr(token)
        elif token not in self._words and token not in self._not:
            if FUZZY_SHORT <= len(token) <= 6:
                found = self._swaps.get(token)
            elif len(token) >= FUZZY_TWO - 1:
                cands: set[str] = set()
                for d in _deletes(token, 2):
                    cands |= self._index.get(d, set())
                near = sorted((_osa(token, c), c) for c in cands if c[0] == token[0] and c != token)
                if near and near[0][0] <= 2:
                    found = near[0][1]
            if found is None and len(token) >= 2 and token not in self._plain:
                found = self._ocr(token)
        if len(self._seen) < self._CACHE:
            self._seen[token] = found
        return found

    def _ocr(self, token: str) -> str | None:
        """The word of a mention a token stands for once OCR confusions are undone
        (``passp0rt``, ``natura1ized``, ``d0cs``, ``dc`` for ``de``, ``ccrt``): digits
        inside letters read as the letters they resemble, one ``c``/``e`` swapped, or
        ``rn`` read as ``m``."""
        if token.isdigit() or sum(ch.isalpha() for ch in token) < 2:
            return None
        tries: list[str] = []
        if not token.isalpha():
            tries = [token.translate(_OCR_DIGITS), token.translate(_OCR_DIGITS_I)]
        else:
            tries = [token[:i] + _OCR_LETTERS[ch] + token[i + 1 :]
                     for i, ch in enumerate(token) if ch in _OCR_LETTERS]  # fmt: skip
            if "rn" in token:  # "rn" read for "m": nurnber, Drearner
                tries.append(token.replace("rn", "m"))
        for t in tries:
            if t in self._plain:
                return t
            hit = dict.get(self, t)
            if hit is None and not token.isalpha() and t.isalpha():
                # The digits read as letters, the word may still hold a slip (nonct1zen).
                hit = self._lookup(t)
            if hit is not None:
                return hit
        return None


#: Digits a scanner or a hurried typist puts for letters (``0`` for ``o``...).
_OCR_DIGITS = str.maketrans("0123456789", "olzeasgtbg")
_OCR_DIGITS_I = str.maketrans("0123456789", "oizeasgtbg")
_OCR_LETTERS = {"c": "e", "e": "c"}
#: Joined mentions this long also match one slip away (``birhcert``).
JOINED_FUZZY = 7
#: Letters of neighbouring words joined that are checked against the joined mentions
#: only when their first two letters are a head of one (``_heads``).
HEAD = 2
_VOWELS = frozenset("aeiouy")


def _heads(phrase: str) -> set[str]:
    """The first two letters a slip of ``phrase`` may begin with: its first letter and
    its second or third (``br`` of ``brth cert``, ``wo`` of ``wokr auth``), or any vowel
    for a second-letter vowel (``ba`` of ``barth cert``)."""
    if len(phrase) < 3:
        return {phrase[:HEAD]}
    out = {phrase[0] + phrase[1], phrase[0] + phrase[2]}
    if phrase[1] in _VOWELS:
        out |= {phrase[0] + v for v in _VOWELS}
    return out


def _spellings(pattern: str, limit: int = 64) -> list[str] | None:
    """Every spelling of a mention made only of letters, blanks, letter classes and
    ``(?:a|b)`` groups (optional or not), blanks removed; ``None`` for any other
    construct (``u\\.?\\s?s``)."""

    def seq(i: int) -> tuple[list[str], int]:
        outs = [""]
        while i < len(pattern):
            ch = pattern[i]
            if pattern.startswith("(?:", i):
                alts, i = group(i + 3)
                if i < len(pattern) and pattern[i] == "?":
                    alts, i = [*alts, ""], i + 1
                outs = [a + b for a in outs for b in alts][: limit + 1]
            elif ch in "|)":
                return outs, i
            elif pattern.startswith(("\\s+", "\\s*", "\\s?"), i):
                i += 3
            elif pattern.startswith("-?", i):  # an optional hyphen: joined anyway
                i += 2
            elif ch == "[":
                j = pattern.index("]", i)
                body = pattern[i + 1 : j]
                i = j + 1
                if body in ("\\s\\-_",):
                    if i < len(pattern) and pattern[i] in "+*?":
                        i += 1
                    continue
                if not body.isalpha():
                    raise ValueError
                if i < len(pattern) and pattern[i] in "+*?{":
                    raise ValueError
                outs = [a + c for a in outs for c in body][: limit + 1]
            elif ch.isalpha() or ch in "'":
                nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
                if nxt in ("+", "*", "{"):
                    raise ValueError
                if nxt == "?":  # an optional letter: both spellings
                    outs = [a + c for a in outs for c in ("", ch)][: limit + 1]
                    i += 2
                    continue
                outs = [a + ch for a in outs]
                i += 1
            elif ch == " ":
                i += 1
            else:
                raise ValueError
        return outs, i

    def group(i: int) -> tuple[list[str], int]:
        alts: list[str] = []
        while True:
            outs, i = seq(i)
            alts += outs
            if i >= len(pattern):
                raise ValueError
            if pattern[i] == "|":
                i += 1
                continue
            return alts, i + 1  # ")"

    try:
        outs, i = seq(0)
    except (ValueError, IndexError):
        return None
    if i != len(pattern) or len(outs) > limit:
        return None
    return [fold(o.replace("'", "")) for o in outs]


def _phrases(pattern: str) -> set[str]:
    """A mention's spellings of two or more words, blanks removed (``workpermit``)."""
    if not re.search(r"\\s|\[\\s|-\?", pattern):
        return set()
    return {s for s in _spellings(pattern) or () if len(s) >= 6}


def _short_words(pattern: str) -> list[str]:
    """Plain runs of 4 to 6 letters in a mention pattern (``card``, ``status``)."""
    return [
        fold(w)
        for w in re.findall(r"(?<![\\a-z])[a-z]{4,6}(?![a-z?*+{])", pattern)
        if FUZZY_SHORT <= len(w) <= 6
    ]


def typo_vocabulary(
    mentions: tuple[str, ...], not_slips: frozenset[str] = frozenset()
) -> TypoVocabulary:
    """Misspelling -> the word of a mention it stands for. A misspelling that is itself
    a word of some mention is left out (``deportada`` is not a slip of ``deportado``),
    and so is an ordinary word the policy lists (``not_slips``: ``reported``)."""
    words: set[str] = set()
    short: set[str] = set()
    plain: set[str] = set()
    phrases: set[str] = set()
    for m in mentions:
        loose = _expand_classes(_loose_separators(m))
        words.update(_long_words(loose), _stemmed_words(loose))
        short.update(_short_words(loose))
        plain.update(fold(w) for w in re.findall(r"(?<![\\a-z])[a-záéíóúñ]{2,}(?![a-z?*+{])", m))
        phrases |= _phrases(m)
    vocab: dict[str, str] = {}
    for w in sorted(words):
        for v in fuzzy_variants(w):
            if v not in words and v not in not_slips:
                vocab.setdefault(v, w)
    return TypoVocabulary(
        vocab, words, short - words, not_slips, frozenset(plain - not_slips), frozenset(phrases)
    )


#: Fuzzy mention pattern (tagged) -> (the exact pattern it stands for, typo vocabulary).
_FUZZY: dict[str, tuple[str, TypoVocabulary]] = {}
#: A no-op that tags a mention pattern as fuzzy, so ``matches`` can tell it apart.
_FUZZY_TAG = "(?:)"


_CLASS_IN_WORD = re.compile(r"([a-záéíóúñ]*)\[([a-z]{2,3})\]([a-záéíóúñ]*)")


def _expand_classes(pattern: str) -> str:
    """``authori[sz]ation`` as ``(?:authorisation|authorization)``, so the whole word
    can be made fuzzy."""
    out, last = [], 0
    for m in _CLASS_IN_WORD.finditer(pattern):
        pre, chars, post = m[1], m[2], m[3]
        end = m.end()
        quantified = end < len(pattern) and pattern[end] in "?*+{"
        if quantified and post:
            post, end = post[:-1], end - 1  # the quantifier belongs to the last letter
        elif quantified:
            continue  # the class itself is quantified: leave it alone
        out.append(pattern[last : m.start()])
        out.append("(?:" + "|".join(pre + c + post for c in chars) + ")")
        last = end
    out.append(pattern[last:])
    return "".join(out)


def _loose_separators(pattern: str) -> str:
    """A blank in a mention also matches a hyphen or underscore (``green-card``)."""
    return (
        pattern.replace(r"\s+", r"[\s\-_]+")
        .replace(r"\s*", r"[\s\-_]*")
        .replace(r"\s?", r"[\s\-_]?")
    )


def codes_pattern(values: tuple[str, ...]) -> str:
    """A whole-value pattern for code values, tolerant of case and separators."""
    alts = []
    for v in sorted(set(values), key=len, reverse=True):
        chars = [c for c in v.upper() if c.isalnum()]
        alts.append(_SEP.join(re.escape(c) for c in chars))
    return r"(?i)^\s*(?:" + "|".join(alts) + r")\s*$"


def unicode_digits(pattern: str) -> str:
    r"""RE2's ``\d`` is ASCII only; let it match every decimal digit (Arabic-Indic,
    full-width...) as Python's does, so an identifier typed on another keyboard is
    still found."""
    return re.sub(r"(?<!\\)\\d", r"\\p{Nd}", pattern)


def scoped(pattern: str) -> str:
    """``(?i)rest`` as ``(?i:rest)``, so patterns can be joined in one alternation
    (Python's ``re`` refuses a global flag that is not at the start)."""
    if pattern.startswith("(?i)"):
        return f"(?i:{pattern[4:]})"
    return f"(?:{pattern})"


def detector_pattern(detector: Detector, *, python: bool = False) -> str:
    """The pattern a detector runs, whatever its kind: RE2 syntax for Arrow, or with
    ``python=True`` the same pattern for Python's ``re`` (GX's pandas expectations)."""
    if detector.kind == "codes":
        return codes_pattern(detector.values)
    assert detector.pattern is not None
    return detector.pattern if python else unicode_digits(detector.pattern)


#: A mention or second-line pattern -> the pattern of its policy's ``not_mentions``.
_BENIGN: dict[str, str] = {}


def _register_benign(body: str, not_mentions: tuple[str, ...]) -> None:
    if not_mentions:
        alts = "|".join(_accent_tolerant(_loose_separators(m)) for m in not_mentions)
        # As for the mentions: after a phrase ending in a non-ASCII letter ("llamó"),
        # the sign that follows is the boundary RE2's ASCII \b does not see.
        _BENIGN[body] = rf"(?i:\b(?:{alts})(?:\b|$|[^\w]))"


@cache
def benign_pattern(pattern: str) -> str | None:
    """The ``not_mentions`` that go with the mentions or second line ``pattern`` holds."""
    found = sorted({m for body, m in _BENIGN.items() if body in pattern})
    return "|".join(found) or None


#: What a phrase of ``not_mentions`` is replaced by: no word, no blank, no separator a
#: mention could span.
_BLANKED = " ~ "


def without_benign(text: pa.Array | pa.ChunkedArray, pattern: str) -> pa.Array | pa.ChunkedArray:
    """``text`` with the policy's ordinary uses of status words (``LPR camera hits``)
    blanked out, for matching ``pattern`` (never for output)."""
    mask = benign_pattern(pattern)
    if mask is None:
        return text
    return pc.replace_substring_regex(text, mask, _BLANKED)


@cache
def _mention_pattern(
    mentions: tuple[str, ...],
    fuzzy: bool,
    not_slips: frozenset[str] = frozenset(),
    not_mentions: tuple[str, ...] = (),
) -> str:
    loose = [_expand_classes(_loose_separators(m)) for m in mentions]
    alts = "|".join(_accent_tolerant(m) for m in loose)
    # RE2's \b knows ASCII letters only: after a mention ending in another letter
    # (Vietnamese "công dân Mỹ") the blank or sign that follows is the boundary.
    body = rf"\b(?:{alts})(?:\b|$|[^\w])"
    _register_benign(body, not_mentions)
    if fuzzy:
        # The same pattern, tagged: ``matches`` also reads each value with its misspelt
        # words corrected (in the rows that have one), rather than RE2 running an
        # alternation of every misspelling, which was 6-20x slower over varied text.
        _FUZZY[body + _FUZZY_TAG] = (body, typo_vocabulary(mentions, not_slips))
        body += _FUZZY_TAG
    return f"(?i){body}"


def mention_pattern(policy: Policy, *, fuzzy: bool = True) -> str:
    """One case-insensitive pattern matching any status mention in free text: accents
    optional (NFC, NFD or mojibake), blanks or hyphens between words and, with ``fuzzy``,
    one slip allowed in long words (profiling and scrubbing; the streaming guard runs
    the exact mentions, a 6x smaller pattern, over every released column)."""
    return _mention_pattern(
        tuple(policy.mentions),
        fuzzy,
        frozenset(policy.not_slips),
        tuple(policy.not_mentions),
    )


# ----------------------------------------------------------------------- second line


@cache
def _sentinel(
    shapes: tuple[str, ...],
    stems: tuple[str, ...],
    values: tuple[str, ...],
    not_mentions: tuple[str, ...] = (),
) -> str:
    parts = [scoped(unicode_digits(p)) for p in shapes]
    if stems:
        loose = [_accent_tolerant(s.replace(" ", r"[\s\-_./]*")) for s in stems]
        parts.append("(?i:" + "|".join(f"(?:{x})" for x in loose) + ")")
        _register_benign(parts[-1], not_mentions)
    if values:
        alts = []
        for v in sorted(set(values), key=len, reverse=True):
            chars = [c for c in v.upper() if c.isalnum()]
            alts.append(_SEP.join(re.escape(c) for c in chars))
        parts.append(r"(?i:^\s*(?:\p{Nd}{1,2}\s*[-.:)=]?\s*)?(?:" + "|".join(alts) + r")\s*$)")
    return "|".join(parts) or "(?!)"


def sentinel_pattern(policy: Policy) -> str:
    """The second line (``policy.sentinel``) as one RE2 pattern: identifier shapes, status
    stems matched anywhere in a value (accents and separators loose), and whole values
    that state a status. It shares no pattern with the detectors: the gate, ``scan``,
    the streaming guard and the scrub's residual check run it, so that a value the
    detectors miss still fails the release or is withheld."""
    s = policy.sentinel
    return _sentinel(tuple(s.shapes), tuple(s.stems), tuple(s.values), tuple(policy.not_mentions))


def guard_patterns(policy: Policy, *, python: bool = False) -> list[str]:
    """Every strong detector, the mentions and the second line, one pattern each: the
    alternatives of ``guard_pattern``. RE2 matches each of them alone about 40x faster
    than their alternation (~25 kB, whose automaton outgrows RE2's DFA memory and falls
    back to the slow NFA): 0.14 s against 6.3 s over one 65k-row text column."""
    parts = [
        scoped(detector_pattern(d, python=python))
        for d in policy.detectors
        if d.strength == "strong"
    ]
    parts.append(scoped(mention_pattern(policy, fuzzy=False)))
    parts.append(sentinel_pattern(policy))
    return parts


def alternatives(pattern: str) -> list[str]:
    """``pattern``'s top-level alternatives, each a pattern alone: a value matches
    ``pattern`` exactly where it matches one of them. ``[pattern]`` where splitting could
    change a meaning: a bare flag group (``(?i)``) outside any group, whose flags would
    reach the alternatives after it, or brackets that do not balance."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            # A class: up to its closing bracket (a ']' first, or after '^', is literal).
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            if j >= n:
                return [pattern]
            i = j + 1
            continue
        if ch == "(":
            if depth == 0 and pattern.startswith("(?", i):
                m = re.match(r"\(\?[a-zA-Z-]*\)", pattern[i:])
                if m:
                    return [pattern]
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return [pattern]
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    if depth != 0:
        return [pattern]
    parts.append(pattern[start:])
    return parts


def guard_pattern(policy: Policy, *, python: bool = False) -> str:
    """Every strong detector and every mention, as one pattern for the streaming guard."""
    return "|".join(guard_patterns(policy, python=python))


MENTION = "mention"  # the pseudo detector id for free-text status mentions
SENTINEL = "sentinel"  # the pseudo detector id for the second line

#: A value that stands for "no value" in agency files (blank, NULL, N/A, -...).
NULL_TOKENS_PATTERN = r"^\s*(?:(?i:null|none|n/?a|#n/a)|-+|\\N)?\s*$"


def shapes(policy: Policy) -> dict[str, str]:
    """Plausibility of identifier formats, by detector: the *shape* of the identifier
    whatever its prefix (the policy's ``shape``). Where a column holds the shape mostly
    with other prefixes (``B12345678``, ``K87654321``... beside an ``A12345678``), the
    detector's hits are chance matches in ordinary IDs, not identifiers (see
    ``redaction.plan``)."""
    return {d.id: unicode_digits(d.shape) for d in policy.detectors if d.shape}


def detector_patterns(policy: Policy, strength: str | None = None) -> dict[str, str]:
    """Detector id -> pattern, plus the ``mention`` pseudo-detector."""
    out = {
        d.id: detector_pattern(d)
        for d in policy.detectors
        if strength is None or d.strength == strength
    }
    out[MENTION] = mention_pattern(policy)
    return out


def is_text(t: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_string_view(t)
        or (pa.types.is_dictionary(t) and is_text(t.value_type))
    )


def as_text(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A string view of a text array (dictionaries decoded)."""
    if pa.types.is_dictionary(arr.type):
        return pc.cast(arr, arr.type.value_type)
    return arr


_EXOTIC_DIGITS = r"[^\P{Nd}0-9]"  # a decimal digit of any script but ASCII


def _ascii_digits(value: str) -> str:
    return "".join(
        str(unicodedata.digit(ch)) if not ch.isascii() and ch.isdigit() else ch for ch in value
    )


def for_matching(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Text as the detectors see it: NFKC-normalised when it holds anything but ASCII,
    so full-width letters and digits (U+FF21 for ``A``) and composed accents read as plain
    ones. Pure ASCII batches (the common case) pass through untouched and uncopied."""
    text = as_text(arr)
    if text.null_count == len(text) or pc.all(pc.string_is_ascii(text)).as_py() is not False:
        return text
    norm = pc.utf8_normalize(text, form="NFKC")
    # NFKC leaves other scripts' digits (Arabic-Indic, Devanagari...) alone, and RE2's
    # word boundary is ASCII-only: rewrite them as ASCII digits (rare rows, in Python).
    exotic = pc.fill_null(pc.match_substring_regex(norm, _EXOTIC_DIGITS), FALSE)
    if pc.any(exotic).as_py():
        fixed = [_ascii_digits(v) for v in norm.filter(exotic).to_pylist()]
        norm = pc.replace_with_mask(norm, exotic, strings(fixed, norm.type))
    return norm


@cache
def fuzzy_parts(pattern: str) -> tuple[str, dict[str, str]] | None:
    """For a pattern holding a fuzzy mention pattern: the exact pattern and the typo
    vocabulary; ``None`` otherwise."""
    for tagged, (exact, vocab) in _FUZZY.items():
        if tagged in pattern:
            return pattern.replace(tagged, exact), vocab
    return None


#: A word as the typo check reads it: letters and digits (``passp0rt``), no separators.
_TOKEN = re.compile(r"[^\W_]+")


def correct(value: str, vocab: dict[str, str]) -> tuple[str, list[tuple[int, int, int, int]]]:
    """``value`` with each misspelt word replaced by the word it stands for, and the
    segments ``(orig_start, orig_end, new_start, new_end)`` of the words replaced."""
    out: list[str] = []
    segs: list[tuple[int, int, int, int]] = []
    last = pos = 0
    for m in _TOKEN.finditer(value):
        word = vocab.get(fold(m.group()))
        if word is None:
            continue
        out.append(value[last : m.start()])
        pos += m.start() - last
        out.append(word)
        segs.append((m.start(), m.end(), pos, pos + len(word)))
        pos += len(word)
        last = m.end()
    out.append(value[last:])
    return "".join(out), segs


def original_span(start: int, end: int, segs: list[tuple[int, int, int, int]]) -> tuple[int, int]:
    """A span of the corrected text as a span of the original (a corrected word whole)."""

    def back(p: int, is_end: bool) -> int:
        shift = 0
        for o0, o1, n0, n1 in segs:
            if p < n0 or (is_end and p == n0):
                break
            if p < n1 or (is_end and p == n1):
                return o1 if is_end else o0
            shift = o1 - n1
        return p + shift

    return back(start, False), back(end, True)


def typo_rows(text: pa.Array, vocab: dict[str, str]) -> pa.Array:
    """Zero-based rows holding a word of the typo vocabulary. Values are split on
    blanks in Arrow; each distinct piece is checked once, in Python, letters only."""
    tokens = pc.utf8_split_whitespace(text)
    flat = pc.list_flatten(tokens)
    parents = pc.list_parent_indices(tokens)
    length = pc.utf8_length(flat)
    long = pc.fill_null(pc.greater_equal(length, int_scalar(2, length.type)), FALSE)
    flat, parents = flat.filter(long), parents.filter(long)
    if not len(flat):
        return row_numbers(0)
    enc = flat.dictionary_encode()
    typo = bools(
        [any(fold(w) in vocab for w in _TOKEN.findall(t)) for t in enc.dictionary.to_pylist()]
    )
    hit = pc.fill_null(typo.take(enc.indices), FALSE)
    return pc.unique(parents.filter(hit))


def _joined_key(gram: str) -> str:
    """The letters of neighbouring words joined, digits inside letters read as the
    letters they resemble (``nonct1zen``)."""
    return "".join(ch for ch in _ocr_inside(fold(gram)) if ch.isalpha())


def _ocr_inside(word: str) -> str:
    return _DIGIT_IN_WORD.sub(lambda m: m[0].translate(_OCR_DIGITS_I), word)


#: A digit with a letter on both sides (``nonct1zen``, not ``i94`` or ``c33``).
_DIGIT_IN_WORD = re.compile(r"(?<=[^\W\d_])\d(?=[^\W\d_])")


def joined_rows(text: pa.Array, vocab: TypoVocabulary) -> pa.Array:
    """Zero-based rows where two or three neighbouring words, joined, spell a mention of
    several words (``wor kpermit``, ``birh cert``, ``no L Pdocs``): blanks moved or
    dropped, which no word-by-word check sees. Their spans cannot be told, so a scrub
    withholds such a note whole."""
    if not vocab.phrases:
        return row_numbers(0)
    tokens = pc.utf8_split_whitespace(text)
    flat = pc.list_flatten(tokens)
    parents = pc.list_parent_indices(tokens)
    n = len(flat)
    heads = strings(sorted(vocab.phrase_heads))
    found: list[pa.Array] = []
    for k in (1, 2, 3):
        if n < k:
            break
        m = n - k + 1
        if k == 1:
            # One word with a hyphen or a dot moved into it (nonc-itizen, An-umber), or
            # a long one that may be a mention of several words glued, with a slip
            # (grencard, wokrauthorization).
            length = pc.utf8_length(flat)
            same = pc.or_(
                pc.match_substring_regex(flat, r"\pL[-.'/]+\pL"),
                pc.greater_equal(length, int_scalar(JOINED_FUZZY, length.type)),
            )
            gram = flat
        else:
            same = pc.equal(parents.slice(0, m), parents.slice(k - 1, m))
            gram = pc.binary_join_element_wise(*[flat.slice(i, m) for i in range(k)], EMPTY)
        letters = pc.replace_substring_regex(pc.utf8_lower(gram), r"[^\pL]+", "")
        head = pc.utf8_slice_codeunits(letters, 0, HEAD)
        keep = pc.fill_null(pc.and_(same, pc.is_in(head, value_set=heads)), FALSE)
        if not pc.any(keep).as_py():
            continue
        gram, par = gram.filter(keep), parents.slice(0, m).filter(keep)
        enc = gram.dictionary_encode()
        hit = bools([vocab.joined(_joined_key(g)) for g in enc.dictionary.to_pylist()])
        found.append(par.filter(pc.fill_null(hit.take(enc.indices), FALSE)))
    if not found:
        return row_numbers(0)
    rows = pc.unique(pa.concat_arrays(found))
    return rows.take(pc.array_sort_indices(rows))


def matches(arr: pa.Array | pa.ChunkedArray, pattern: str) -> pa.Array | pa.ChunkedArray:
    """A boolean mask (nulls as false) of the values matching ``pattern``.

    A pattern holding fuzzy mentions also matches a value whose misspelt words, once
    corrected, match it (only rows with a word of the typo vocabulary are corrected)."""
    text = without_benign(for_matching(arr), pattern)
    if fuzzy_parts(pattern) is None:
        return pc.fill_null(pc.match_substring_regex(text, pattern), FALSE)
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks()
    return fuzzy_matches(text, pattern)[0]


def fuzzy_matches(text: pa.Array, pattern: str) -> tuple[pa.Array, pa.Array]:
    """``matches`` for a pattern holding fuzzy mentions, on normalised text; also the
    rows holding a misspelt word (for a caller that rewrites them)."""
    parts = fuzzy_parts(pattern)
    assert parts is not None
    exact, vocab = parts
    text = without_benign(text, pattern)
    hit = pc.fill_null(pc.match_substring_regex(text, exact), FALSE)
    rows = typo_rows(text, vocab)
    joined = joined_rows(text, vocab) if isinstance(vocab, TypoVocabulary) else row_numbers(0)
    if len(joined):
        hit = pc.or_(hit, pc.is_in(row_numbers(len(text)), value_set=joined))
        rows = pc.unique(pa.concat_arrays([rows.cast(joined.type), joined]))
        rows = rows.take(pc.array_sort_indices(rows))  # ascending, as callers expect
    if not len(rows):
        return hit, rows
    fixed = strings([correct(v, vocab)[0] for v in text.take(rows).to_pylist()])
    extra = pc.fill_null(pc.match_substring_regex(fixed, exact), FALSE)
    if not pc.any(extra).as_py():
        return hit, rows
    mask = pc.is_in(row_numbers(len(text)), value_set=rows.filter(extra))
    return pc.or_(hit, mask), rows


_NULL_TOKENS = strings(["", "NULL", "null", "Null", "NONE", "None", "none", "N/A", "n/a", "NA",
                         "na", "#N/A", "-", "--", "---", "\\N"])  # fmt: skip


def null_tokens(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A mask of the values that stand for "no value" (``NULL_TOKENS_PATTERN``), by set
    membership of the trimmed value: several times faster than the pattern in RE2."""
    text = as_text(arr)
    return pc.fill_null(pc.is_in(pc.utf8_trim_whitespace(text), value_set=_NULL_TOKENS), FALSE)


def count_matches(arr: pa.Array | pa.ChunkedArray, pattern: str) -> int:
    return int(pc.sum(matches(arr, pattern)).as_py() or 0)


def match_rows(arr: pa.Array | pa.ChunkedArray, pattern: str) -> pa.Array:
    """Zero-based indices of the values matching ``pattern``."""
    return pc.indices_nonzero(matches(arr, pattern))


#: Constructs that tell the start or end of the text from a line's, or turn multi-line
#: mode off: a pattern holding one (or what looks like one) is matched value by value.
_JOIN_UNSAFE = re.compile(r"\\[Az]|\(\?[a-zA-Z]*-[a-zA-Z]*m")


def joinable(pattern: str) -> bool:
    """Whether ``pattern`` may be matched over values joined one per line in multi-line
    mode, finding every match a value has alone (the guard's and the gate's screen)."""
    return _JOIN_UNSAFE.search(pattern) is None


class BatchMatcher:
    """Runs one pattern over many text columns of a record batch in one RE2 call.

    RE2 compiles the pattern on every call, and for the guard's alternation of every
    identifier format and mention the compile costs as much as matching tens of
    thousands of values. So the columns are concatenated into one array and matched
    once. Low-cardinality columns (cities, codes, names) contribute only their distinct
    values (a dictionary), and the mask is mapped back to rows. Whether a column is
    low-cardinality is learned on its first batch and kept.
    """

    #: A column whose first batch has fewer distinct values than this share of its
    #: rows is matched through its dictionary.
    DISTINCT_SHARE = 0.2

    def __init__(self) -> None:
        self._low: dict[str, bool] = {}

    def suspects(self, batch: pa.RecordBatch, columns: list[str], pattern: str) -> list[str]:
        r"""The columns, in order, in which ``pattern`` may match a value: every column
        where it does (``masks`` then tells the rows), and rarely one where it does not.

        Arrow's RE2 kernel costs about 100 ns per value whatever the pattern, while RE2
        scans text at a few bytes per nanosecond. So each column's values are matched as
        one text, one value per line, in multi-line mode: a match inside a value is still
        a match there (``^`` and ``$`` also hold at every line's start and end; ``\b``
        sees a newline where the value starts or ends, a non-word character like the edge
        of the text). A match across lines only sends the column to ``masks``. A pattern
        whose meaning could change this way (``\A``, ``\z``, multi-line mode turned
        off, typo-tolerant mentions) is never matched so: every column is a suspect."""
        if not columns or not joinable(pattern) or fuzzy_parts(pattern) is not None:
            return list(columns)
        parts: list[pa.Array] = []
        for name in columns:
            col = batch.column(name)
            if isinstance(col, pa.ChunkedArray):
                col = col.combine_chunks()
            # A dictionary's distinct values stand for its rows (an unused one can only
            # make the column a suspect).
            arr = col.dictionary if pa.types.is_dictionary(col.type) else col
            parts.append(arr if pa.types.is_string(arr.type) else pc.cast(arr, pa.string()))
        bounds = [0]
        for part in parts:
            bounds.append(bounds[-1] + len(part))
        try:
            values = pa.concat_arrays(parts)
            if values.null_count:
                values = pc.fill_null(values, EMPTY)  # an empty line: at most a suspect more
            offsets = ints(bounds, pa.int32())
            joined = pc.binary_join(pa.ListArray.from_arrays(offsets, values), NEWLINE)
            if not pc.all(pc.string_is_ascii(joined)).as_py():
                # Not all ASCII: each value as the detectors read it (NFKC...).
                values = for_matching(values)
                joined = pc.binary_join(pa.ListArray.from_arrays(offsets, values), NEWLINE)
        except (pa.ArrowInvalid, pa.ArrowCapacityError):  # over 2 GiB of text: match by value
            return list(columns)
        hit = pc.match_substring_regex(without_benign(joined, pattern), f"(?m:{pattern})")
        return [name for name, h in zip(columns, hit.to_pylist(), strict=True) if h]

    def masks(self, batch: pa.RecordBatch, columns: list[str], pattern: str) -> dict[str, pa.Array]:
        """For each column, a boolean mask over the batch's rows (nulls false)."""
        parts: list[pa.Array] = []
        indices: list[pa.Array | None] = []
        for name in columns:
            col = batch.column(name)
            if pa.types.is_dictionary(col.type):
                # Read as a dictionary (Parquet): match its distinct values only.
                parts.append(pc.cast(col.dictionary, pa.string()))
                indices.append(col.indices)
                continue
            arr = as_text(col)
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            if not pa.types.is_string(arr.type):
                arr = pc.cast(arr, pa.string())
            low = self._low.get(name)
            if low is None or low:
                enc = arr.dictionary_encode()
                if low is None:
                    low = len(enc.dictionary) <= self.DISTINCT_SHARE * max(len(arr), 1)
                    self._low[name] = low
                if low:
                    parts.append(enc.dictionary)
                    indices.append(enc.indices)
                    continue
            parts.append(arr)
            indices.append(None)
        if not parts:
            return {}
        hit = matches(pa.concat_arrays(parts), pattern)
        out: dict[str, pa.Array] = {}
        offset = 0
        for name, part, idx in zip(columns, parts, indices, strict=True):
            mask = hit.slice(offset, len(part))
            offset += len(part)
            if idx is not None:
                mask = pc.fill_null(mask.take(idx), FALSE)
            out[name] = mask
        return out
