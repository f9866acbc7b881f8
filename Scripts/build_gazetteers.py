#!/usr/bin/env python3
"""Build Gazette's shipped gazetteers (Gazetteers/*.tsv) from the shared data folder.

Usage:
    python3 Scripts/build_gazetteers.py [DATA_DIR] [--out DIR]
    python3 Scripts/build_gazetteers.py --check [--out DIR]

DATA_DIR defaults to ../shared/data relative to the repo root. Standard library only; the output is
deterministic (same inputs give byte-identical files). The format is the contract described in
Gazetteers/README.md. `--check` validates already built TSVs and exits non-zero on a problem.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import unicodedata
from pathlib import Path
from urllib.parse import unquote

REPO_ROOT = Path(__file__).resolve().parent.parent
CURATED_DIR = Path(__file__).resolve().parent / "gazetteer_data"
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data"
DEFAULT_OUT_DIR = REPO_ROOT / "Gazetteers"

ENTITY_TYPES = ("person", "place", "treaty", "organization")
REQUIRED_COLUMNS = ("id", "type", "name", "aliases")
MARKERS = "=~!"

# Priors (see README): places use log10(population); these fixed values place other kinds on that scale.
PRIOR_COUNTRY_BASE = 8.0
PRIOR_FORMER_COUNTRY = 7.5
PRIOR_ADMIN1 = 6.0
PRIOR_REGION = 5.5
PRIOR_CAPITAL_BONUS = 1.0
PRIOR_ADMIN_CAPITAL_BONUS = 0.3
PRIOR_PERSON_CURATED = 6.0
PRIOR_PERSON_ARCHIGOS = 5.5
PRIOR_PERSON_WORDNET = 4.0
PRIOR_ORG_CURATED = 6.0
PRIOR_ORG_WORDNET = 4.0
PRIOR_TREATY_CURATED = 5.0
PRIOR_TREATY_IEADB = 2.0

# A single-word alias that is an ordinary English word is kept (marked `!`) only for places this big.
MAJOR_PLACE_POPULATION = 100_000
# Towns below this size lose single-word aliases that are common given names or surnames.
SMALL_PLACE_POPULATION = 50_000
# Extra towns from cities500 (not in cities15000) are included from this population on.
EXTRA_TOWN_POPULATION = 5_000
# Given-name / surname rank (best rank in some country) under which a single word counts as a
# common name: such words are not kept as a small town's or a non-curated person's lone alias.
COMMON_FIRST_NAME_RANK = 300
COMMON_SURNAME_RANK = 50
# A non-curated person's lone surname must be rarer than this (Evelyn Waugh is not every "Waugh").
LONE_SURNAME_RANK = 500
# Mid-size towns (under this) lose one-word names that are very common given names or surnames.
MID_PLACE_POPULATION = 300_000
VERY_COMMON_FIRST_NAME_RANK = 50
VERY_COMMON_SURNAME_RANK = 10
# Generic division words of other languages ("Centre" region of France, Cameroon, Haiti...).
GENERIC_PLACE_WORDS = {"centre", "center", "central", "littoral", "oriental", "occidental", "nord", "sud",
                       "est", "ouest", "centro", "norte", "sur", "este", "oeste", "capital", "federal"}
# Name particles never stand alone as a place name ("Van" in "Van Gaal").
NAME_PARTICLE_PLACES = {"van", "von", "de", "del", "della", "da", "du", "la", "le", "el", "al", "san", "st"}
# Given names shipped for the name-pattern step (`given-names.txt`): best rank in some country of
# names-dataset up to this; a name that is also an English word is kept only up to the second rank
# and flagged, so the tagger can demand more evidence for it ("Will", "Mark", "May").
GIVEN_NAME_RANK = 1000
GIVEN_NAME_COMMON_WORD_RANK = 150
# Words that are never a given name on their own in English text, whatever their rank somewhere.
GIVEN_NAME_EXCLUDED = {"van", "von", "de", "del", "della", "da", "do", "dos", "du", "la", "le", "el", "al",
                       "bin", "ben", "ibn", "abu", "san", "st", "mr", "mrs", "ms", "dr", "sir", "the"}
# Non-Latin native names are kept (informational column) for places at least this big.
NATIVE_NAME_POPULATION = 100_000
# Names in other scripts ("Москва", "北京", "القاهرة") are aliases of a place. Scripts written without
# spaces are matched inside longer words (every ideograph is a word boundary), so a two-letter name
# there ("大同" is also a common word) is kept only for places at least this big, and capitals.
SHORT_UNSPACED_NAME_POPULATION = 1_000_000
UNSPACED_SCRIPTS = {"CJK", "THAI", "LAO", "KHMER", "MYANMAR"}

LANGUAGE_SCRIPT = {
    "ru": "CYRILLIC", "uk": "CYRILLIC", "be": "CYRILLIC", "bg": "CYRILLIC", "sr": "CYRILLIC",
    "mk": "CYRILLIC", "kk": "CYRILLIC", "ky": "CYRILLIC", "mn": "CYRILLIC", "tg": "CYRILLIC",
    "ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC", "ps": "ARABIC",
    "zh": "CJK", "ja": "CJK", "ko": "HANGUL", "el": "GREEK", "he": "HEBREW", "hi": "DEVANAGARI",
    "ne": "DEVANAGARI", "mr": "DEVANAGARI", "th": "THAI", "ka": "GEORGIAN", "hy": "ARMENIAN",
    "am": "ETHIOPIC", "ti": "ETHIOPIC", "bn": "BENGALI", "si": "SINHALA", "ta": "TAMIL",
    "my": "MYANMAR", "km": "KHMER", "lo": "LAO", "dv": "THAANA",
}

# Function words written in lower case inside title-cased formal treaty names.
TITLE_FUNCTION_WORDS = {
    "a", "an", "the", "and", "or", "of", "on", "in", "to", "for", "by", "at", "with", "from",
    "between", "concerning", "regarding", "relating", "respecting", "among", "into", "under",
    "its", "their", "as", "upon", "within", "over", "against", "about", "other", "certain",
}


class GazetteerBuildError(Exception):
    def __init__(self, path: Path | str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = str(path), reason, line
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


# ----------------------------------------------------------------------------------------------
# Small text helpers
# ----------------------------------------------------------------------------------------------

def clean_field(text: str) -> str:
    """Collapse whitespace and remove the characters the TSV format reserves."""
    return re.sub(r"\s+", " ", text.replace("|", " ").replace("\t", " ")).strip()


def split_marker(alias: str) -> tuple[str, str]:
    if alias and alias[0] in MARKERS:
        return alias[0], alias[1:]
    return "", alias


def fold(text: str) -> str:
    """Case- and accent-insensitive key used to compare names across sources.

    Latin text keeps only a-z and digits ("Łódź" and "Lodz" agree). Text with letters of another
    script ("Москва", "北京") keeps every letter, so two such names never share a key by accident.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    if not stripped.isascii() and has_non_latin_letter(stripped):
        return re.sub(r"[\W_]+", " ", stripped).strip()
    return re.sub(r"[^0-9a-z]+", " ", stripped).strip()


# Letters with a stroke or bar, which the matcher folds like accents (Sources/CICU/gazette_icu.cpp).
STROKE_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i"})


def match_key(text: str) -> str:
    """The text as the Swift matcher normalizes it (NFKC case folding, accents and stroke letters
    folded, dashes and quotes in one ASCII form, one space per whitespace run): two aliases with the
    same key are one pattern, and the first one listed sets the case rule of both."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", folded)
    kept = "".join(c for c in decomposed if not (0x300 <= ord(c) <= 0x36F or 0x1AB0 <= ord(c) <= 0x1AFF
                                                  or 0x1DC0 <= ord(c) <= 0x1DFF or 0x20D0 <= ord(c) <= 0x20FF
                                                  or 0xFE20 <= ord(c) <= 0xFE2F))
    out = []
    for c in unicodedata.normalize("NFC", kept.translate(STROKE_LETTERS)):
        category = unicodedata.category(c)
        if c in "\u2018\u2019\u201a\u201b\u2032\u2035\uff07":
            c = "'"
        elif c in "\u201c\u201d\u201e\u201f\u2033\u2036\uff02":
            c = '"'
        elif c == "\u2212" or category == "Pd":
            c = "-"
        elif category == "Cf":
            continue
        elif c.isspace() or category == "Cc":
            c = " "
        out.append(c)
    return " ".join("".join(out).split())


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def has_non_latin_letter(text: str) -> bool:
    """A letter outside the Latin blocks (Basic Latin to Latin Extended, IPA, modifier letters)."""
    for char in text:
        code = ord(char)
        if code >= 0x370 and char.isalpha() and not (0x1E00 <= code <= 0x1EFF or 0x2C60 <= code <= 0x2C7F
                                                     or 0xA720 <= code <= 0xA7FF or 0xFF21 <= code <= 0xFF5A):
            return True
    return False


def letter_scripts(text: str) -> set[str]:
    scripts = set()
    for char in text:
        if char.isalpha():
            try:
                name = unicodedata.name(char)
            except ValueError:
                scripts.add("UNKNOWN")
                continue
            first = name.split(" ")[0]
            if first in ("CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "HALFWIDTH", "FULLWIDTH"):
                first = "CJK"
            scripts.add(first)
    return scripts


def is_latin(text: str) -> bool:
    scripts = letter_scripts(text)
    return bool(scripts) and scripts <= {"LATIN"}


def words_of(text: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", text) if w]


def load_word_set(path: Path) -> set[str]:
    words = set()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(line)
    return words


def tsv_lines(path: Path):
    """The cells of every line of a TSV in our formats (curated data, Gazetteers/*.tsv) that is not
    blank or a `#` comment, with its 1-based line number; the first one is the header."""
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield number, line.split("\t")


def read_curated_tsv(path: Path) -> list[dict[str, str]]:
    """Curated data: `#` comments, a header, then tab-separated rows of exactly the header's width."""
    rows: list[dict[str, str]] = []
    header: list[str] | None = None
    for number, cells in tsv_lines(path):
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise GazetteerBuildError(path, f"expected {len(header)} columns, found {len(cells)}", number)
        rows.append(dict(zip(header, (c.strip() for c in cells))))
    return rows


def split_aliases(text: str) -> list[str]:
    return [a.strip() for a in text.split("|") if a.strip()]


# ----------------------------------------------------------------------------------------------
# Entities
# ----------------------------------------------------------------------------------------------

class Entity:
    def __init__(self, id: str, type: str, name: str, source: str, prior: float = 0.0,
                 country: str = "", from_: str = "", to: str = ""):
        self.id, self.type, self.source = id, type, source
        marker, bare = split_marker(clean_field(name))
        self.name = bare
        self.aliases: list[str] = []
        if marker:
            self.aliases.append(marker + bare)
        self.prior, self.country, self.from_, self.to = prior, country, from_, to
        self.extra: dict[str, str] = {}

    def add_alias(self, alias: str) -> None:
        marker, bare = split_marker(alias)
        bare = clean_field(bare)
        if not bare:
            return
        alias = marker + bare
        if alias not in self.aliases and not (not marker and bare == self.name):
            self.aliases.append(alias)

    def alias_texts(self) -> list[str]:
        """Every surface text of the entity (name first), without markers."""
        texts = [self.name]
        for alias in self.aliases:
            bare = split_marker(alias)[1]
            if bare not in texts:
                texts.append(bare)
        return texts

    def drop_alias_text(self, text: str) -> None:
        self.aliases = [a for a in self.aliases if split_marker(a)[1] != text]


def format_prior(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value else "0"


# ----------------------------------------------------------------------------------------------
# Places
# ----------------------------------------------------------------------------------------------

class PlaceBuilder:
    def __init__(self, common_words: set[str], country_alias_index: dict[str, str],
                 proper_words: set[str], name_ranks: dict[str, int], other_entity_words: set[str]):
        self.proper_words = proper_words
        self.name_ranks = name_ranks  # best given-name rank; surname ranks are stored as -rank
        self.other_entity_words = other_entity_words
        self.common_words = common_words
        self.country_alias_index = country_alias_index  # folded alias -> iso2 of the country
        self.country_scripts: dict[str, set[str]] = {}
        self.dropped = {"common_word": 0, "name_clash": 0, "junk_alternate": 0}
        self._all_name_keys: set[str] | None = None

    # --- alias policy -------------------------------------------------------------------------
    def is_junk_alternate(self, alt: str, name: str) -> bool:
        if len(alt) < 3 or any(c.isdigit() for c in alt):
            return True
        if not alt[0].isupper():
            return True
        if alt.isupper() and len(alt) <= 4:  # IATA/ICAO and other codes
            return True
        if not is_latin(alt):
            return True
        if "(" in alt or "/" in alt or '"' in alt:
            return True
        return False

    def place_alias(self, text: str, major: bool, population: int, is_name: bool,
                    iso2: str, town: bool = True, check_names: bool = False,
                    check_proper: bool = False) -> str | None:
        """The alias to emit for a place surface form, `!`-marked or None when it must go.

        `town` is False for divisions and regions: the population-based name rules do not apply.
        """
        words = words_of(text)
        # An alternate name "The Bank" (Portsmouth, New Hampshire) would swallow "The Bank of England";
        # a place whose own name is "The Valley" (Anguilla) keeps it.
        if not is_name and len(words) == 2 and words[0].casefold() == "the" and fold(words[1]) in self.common_words:
            self.dropped["common_word"] += 1
            return None
        if len(words) == 1:
            # Accent-folded, as the matcher folds accents: "Wé" and "Tô" read as "We" and "To".
            lower = fold(text)
            if lower in NAME_PARTICLE_PLACES:
                self.dropped["name_clash"] += 1
                return None
            if lower in self.common_words or lower in GENERIC_PLACE_WORDS:
                if major and is_name and town:
                    return "!" + text
                self.dropped["common_word"] += 1
                return None
            if not town:
                given = self.name_ranks.get(text, 10**9)
                surname = self.name_ranks.get("\0" + text, 10**9)
                if (check_names and (given <= COMMON_FIRST_NAME_RANK or surname <= COMMON_SURNAME_RANK)) or \
                        (check_proper and text in self.proper_words):
                    self.dropped["name_clash"] += 1
                    return None
                return text
                if major and is_name:
                    return "!" + text
                self.dropped["common_word"] += 1
                return None
            capital = major and population < MAJOR_PLACE_POPULATION
            given = self.name_ranks.get(text, 10**9)
            surname = self.name_ranks.get("\0" + text, 10**9)
            small = population < SMALL_PLACE_POPULATION and not major
            mid = population < MID_PLACE_POPULATION and not capital
            if (small and (given <= COMMON_FIRST_NAME_RANK or surname <= COMMON_SURNAME_RANK)) or \
                    (mid and (given <= VERY_COMMON_FIRST_NAME_RANK or surname <= VERY_COMMON_SURNAME_RANK)) or \
                    (not is_name and (given <= 500 or surname <= 500)):
                self.dropped["name_clash"] += 1
                return None
            # A small town named like a well-known proper word, company or person ("Arab",
            # "Olympic", "Magna", Paris in Texas) would mostly match that other sense.
            if small and (text in self.proper_words or text in self.other_entity_words):
                self.dropped["name_clash"] += 1
                return None
        if not is_name:
            owner = self.country_alias_index.get(fold(text))
            if owner is not None:
                return None  # a city alternate equal to a country name belongs to the country
        return text

    def non_latin_alias(self, alt: str, population: int, capital: bool) -> str | None:
        """A place's name in one non-Latin script, or None when it is not a usable alias.

        Names mixing scripts ("shaniግhayi") or holding digits, brackets or codes are transliteration
        debris. One letter is never enough; two letters in a script without spaces only for big places.
        """
        if any(c.isdigit() for c in alt) or any(c in alt for c in "()/\"[]<>=+@#&*"):
            return None
        scripts = letter_scripts(alt)
        if len(scripts) != 1 or "LATIN" in scripts or "UNKNOWN" in scripts or "MODIFIER" in scripts:
            return None
        letters = sum(1 for c in alt if c.isalpha())
        big = capital or population >= SHORT_UNSPACED_NAME_POPULATION
        if letters < 2 or (letters == 2 and next(iter(scripts)) in UNSPACED_SCRIPTS and not big):
            self.dropped["short_non_latin"] = self.dropped.get("short_non_latin", 0) + 1
            return None
        return alt

    def translated_alias(self, text: str) -> str | None:
        """A country's or division's name in another language (ISO 3166 translations), or None.

        Latin-script names must not read as English prose or as a person: no English word
        ("Island" is Iceland in German; "Mỹ", the United States in Vietnamese, folds to "my"), no
        all-capital code ("SAD"), nothing under three letters; one word alone needs five letters and
        must not be a given name or surname ("Anh", the United Kingdom in Vietnamese) or a well-known
        proper word, and it comes back marked `!`. Names in other scripts follow `non_latin_alias`.
        """
        text = clean_field(text)
        if not text or any(c.isdigit() for c in text) or any(c in text for c in "()[]/\",;:"):
            return None
        if not is_latin(text):
            return self.non_latin_alias(text, SHORT_UNSPACED_NAME_POPULATION, True)
        letters = sum(1 for c in text if c.isalpha())
        if letters < 3 or not text[0].isupper() or text.isupper():
            self.dropped["translation_junk"] = self.dropped.get("translation_junk", 0) + 1
            return None
        words = words_of(text)
        keys = [fold(w) for w in words]
        if all(k in self.common_words or k in GENERIC_PLACE_WORDS or k in NAME_PARTICLE_WORDS for k in keys):
            self.dropped["common_word"] += 1
            return None
        if len(words) == 1 and letters < 5:
            # Short one-word names read as tickers, codes and words: "VIRO" (Estonia in Finnish) is
            # Enviropact's ticker, "Suis" is French prose, "Gini" a coefficient.
            self.dropped["translation_junk"] = self.dropped.get("translation_junk", 0) + 1
            return None
        if len(words) == 1:
            # Compared without accents, as the matcher reads them: Yoruba "Ísráẹ́lì" is "Israeli",
            # Esperanto "Paŭlo" is "Paulo". Any given name or surname of names-dataset counts here
            # ("Polonia", "Malte"): a translation is worth less than a name in English text.
            plain = strip_accents(text)
            if keys[0] in self.all_name_keys() or plain in self.proper_words or text in self.proper_words \
                    or plain in self.other_entity_words or keys[0] in NAME_PARTICLE_PLACES:
                self.dropped["name_clash"] += 1
                return None
            # Marked as a common word: an all-capitals headline ("CYPR", "VIRO" tickers) or a
            # sentence start is not enough evidence for a foreign name standing alone.
            return "!" + text
        return text

    def all_name_keys(self) -> set[str]:
        """Every given name and surname of names-dataset, folded."""
        if self._all_name_keys is None:
            self._all_name_keys = {fold(name.lstrip("\0")) for name in self.name_ranks}
        return self._all_name_keys

    def native_names(self, alternates: list[str], iso2: str) -> list[str]:
        wanted = self.country_scripts.get(iso2)
        if not wanted:
            return []
        names = []
        for alt in alternates:
            scripts = letter_scripts(alt)
            if scripts and scripts <= wanted and alt not in names and not any(c.isdigit() for c in alt):
                names.append(alt)
        return names[:4]


NAME_PARTICLE_WORDS = {"of", "the", "and", "de", "del", "la", "le", "les", "da", "do", "dos", "das",
                       "di", "du", "des", "el", "al", "am", "an", "der", "den", "im", "on", "upon",
                       "en", "y", "i", "e", "sur", "sous", "lès", "di", "von", "van", "aan", "op"}


def is_proper_phrase(text: str) -> bool:
    """Every word is capitalized, a particle, or hyphen/apostrophe-joined to a capitalized word."""
    for word in text.split():
        if word[:1].isupper() or word.lower() in NAME_PARTICLE_WORDS or not word[:1].isalpha():
            continue
        if re.match(r"^[a-z]{1,3}[-'’]", word):  # al-Quds, d'Ivoire
            continue
        return False
    return True


def drop_stolen_names(places: list["Entity"], builder: "PlaceBuilder") -> None:
    """An alternate name that is another place's own name stays only if this place is much bigger.

    GeoNames lists "Nis" among Nice's alternates; Niš's own name must not resolve to Nice.
    """
    own_names: dict[str, list["Entity"]] = {}
    for entity in places:
        for text in {entity.name, entity.extra.get("ascii", "")}:
            if text:
                own_names.setdefault(fold(text), []).append(entity)
    for entity in places:
        kept = []
        for alias in entity.aliases:
            key = fold(split_marker(alias)[1])
            owners = [o for o in own_names.get(key, []) if o is not entity]
            if key == fold(entity.name) or key == fold(entity.extra.get("ascii", "")) or \
                    all(entity.prior > o.prior + 0.5 for o in owners):
                kept.append(alias)
            else:
                builder.dropped["stolen_name"] = builder.dropped.get("stolen_name", 0) + 1
        entity.aliases = kept


def load_iso_translations() -> dict[tuple[str, str], list[str]]:
    """(standard, English ISO name) -> its names in other languages (`iso_3166_translations.tsv`)."""
    translations: dict[tuple[str, str], list[str]] = {}
    for row in read_curated_tsv(CURATED_DIR / "iso_3166_translations.tsv"):
        translations.setdefault((row["standard"], row["english"]), []).append(row["translation"])
    return translations


DEMONYM_ENDINGS = ("n", "an", "ian", "i", "ese", "ish", "er")


def iso_name_agrees(entity: Entity, iso_name: str, translations: list[str]) -> bool:
    """Whether a GeoNames division matched to ISO 3166-2 names the same place.

    GeoNames numbers some countries' divisions its own way (Osaka is `JP.32`, and ISO's `JP-32` is
    Shimane), so a code match alone would give Osaka the names of Shimane. The names must agree:
    equal or sharing their first four letters when folded ("Chechnya", "Chechenskaya Respublika"), or
    one of the ISO name's translations is the GeoNames name ("Bayern" is "Bavaria" in English).
    """
    if entity.source.endswith("iso-codes") and entity.id.startswith("iso3166-2:"):
        return True
    iso_key = fold(strip_iso_note(iso_name))
    own = {fold(t) for t in entity.alias_texts()} - {"", iso_key}
    if not own:
        return True  # the GeoNames name is the ISO name
    for key in own:
        if key == iso_key or (len(key) >= 4 and key[:4] == iso_key[:4]):
            return True
    return any(fold(t) in own for t in translations)


def add_translated_names(countries: list[Entity], former: list[Entity], admin1: list[Entity],
                         other_places: list[Entity], iso_by_alpha2: dict[str, dict],
                         builder: PlaceBuilder, stats: dict) -> None:
    """Countries, former countries and divisions get their ISO 3166 names in other languages.

    A translation is kept only when no other place has the same text (folded) as a name, alias or
    translation: "Géorgie" is both the country and the US state in French, "Túnez" both Tunisia and
    Tunis in Spanish, "Москва" both the city and the federal subject; such names stay with no one
    but the place that already had them.
    """
    translations = load_iso_translations()
    iso2_subdivision_names: dict[str, int] = {}
    for entity in admin1:
        name = entity.extra.get("iso_name")
        if name:
            iso2_subdivision_names[name] = iso2_subdivision_names.get(name, 0) + 1
    candidates: list[tuple[Entity, list[str]]] = []
    for entity in countries + former + admin1:
        feature = entity.extra.get("feature")
        if feature == "country":
            iso = iso_by_alpha2.get(entity.country, {})
            keys = [("3166-1", clean_field(iso[k])) for k in ("name", "official_name", "common_name") if iso.get(k)]
        elif feature == "former-country":
            keys = [("3166-3", entity.extra.get("iso_name", ""))]
        else:
            name = entity.extra.get("iso_name", "")
            # A subdivision name ISO uses twice ("Central") has translations that name neither.
            keys = [("3166-2", name)] if name and iso2_subdivision_names.get(name) == 1 else []
            if keys and not iso_name_agrees(entity, name, translations.get(keys[0], [])):
                keys = []
                stats["iso_translations_code_only_matches_skipped"] = \
                    stats.get("iso_translations_code_only_matches_skipped", 0) + 1
        # "Tuvaluan", "Nauruan": a translation that is the English name plus a demonym ending names
        # the people, not the place.
        demonyms = {fold(t) + ending for t in entity.alias_texts() for ending in DEMONYM_ENDINGS}
        texts: list[str] = []
        for key in keys:
            for translated in translations.get(key, []):
                for part in strip_iso_note(translated).split(";"):
                    alias = builder.translated_alias(part)
                    if alias and fold(split_marker(alias)[1]) in demonyms:
                        builder.dropped["name_clash"] += 1
                        continue
                    if alias and alias not in texts:
                        texts.append(alias)
        if texts:
            candidates.append((entity, texts))
    claims: dict[str, set[str]] = {}
    for entity in countries + former + admin1 + other_places:
        for text in entity.alias_texts():
            claims.setdefault(fold(text), set()).add(entity.id)
    for entity, texts in candidates:
        for text in texts:
            claims.setdefault(fold(split_marker(text)[1]), set()).add(entity.id)
    kept = clashes = 0
    for entity, texts in candidates:
        existing = {fold(t) for t in entity.alias_texts()}
        # A translation the matcher reads like a name the entity has ("Ħonduras" is "honduras") adds
        # no pattern, and its `!` would become the rule of that name: leave it out.
        existing_patterns = {match_key(t) for t in entity.alias_texts()}
        for text in texts:
            key = fold(split_marker(text)[1])
            if key in existing or match_key(split_marker(text)[1]) in existing_patterns:
                continue  # the same name up to case and accents: nothing new to match
            if claims[key] != {entity.id}:
                clashes += 1
                continue
            entity.add_alias(text)
            existing.add(key)
            existing_patterns.add(match_key(split_marker(text)[1]))
            kept += 1
    stats["iso_translations_kept"] = kept
    stats["iso_translations_shared_with_another_place"] = clashes


def drop_shared_other_script_names(places: list["Entity"], builder: "PlaceBuilder") -> None:
    """A name in another script that several places share stays with the biggest of them.

    GeoNames writes Moscow, Idaho as "Москва" too; in Russian text that is Moscow, Russia. Places
    whose prior is within 0.5 of the biggest keep the name, and context decides between them.
    """
    holders: dict[str, list[Entity]] = {}
    for entity in places:
        for alias in entity.aliases:
            text = split_marker(alias)[1]
            if has_non_latin_letter(text):
                holders.setdefault(fold(text), []).append(entity)
    for key, entities in holders.items():
        if len(entities) < 2:
            continue
        top = max(e.prior for e in entities)
        for entity in entities:
            if entity.prior < top - 0.5:
                entity.aliases = [a for a in entity.aliases if fold(split_marker(a)[1]) != key]
                builder.dropped["shared_other_script"] = builder.dropped.get("shared_other_script", 0) + 1


def load_country_info(data: Path) -> list[dict[str, str]]:
    columns = ["iso2", "iso3", "isonum", "fips", "name", "capital", "area", "population",
               "continent", "tld", "currency_code", "currency_name", "phone", "postal_format",
               "postal_regex", "languages", "geonameid", "neighbours", "equivalent_fips"]
    rows = []
    with (data / "geonames" / "countryInfo.txt").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            rows.append(dict(zip(columns, line.rstrip("\n").split("\t"))))
    return rows


def strip_iso_note(name: str) -> str:
    return clean_field(re.sub(r"\s*[\[(].*?[\])]", "", name))


def build_places(data: Path, common_words: set[str], proper_words: set[str], name_ranks: dict[str, int],
                 other_entity_words: set[str], stats: dict) -> dict[str, list[Entity]]:
    countries_iso = json.loads((data / "iso-codes" / "iso_3166-1.json").read_text(encoding="utf-8"))["3166-1"]
    iso_by_alpha2 = {c["alpha_2"]: c for c in countries_iso}
    country_rows = load_country_info(data)
    curated_country = {r["iso2"]: split_aliases(r["aliases"])
                       for r in read_curated_tsv(CURATED_DIR / "country_aliases.tsv")}

    # --- countries --------------------------------------------------------------------------
    countries: list[Entity] = []
    country_by_iso2: dict[str, Entity] = {}
    for row in country_rows:
        iso2 = row["iso2"]
        if not row["geonameid"]:
            continue
        population = int(row["population"] or 0)
        prior = PRIOR_COUNTRY_BASE + (math.log10(population) / 10 if population > 0 else 0)
        entity = Entity(f"geonames:{row['geonameid']}", "place", row["name"], "geonames",
                        round(prior, 2), iso2)
        iso = iso_by_alpha2.get(iso2)
        if iso:
            for key in ("name", "official_name", "common_name"):
                if iso.get(key):
                    entity.add_alias(strip_iso_note(iso[key]))
            entity.source = "geonames+iso-codes"
        for alias in curated_country.get(iso2, []):
            entity.add_alias(alias)
        if iso2 in curated_country:
            entity.source += "+curated"
        entity.extra["feature"] = "country"
        entity.extra["iso3"] = row["iso3"]
        countries.append(entity)
        country_by_iso2[iso2] = entity

    # Every country surface form, so city alternates equal to a country name are not kept.
    country_alias_index: dict[str, str] = {}
    for entity in countries:
        for text in entity.alias_texts():
            country_alias_index.setdefault(fold(text), entity.country)

    # --- former countries (ISO 3166-3) ------------------------------------------------------
    former_curated = {r["alpha4"]: split_aliases(r["aliases"])
                      for r in read_curated_tsv(CURATED_DIR / "former_country_aliases.tsv")}
    former: list[Entity] = []
    for row in json.loads((data / "iso-codes" / "iso_3166-3.json").read_text(encoding="utf-8"))["3166-3"]:
        alpha4 = row["alpha_4"]
        curated = former_curated.get(alpha4, [])
        # ISO 3166-3 writes inverted names: "Zaire, Republic of", "France, Metropolitan".
        parts = [strip_iso_note(p) for p in row["name"].split(",", 1)]
        short = parts[0]
        long_forms = []
        if len(parts) == 2 and parts[1]:
            rest = parts[1]
            if rest.endswith(" of") or len(rest.split()) == 1:
                long_forms.append(f"{rest} {short}")
            else:
                long_forms.append(rest)
        display = split_marker(curated[0])[1] if curated else short
        if fold(display) in country_alias_index and long_forms:
            display = long_forms[0]  # "France" is the current country; this is "Metropolitan France"
        entity = Entity(f"iso3166-3:{alpha4}", "place", display, "iso-codes", PRIOR_FORMER_COUNTRY,
                        row.get("alpha_2", ""))
        for form in [short] + long_forms:
            if fold(form) not in country_alias_index:
                entity.add_alias(form)
        for alias in curated:
            entity.add_alias(alias)
        if curated:
            entity.source += "+curated"
        entity.extra["feature"] = "former-country"
        entity.extra["withdrawn"] = row.get("withdrawal_date", "")
        entity.extra["iso_name"] = clean_field(row["name"])
        former.append(entity)

    builder = PlaceBuilder(common_words, country_alias_index,
                           proper_words, name_ranks, other_entity_words)
    for row in country_rows:
        scripts = set()
        for language in row["languages"].split(",")[:1]:
            script = LANGUAGE_SCRIPT.get(language.split("-")[0])
            if script:
                scripts.add(script)
        builder.country_scripts[row["iso2"]] = scripts

    # --- first-level divisions ----------------------------------------------------------------
    iso_subdivisions = json.loads((data / "iso-codes" / "iso_3166-2.json").read_text(encoding="utf-8"))["3166-2"]
    top_level = [s for s in iso_subdivisions if "parent" not in s]
    iso_by_code = {s["code"]: s for s in top_level}
    iso_by_country_name: dict[tuple[str, str], dict] = {}
    for sub in top_level:
        iso_by_country_name.setdefault((sub["code"][:2], fold(strip_iso_note(sub["name"]))), sub)
    matched_iso: set[str] = set()
    admin1: list[Entity] = []
    with (data / "geonames" / "admin1CodesASCII.txt").open(encoding="utf-8") as handle:
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if len(cells) < 4 or not cells[3]:
                continue
            code, name, ascii_name, geonameid = cells[:4]
            iso2, _, subcode = code.partition(".")
            entity = Entity(f"geonames:{geonameid}", "place", name, "geonames", PRIOR_ADMIN1, iso2)
            entity.extra["feature"] = "admin1"
            entity.extra["admin1"] = code
            iso_sub = iso_by_code.get(f"{iso2}-{subcode}") or iso_by_country_name.get((iso2, fold(name))) \
                or iso_by_country_name.get((iso2, fold(ascii_name)))
            forms = [name, ascii_name]
            if iso_sub is not None:
                matched_iso.add(iso_sub["code"])
                forms.append(strip_iso_note(iso_sub["name"]))
                entity.extra["iso3166_2"] = iso_sub["code"]
                entity.extra["iso_name"] = clean_field(iso_sub["name"])
                entity.source = "geonames+iso-codes"
            # Divisions that ISO 3166-2 also lists are trusted; others ("German", "Michael": parishes
            # of the Isle of Man) must not be a common name or well-known proper word.
            untrusted = iso_sub is None
            kept = [f for f in (builder.place_alias(f, False, 0, True, iso2, town=False,
                                                    check_names=untrusted)
                                for f in forms) if f]
            if not kept:
                continue  # e.g. "Central", "Northern": not a usable name on its own
            entity.name = split_marker(kept[0])[1]
            for alias in kept:
                entity.add_alias(alias)
            admin1.append(entity)
    for sub in top_level:
        if sub["code"] in matched_iso:
            continue
        name = strip_iso_note(sub["name"])
        alias = builder.place_alias(name, False, 0, True, sub["code"][:2], town=False,
                                    check_names=True)
        if not alias or len(name) < 3:
            continue
        entity = Entity(f"iso3166-2:{sub['code']}", "place", name, "iso-codes", PRIOR_ADMIN1 - 0.5,
                        sub["code"][:2])
        entity.extra["feature"] = "subdivision"
        entity.extra["iso3166_2"] = sub["code"]
        entity.extra["iso_name"] = clean_field(sub["name"])
        admin1.append(entity)

    # --- cities --------------------------------------------------------------------------------
    cities: list[Entity] = []
    seen_ids: set[str] = {e.id for e in countries} | {e.id for e in admin1}
    city_ids: set[str] = set()

    def make_city(geonameid: str, name: str, ascii_name: str, alternates: list[str], iso2: str,
                  admin1_code: str, population: int, feature_code: str) -> Entity | None:
        entity_id = f"geonames:{geonameid}"
        if entity_id in seen_ids:
            return None
        capital = feature_code == "PPLC"
        major = capital or population >= MAJOR_PLACE_POPULATION
        prior = math.log10(population) if population > 0 else 0.0
        if capital:
            prior += PRIOR_CAPITAL_BONUS
        elif feature_code == "PPLA":
            prior += PRIOR_ADMIN_CAPITAL_BONUS
        forms: list[str] = []
        for form in [name, ascii_name]:
            if form and form not in forms:
                forms.append(form)
        other_scripts: list[str] = []
        for alt in alternates:
            alt = alt.strip()
            if not alt or alt in forms:
                continue
            if not is_latin(alt) and letter_scripts(alt):
                alias = builder.non_latin_alias(alt, population, capital)
                if alias and alias not in other_scripts:
                    other_scripts.append(alias)
                    continue
            if builder.is_junk_alternate(alt, name):
                builder.dropped["junk_alternate"] += 1
                continue
            forms.append(alt)
        kept: list[str] = []
        for index, form in enumerate(forms):
            alias = builder.place_alias(form, major, population, index < 2, iso2)
            if alias and alias not in kept:
                kept.append(alias)
        if kept:
            kept += other_scripts
        if not kept:
            return None
        entity = Entity(entity_id, "place", split_marker(kept[0])[1], "geonames", round(prior, 2), iso2)
        for alias in kept:
            entity.add_alias(alias)
        entity.extra["ascii"] = ascii_name
        entity.extra["feature"] = "capital" if capital else "city"
        entity.extra["admin1"] = f"{iso2}.{admin1_code}" if admin1_code else ""
        entity.extra["population"] = str(population)
        if population >= NATIVE_NAME_POPULATION:
            entity.extra["native"] = "|".join(builder.native_names(alternates, iso2))
        seen_ids.add(entity_id)
        return entity

    with (data / "geonames" / "cities15000.txt").open(encoding="utf-8") as handle:
        for line in handle:
            c = line.rstrip("\n").split("\t")
            if len(c) < 19:
                continue
            entity = make_city(c[0], c[1], c[2], c[3].split(",") if c[3] else [], c[8], c[10],
                               int(c[14] or 0), c[7])
            city_ids.add(c[0])
            if entity:
                cities.append(entity)
    extra_towns = 0
    with (data / "geonames" / "cities500.tsv").open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for c in reader:
            if len(c) < 8 or c[0] in city_ids:
                continue
            population = int(c[4] or 0)
            if population < EXTRA_TOWN_POPULATION:
                continue
            # Small towns keep only their own name: their alternates are mostly transliterations
            # that cost size and precision for little recall.
            entity = make_city(c[0], c[1], "", [], c[2], c[3], population, "PPL")
            if entity:
                cities.append(entity)
                extra_towns += 1
    stats["extra_towns"] = extra_towns

    # --- regions and geographic features from WordNet ---------------------------------------
    known_place_texts: dict[str, Entity] = {}
    for entity in countries + former + admin1 + cities:
        for text in entity.alias_texts():
            key = fold(text)
            current = known_place_texts.get(key)
            if current is None or entity.prior > current.prior:
                known_place_texts[key] = entity
    regions: list[Entity] = []
    for row in read_wordnet(data):
        if row["category"] not in ("LOCATION", "GEO_FEATURE"):
            continue
        if "stock_exchange" in row["instance_hypernyms"]:
            continue
        lemmas = [l.replace("_", " ") for l in row["lemmas"].split("|")]
        lemmas = [l for l in lemmas if l[:1].isupper() and not any(ch.isdigit() for ch in l[1:])]
        if not lemmas:
            continue
        # Descriptive lemmas ("American capital") and short codes ("TX") are not names.
        lemmas = [l for l in lemmas if is_proper_phrase(l) and not (l.isupper() and len(l) <= 3)]
        if not lemmas:
            continue
        existing = known_place_texts.get(fold(lemmas[0]))
        if existing is not None:
            # Same place as a GeoNames/ISO entry: its other WordNet names become aliases there, but
            # only for WordNet cities/countries matched to a city/country (a WordNet "Washington"
            # state must not lend "Evergreen State" to the city).
            wanted = {"city": ("city", "capital"), "country": ("country",)}.get(row["subcategory"], ())
            if existing.extra.get("feature") in wanted:
                for lemma in lemmas[1:]:
                    alias = builder.place_alias(lemma, existing.prior >= 5, 0, False, existing.country)
                    if alias and fold(lemma) not in known_place_texts:
                        existing.add_alias(alias)
            continue
        if row["subcategory"] in ("city", "country"):
            continue  # an old or minor name for a place GeoNames lists under another name
        # One-word WordNet lemmas are judged like alternates ("Canadian" for the Canadian River,
        # "Clinton" for a river): only the first lemma, if it has no multi-word companion, is a name.
        has_multi = any(len(l.split()) > 1 for l in lemmas)
        if has_multi:
            lemmas = [l for l in lemmas if len(l.split()) > 1 or
                      (l not in builder.proper_words and l not in builder.name_ranks
                       and "\0" + l not in builder.name_ranks)]
        kept = [a for a in (builder.place_alias(l, False, 0, index == 0 and not has_multi, "", town=False,
                                                check_names=True)
                            for index, l in enumerate(lemmas)) if a]
        if not kept:
            continue
        entity = Entity(f"wordnet:{row['offset']}", "place", split_marker(kept[0])[1], "wordnet",
                        PRIOR_REGION)
        for alias in kept:
            entity.add_alias(alias)
        entity.extra["feature"] = "region" if row["category"] == "LOCATION" else "geo-feature"
        regions.append(entity)
    add_translated_names(countries, former, admin1, cities + regions, iso_by_alpha2, builder, stats)
    drop_stolen_names(countries + former + admin1 + cities + regions, builder)
    drop_shared_other_script_names(countries + former + admin1 + cities + regions, builder)
    stats["place_alias_drops"] = dict(builder.dropped)
    return {
        "places-countries.tsv": countries + former,
        "places-admin1.tsv": admin1,
        "places-cities.tsv": cities,
        "places-regions.tsv": regions,
    }


# ----------------------------------------------------------------------------------------------
# WordNet
# ----------------------------------------------------------------------------------------------

def read_wordnet(data: Path) -> list[dict[str, str]]:
    rows = []
    with (data / "wordnet" / "wn30_instance_synsets.tsv").open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for line in handle:
            rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))
    return rows


# ----------------------------------------------------------------------------------------------
# People
# ----------------------------------------------------------------------------------------------

NAME_PARTICLES = {"de", "da", "del", "della", "di", "do", "dos", "du", "van", "von", "der", "den", "le",
                  "la", "al", "el", "bin", "ibn", "ben", "y", "e", "af"}


def person_variants(full_name: str) -> list[str]:
    """Full name, the name without middle initials, and "First Last"."""
    variants = [full_name]
    tokens = full_name.split()
    if len(tokens) >= 3:
        without_initials = [t for i, t in enumerate(tokens)
                            if i in (0, len(tokens) - 1) or not re.fullmatch(r"[A-Z]\.(?:[A-Z]\.)*", t)]
        variants.append(" ".join(without_initials))
        # "First Last" unless the surname is a particle phrase ("Fernando de la Rúa").
        if tokens[-2].lower() not in NAME_PARTICLES and not tokens[-1].lower().startswith(("jr", "sr")) \
                and not re.fullmatch(r"[IVX]+", tokens[-1]):
            variants.append(f"{tokens[0]} {tokens[-1]}")
    result = []
    for v in variants:
        if v not in result:
            result.append(v)
    return result


def _tenure_days(leader: dict) -> int:
    from datetime import date
    try:
        return (date.fromisoformat(leader["end"]) - date.fromisoformat(leader["start"])).days
    except ValueError:
        return 0


def dbpedia_name(uri: str) -> str:
    if not uri.startswith("http"):
        return ""
    name = unquote(uri.rsplit("/", 1)[-1]).replace("_", " ")
    name = re.sub(r"\s*\(.*?\)", "", name)
    return clean_field(name)


def build_people(data: Path, common_words: set[str], common_given: set[str], lone_surname_block: set[str],
                 place_texts: set[str], org_texts: set[str], stats: dict) -> list[Entity]:
    cow_to_iso = {r["cow"]: r["iso2"] for r in read_curated_tsv(CURATED_DIR / "cow_to_iso.tsv")}

    # --- Archigos: one entity per leader ------------------------------------------------------
    leaders: dict[str, dict] = {}
    # Archigos 4.1 is Latin-1 encoded (e.g. "Hern\xe1ndez").
    with (data / "leaders" / "arch_annual.txt").open(encoding="latin-1") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            leader = leaders.get(row["leadid"])
            if leader is None:
                leader = leaders[row["leadid"]] = {
                    "obsid": row["obsid"], "surname": row["leader"].strip(), "uri": "",
                    "start": row["startdate"].strip(), "end": row["enddate"].strip(), "cow": row["idacr"],
                }
            if row["dbpedia.uri"].startswith("http") and not leader["uri"]:
                leader["uri"] = row["dbpedia.uri"]
            leader["start"] = min(leader["start"], row["startdate"].strip())
            leader["end"] = max(leader["end"], row["enddate"].strip())
    # The same person can hold several leader ids (Saddam Hussein led Iraq and, in 1990-91, occupied
    # Kuwait): keep one entity per DBpedia URI, the one with the longest tenure.
    by_uri: dict[str, dict] = {}
    for leader in leaders.values():
        if not leader["uri"]:
            continue
        current = by_uri.get(leader["uri"])
        if current is None or _tenure_days(leader) > _tenure_days(current):
            by_uri[leader["uri"]] = leader
    archigos: list[Entity] = []
    for leadid, leader in leaders.items():
        if leader["uri"] and by_uri[leader["uri"]] is not leader:
            continue
        full = dbpedia_name(leader["uri"])
        surname = clean_field(leader["surname"].replace("`", "'"))
        name = full or surname
        iso2 = cow_to_iso.get(leader["cow"], "")
        start_year = int(leader["start"][:4])
        if leader["cow"] == "RUS" and 1922 <= start_year < 1991:
            iso2 = "SU"
        entity = Entity(f"archigos:{leader['obsid']}", "person", name, "archigos",
                        PRIOR_PERSON_ARCHIGOS, iso2, leader["start"], leader["end"])
        for variant in person_variants(name):
            entity.add_alias(variant)
        if surname and surname != name:
            entity.add_alias(surname)
        entity.extra["archigos_surname"] = surname
        archigos.append(entity)

    # --- curated people, merged into Archigos leaders when they are the same person ------------
    by_full: dict[tuple[str, str], Entity] = {}
    by_surname: dict[tuple[str, str], list[Entity]] = {}
    for entity in archigos:
        by_full.setdefault((entity.country, fold(entity.name)), entity)
        surname_key = fold(entity.extra["archigos_surname"])
        by_surname.setdefault((entity.country, surname_key), []).append(entity)
        last_token = surname_key.split(" ")[-1] if surname_key else ""
        if last_token and last_token != surname_key:
            by_surname.setdefault((entity.country, last_token), []).append(entity)
    people: list[Entity] = []
    merged = 0
    for row in read_curated_tsv(CURATED_DIR / "people.tsv"):
        name, country = row["name"], row["country"]
        target = None
        for form in [name] + split_aliases(row["aliases"]):
            form = split_marker(form)[1]
            if len(form.split()) >= 2 and (country, fold(form)) in by_full:
                target = by_full[(country, fold(form))]
                break
        if target is None and row["from"]:
            last = fold(name.split()[-1]) if name.split() else ""
            for candidate in by_surname.get((country, last), []) + by_surname.get((country, fold(name)), []):
                start, end = int(candidate.from_[:4]), int(candidate.to[:4])
                if int(row["from"]) <= end and int(row["to"] or 9999) >= start:
                    target = candidate
                    break
        aliases = [name] + split_aliases(row["aliases"])
        if target is not None:
            merged += 1
            if fold(target.name) != fold(name):
                target.add_alias(target.name)
                target.name = name
            for alias in aliases:
                target.add_alias(alias)
            target.source = "archigos+curated"
            target.extra["curated"] = "1"
            target.prior = PRIOR_PERSON_CURATED
            continue
        entity = Entity(f"person:{row['slug']}", "person", name, "curated", PRIOR_PERSON_CURATED, country,
                        row["from"], row["to"])
        for alias in aliases:
            entity.add_alias(alias)
        entity.extra["curated"] = "1"
        people.append(entity)
    stats["curated_people_merged_into_archigos"] = merged

    # --- WordNet persons ----------------------------------------------------------------------
    full_index: dict[str, list[Entity]] = {}
    for entity in archigos + people:
        for text in entity.alias_texts():
            if len(text.split()) >= 2:
                full_index.setdefault(fold(text), []).append(entity)
    wordnet_people: list[Entity] = []
    wordnet_merged = 0
    for row in read_wordnet(data):
        if row["category"] != "PERSON":
            continue
        lemmas = [l.replace("_", " ") for l in row["lemmas"].split("|")]
        lemmas = [l for l in lemmas if l[:1].isupper()]
        if not lemmas:
            continue
        # Mythological and scriptural figures known by one word ("Messiah", "Io", "Seth") mostly
        # collide with ordinary names; keep only those with a multi-word name.
        if re.search(r"mytholog|Testament|legend", row["gloss"]) and all(len(l.split()) == 1 for l in lemmas):
            continue
        hits: dict[str, int] = {}
        targets: dict[str, Entity] = {}
        for lemma in lemmas:
            if len(lemma.split()) >= 2:
                for entity in full_index.get(fold(lemma), []):
                    hits[entity.id] = hits.get(entity.id, 0) + 1
                    targets[entity.id] = entity
        if hits:
            best = max(hits.values())
            best_ids = sorted(i for i, n in hits.items() if n == best)
            if len(best_ids) == 1:
                target = targets[best_ids[0]]
                for lemma in lemmas:
                    target.add_alias(lemma)
                target.source += "+wordnet"
                wordnet_merged += 1
                continue
        multi = [l for l in lemmas if len(l.split()) >= 2]
        name = max(multi, key=lambda l: (len(l.split()) <= 3, len(l))) if multi else lemmas[0]
        entity = Entity(f"wordnet:{row['offset']}", "person", name, "wordnet", PRIOR_PERSON_WORDNET)
        for lemma in lemmas:
            entity.add_alias(lemma)
            if len(lemma.split()) >= 3:
                for variant in person_variants(lemma):
                    entity.add_alias(variant)
        if row["subcategory"]:
            entity.extra["role"] = row["subcategory"].replace(";", ",")
        wordnet_people.append(entity)
    stats["wordnet_people_merged"] = wordnet_merged

    everyone = archigos + people + wordnet_people
    # --- single-word aliases: only when unambiguous across all people and not a common word ----
    claimants: dict[str, list[Entity]] = {}
    for entity in everyone:
        for text in entity.alias_texts():
            if len(text.split()) == 1:
                claimants.setdefault(text, []).append(entity)
    dropped_single = 0
    kept: list[Entity] = []
    dropped_entities = 0
    for entity in everyone:
        curated = entity.extra.get("curated") == "1"
        for text in entity.alias_texts():
            if len(text.split()) != 1:
                continue
            owners = claimants[text]
            curated_owners = [o for o in owners if o.extra.get("curated") == "1"]
            # A word claimed by exactly one curated person stays with that person ("Suharto" is
            # also a bare WordNet lemma); otherwise several claimants make it ambiguous.
            ambiguous = len(owners) > 1 and not (len(curated_owners) == 1 and curated)
            if len(curated_owners) == 1 and not curated:
                ambiguous = True
            bad = (ambiguous or len(text) < 3 or text.casefold() in common_words
                   or text.isupper())
            if not curated:
                bad = bad or text in common_given or text in lone_surname_block \
                    or text in place_texts or text in org_texts
            if bad:
                entity.drop_alias_text(text)
                if text == entity.name:
                    # Keep the entity under a longer alias if it has one, else leave it out.
                    longer = [a for a in entity.alias_texts() if len(a.split()) >= 2]
                    if not longer:
                        entity.name = ""
                        break
                    entity.name = longer[0]
                    entity.drop_alias_text(longer[0])
                dropped_single += 1
        if entity.name:
            kept.append(entity)
        else:
            dropped_entities += 1
    stats["person_single_word_aliases_dropped"] = dropped_single
    stats["person_entities_without_usable_name"] = dropped_entities
    for entity in kept:
        # CoNLL-style spans leave titles out ("President [Clinton]"); a titled alias would match a
        # span one word too long, and the name it contains is an alias already.
        entity.aliases = [a for a in entity.aliases if not split_marker(a)[1].startswith("President ")]
        entity.extra.pop("archigos_surname", None)
        entity.extra.pop("curated", None)
    return kept


# ----------------------------------------------------------------------------------------------
# Organizations
# ----------------------------------------------------------------------------------------------

WORDNET_ORG_HYPERNYMS = ("agency", "nongovernmental_organization", "guerrilla_force", "organization",
                         "executive_agency", "drug_cartel", "rock_group", "terrorist_organization",
                         "political_movement")


def single_word_org_alias(alias: str, common_words: set[str]) -> str:
    marker, bare = split_marker(alias)
    if not marker and len(bare.split()) == 1 and bare.casefold() in common_words and not bare.isupper():
        return "!" + bare
    return alias


def build_organizations(data: Path, common_words: set[str], stats: dict) -> list[Entity]:
    orgs: list[Entity] = []
    index: dict[str, Entity] = {}
    for row in read_curated_tsv(CURATED_DIR / "organizations.tsv"):
        entity = Entity(f"org:{row['slug']}", "organization", row["name"], "curated", PRIOR_ORG_CURATED,
                        row["country"])
        for alias in split_aliases(row["aliases"]):
            entity.add_alias(single_word_org_alias(alias, common_words))
        mark_name_if_common(entity, common_words)
        orgs.append(entity)
        for text in entity.alias_texts():
            if len(text) > 3:
                index.setdefault(fold(text), entity)
    merged = 0
    for row in read_wordnet(data):
        if row["category"] not in ("ORGANIZATION", "GROUP"):
            continue
        hypernyms = row["instance_hypernyms"].replace(";", "|").split("|")
        if not any(h in WORDNET_ORG_HYPERNYMS for h in hypernyms):
            continue
        lemmas = [l.replace("_", " ") for l in row["lemmas"].split("|")]
        lemmas = [l for l in lemmas if l[:1].isupper() or l[:3] in ("al-", "al ")]
        if not lemmas:
            continue
        # Single-word lemmas that are ordinary words ("Base" for al-Qaeda) or short all-caps
        # common words ("FAR") would match ordinary text: keep them out.
        lemmas = [l for l in lemmas if len(l.split()) > 1 or l.casefold() not in common_words]
        if not lemmas:
            continue
        target = next((index[fold(l)] for l in lemmas if fold(l) in index), None)
        if target is not None:
            for lemma in lemmas:
                target.add_alias(single_word_org_alias(lemma, common_words))
            target.source = "curated+wordnet"
            merged += 1
            continue
        entity = Entity(f"wordnet:{row['offset']}", "organization", lemmas[0], "wordnet", PRIOR_ORG_WORDNET)
        for lemma in lemmas:
            if len(lemma) >= 3 or lemma.isupper():
                entity.add_alias(single_word_org_alias(lemma, common_words))
        mark_name_if_common(entity, common_words)
        orgs.append(entity)
    stats["wordnet_orgs_merged"] = merged
    return orgs


def mark_name_if_common(entity: Entity, common_words: set[str]) -> None:
    """The name is matched as a cased alias; a `!`-marked copy of it tells the loader it is a common word."""
    if len(entity.name.split()) == 1 and entity.name.casefold() in common_words and not entity.name.isupper():
        entity.add_alias("!" + entity.name)


# ----------------------------------------------------------------------------------------------
# Treaties
# ----------------------------------------------------------------------------------------------

def title_case_to_text_case(title: str) -> str:
    """'Agreement Between The Government Of India' -> 'Agreement between the Government of India'."""
    words = title.split(" ")
    out = []
    for i, word in enumerate(words):
        if i > 0 and word.lower() in TITLE_FUNCTION_WORDS:
            out.append(word.lower())
        else:
            out.append(word)
    return " ".join(out)


def build_treaties(data: Path, stats: dict) -> list[Entity]:
    treaties: list[Entity] = []
    index: dict[str, Entity] = {}
    for row in read_curated_tsv(CURATED_DIR / "treaties.tsv"):
        entity = Entity(f"treaty:{row['slug']}", "treaty", row["name"], "curated", PRIOR_TREATY_CURATED,
                        from_=row["year"])
        for alias in split_aliases(row["aliases"]):
            entity.add_alias(alias)
        treaties.append(entity)
        for text in entity.alias_texts():
            index.setdefault(fold(text), entity)

    with (data / "treaties" / "IEADB_treaties.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    id_column = next(c for c in rows[0] if c.startswith("IEA#"))
    environmental = [r for r in rows if len(r["Inclusion"]) >= 2 and r["Inclusion"][1] == "E"]
    title_counts: dict[str, int] = {}
    for row in environmental:
        key = fold(row["Treaty Name"])
        title_counts[key] = title_counts.get(key, 0) + 1
    skipped_generic = merged = 0
    for row in environmental:
        title = clean_field(row["Treaty Name"])
        key = fold(title)
        if key in index:
            target = index[key]
            target.add_alias(title_case_to_text_case(title))
            target.source = "curated+ieadb"
            merged += 1
            continue
        # A title shared by several agreements, or too short to name one, is generic: leave it out.
        if title_counts[key] > 1 or len(title.split()) < 4 or len(title) > 300:
            skipped_generic += 1
            continue
        year = row["Signature Year"].strip()
        from_ = row["Signature Date"].strip()
        if not re.fullmatch(r"(1\d{3}|20[0-3]\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", from_):
            from_ = ""
        if not (year.isdigit() and 1000 <= int(year) <= 2030):
            from_ = ""
        elif not from_:
            from_ = year
        entity = Entity(f"ieadb:{row[id_column].strip()}", "treaty", title_case_to_text_case(title), "ieadb",
                        PRIOR_TREATY_IEADB, from_=from_)
        entity.extra["kind"] = row["Agreement Type (level 2)"].strip()
        treaties.append(entity)
    stats["ieadb_generic_titles_skipped"] = skipped_generic
    stats["ieadb_merged_into_curated"] = merged
    return treaties


# ----------------------------------------------------------------------------------------------
# Output and check
# ----------------------------------------------------------------------------------------------

def write_tsv(path: Path, entities: list[Entity], description: str, extra_columns: list[str]) -> None:
    columns = ["id", "type", "name", "aliases", "prior", "from", "to", "country", "source"] + extra_columns
    lines = [f"# {description}",
             "# Built by Scripts/build_gazetteers.py; format and provenance: Gazetteers/README.md.",
             "\t".join(columns)]
    for entity in sorted(entities, key=lambda e: e.id):
        # A merge can rename an entity to one of its aliases; the name is an alias already.
        entity.aliases = [a for a in entity.aliases if a != entity.name]
        values = {
            "id": entity.id, "type": entity.type, "name": entity.name, "aliases": "|".join(entity.aliases),
            "prior": format_prior(entity.prior), "from": entity.from_, "to": entity.to,
            "country": entity.country, "source": entity.source,
        }
        values.update({c: clean_field(entity.extra.get(c, "")) if c != "native"
                       else entity.extra.get(c, "").replace("\t", " ") for c in extra_columns})
        lines.append("\t".join(values[c] for c in columns))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def check_gazetteers(out_dir: Path) -> list[str]:
    """Validate every Gazetteers/*.tsv against the format contract; returns problems found."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    files = sorted(out_dir.glob("*.tsv"))
    if not files:
        return [f"{out_dir}: no .tsv files"]
    for path in files:
        header: list[str] | None = None
        for number, cells in tsv_lines(path):
            if header is None:
                header = cells
                missing = [c for c in REQUIRED_COLUMNS if c not in header]
                if missing:
                    problems.append(f"{path}:{number}: header lacks {', '.join(missing)}")
                    break
                continue
            where = f"{path.name}:{number}"
            if len(cells) != len(header):
                problems.append(f"{where}: {len(cells)} columns, header has {len(header)}")
                continue
            row = dict(zip(header, cells))
            if not row["id"] or not row["name"].strip():
                problems.append(f"{where}: empty id or name")
            if row["type"] not in ENTITY_TYPES:
                problems.append(f"{where}: unknown type {row['type']!r}")
            if row["id"] in seen:
                problems.append(f"{where}: duplicate id {row['id']} (first in {seen[row['id']]})")
            seen[row["id"]] = where
            if row["name"] != row["name"].strip() or row["name"][:1] in MARKERS:
                problems.append(f"{where}: name has surrounding space or a marker")
            for alias in row["aliases"].split("|") if row["aliases"] else []:
                bare = split_marker(alias)[1]
                if not bare or bare != bare.strip() or split_marker(bare)[0]:
                    problems.append(f"{where}: malformed alias {alias!r}")
            if "prior" in row and row["prior"]:
                try:
                    if float(row["prior"]) < 0:
                        raise ValueError
                except ValueError:
                    problems.append(f"{where}: prior {row['prior']!r} is not a non-negative number")
            for column in ("from", "to"):
                if row.get(column) and not DATE_PATTERN.match(row[column]):
                    problems.append(f"{where}: {column} {row[column]!r} is not an ISO date")
            if row.get("country") and not re.fullmatch(r"[A-Z]{2}", row["country"]):
                problems.append(f"{where}: country {row['country']!r} is not ISO alpha-2")
        if header is None:
            problems.append(f"{path}: no header line")
    return problems


def count_report(out_dir: Path) -> str:
    lines = []
    for path in sorted(out_dir.glob("*.tsv")):
        entities: dict[str, int] = {}
        aliases: dict[str, int] = {}
        header = None
        for _, cells in tsv_lines(path):
            if header is None:
                header = cells
                continue
            row = dict(zip(header, cells))
            entities[row["type"]] = entities.get(row["type"], 0) + 1
            surface = 1 + (len(row["aliases"].split("|")) if row["aliases"] else 0)
            aliases[row["type"]] = aliases.get(row["type"], 0) + surface
        size = path.stat().st_size
        for entity_type in sorted(entities):
            lines.append(f"{path.name:24} {entity_type:13} entities {entities[entity_type]:7}  "
                         f"surface forms (name + aliases) {aliases[entity_type]:8}  {size / 1e6:6.2f} MB")
    total = sum(p.stat().st_size for p in out_dir.glob("*.tsv"))
    lines.append(f"total size {total / 1e6:.2f} MB")
    return "\n".join(lines)


def load_best_ranks(path: Path, prefix: str) -> dict[str, int]:
    ranks: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            cells = line.split("\t", 2)
            if len(cells) >= 2 and cells[1].isdigit():
                key = prefix + cells[0]
                rank = int(cells[1])
                if rank < ranks.get(key, 10**9):
                    ranks[key] = rank
    return ranks


def load_name_ranks(path: Path, max_rank: int) -> set[str]:
    names = set()
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            cells = line.split("\t", 2)
            if len(cells) >= 2 and cells[1].isdigit() and int(cells[1]) <= max_rank:
                names.add(cells[0])
    return names


def build(data: Path, out_dir: Path) -> dict:
    stats: dict = {}
    common_words = load_word_set(CURATED_DIR / "common_words.txt")
    common_given = load_name_ranks(data / "names" / "first_names.tsv", COMMON_FIRST_NAME_RANK)

    proper_words = load_word_set(CURATED_DIR / "proper_words.txt")
    name_ranks = load_best_ranks(data / "names" / "first_names.tsv", "")
    name_ranks.update(load_best_ranks(data / "names" / "last_names.tsv", "\0"))
    organizations = build_organizations(data, common_words, stats)
    other_entity_words = {t for e in organizations for t in e.alias_texts() if len(t.split()) == 1}
    for row in read_curated_tsv(CURATED_DIR / "people.tsv"):
        for form in [row["name"]] + split_aliases(row["aliases"]):
            if len(form.split()) == 1:
                other_entity_words.add(split_marker(form)[1])
    place_files = build_places(data, common_words, proper_words,
                               name_ranks, other_entity_words, stats)
    place_texts = {t for es in place_files.values() for e in es for t in e.alias_texts()}
    org_texts = {t for e in organizations for t in e.alias_texts()}
    lone_surname_block = load_name_ranks(data / "names" / "last_names.tsv", LONE_SURNAME_RANK)
    people = build_people(data, common_words, common_given, lone_surname_block, place_texts, org_texts, stats)
    treaties = build_treaties(data, stats)

    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.tsv"):
        old.unlink()
    descriptions = {
        "places-countries.tsv": "Countries (GeoNames countryInfo + ISO 3166-1) and former countries (ISO 3166-3).",
        "places-admin1.tsv": "First-level divisions (GeoNames admin1 + ISO 3166-2).",
        "places-cities.tsv": "Cities and towns (GeoNames cities15000 + cities500 towns of population >= 5000).",
        "places-regions.tsv": "Regions and geographic features (WordNet 3.0 instances).",
    }
    place_extra = {
        "places-countries.tsv": ["feature", "iso3", "withdrawn"],
        "places-admin1.tsv": ["feature", "admin1", "iso3166_2"],
        "places-cities.tsv": ["feature", "admin1", "population", "native"],
        "places-regions.tsv": ["feature"],
    }
    for file_name, entities in place_files.items():
        write_tsv(out_dir / file_name, entities, descriptions[file_name], place_extra[file_name])
    write_tsv(out_dir / "people.tsv", people,
              "People: Archigos 4.1 leaders, curated news figures, WordNet 3.0 persons.", ["role"])
    write_tsv(out_dir / "organizations.tsv", organizations,
              "Organizations: curated list + WordNet 3.0 organization instances.", [])
    write_tsv(out_dir / "treaties.tsv", treaties,
              "Treaties: curated list + IEA Database environmental agreements.", ["kind"])
    write_given_names(data, out_dir, common_words, stats)
    return stats


def write_given_names(data: Path, out_dir: Path, common_words: set[str], stats: dict) -> None:
    """`given-names.txt`: the given names the name-pattern step starts a person's name with.

    One name a line: name, best rank (names-dataset, lower is more common) and `common` when the
    name is also an English word. Latin script, capitalized, letters (and inner hyphens or
    apostrophes) only. Not a `.tsv`, so the entity loader does not read it.
    """
    ranks = load_best_ranks(data / "names" / "first_names.tsv", "")
    rows = []
    for name, rank in ranks.items():
        if rank > GIVEN_NAME_RANK or len(name) < 2 or not name[0].isupper() or not is_latin(name):
            continue
        if not re.fullmatch(r"[^\W\d_]+(?:['\-][^\W\d_]+)*", name) or name.isupper():
            continue
        folded = fold(name)
        if folded in GIVEN_NAME_EXCLUDED:
            continue
        common = folded in common_words
        if common and rank > GIVEN_NAME_COMMON_WORD_RANK:
            continue
        rows.append((name, rank, common))
    rows.sort(key=lambda row: (row[1], row[0]))
    with (out_dir / "given-names.txt").open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("# Given names for the name-pattern step, from names-dataset 3.3.1 (MIT); built by\n"
                     "# Scripts/build_gazetteers.py. Columns: name, best rank in some country, `common` if also an\n"
                     "# English word.\n")
        for name, rank, common in rows:
            handle.write(f"{name}\t{rank}\t{'common' if common else ''}\n".replace("\t\n", "\n"))
    stats["given_names"] = len(rows)
    stats["given_names_common_word"] = sum(1 for row in rows if row[2])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", nargs="?", default=str(DEFAULT_DATA_DIR), help="shared data folder")
    parser.add_argument("--out", default=str(DEFAULT_OUT_DIR), help="output folder (default Gazetteers/)")
    parser.add_argument("--check", action="store_true", help="only validate the built TSVs")
    args = parser.parse_args(argv)
    out_dir = Path(args.out)
    if not args.check:
        data = Path(args.data)
        if not (data / "geonames").is_dir():
            print(f"error: {data}: not the shared data folder (no geonames/)", file=sys.stderr)
            return 2
        try:
            stats = build(data, out_dir)
        except GazetteerBuildError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        for key in sorted(stats):
            print(f"{key}: {stats[key]}")
    problems = check_gazetteers(out_dir)
    for problem in problems[:50]:
        print(f"problem: {problem}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {out_dir}", file=sys.stderr)
        return 1
    print(count_report(out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
