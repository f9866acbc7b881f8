#!/usr/bin/env python3
"""Extract the translated ISO 3166 names of Debian's `iso-codes` into Scripts/gazetteer_data/.

Usage:
    python3 Scripts/extract_iso_translations.py [LOCALE_DIR]

LOCALE_DIR defaults to /usr/share/locale, where Debian's `iso-codes` package (4.15, the version the
shared data's `iso-codes/*.json` come from) installs one gettext catalog per language and standard:
`<lang>/LC_MESSAGES/iso_3166-1.mo` (countries), `iso_3166-2.mo` (subdivisions), `iso_3166-3.mo`
(former countries). Each catalog maps an English ISO name to its name in that language.

The result, `Scripts/gazetteer_data/iso_3166_translations.tsv`, is committed so that
`build_gazetteers.py` needs only the shared data folder and the repository: one row per distinct
(standard, English name, translated name), with the languages that give that translation. Names
identical to the English one are left out. Standard library only; the output is sorted, so the same
catalogs give the same file.
"""
from __future__ import annotations

import gettext
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parent / "gazetteer_data" / "iso_3166_translations.tsv"
DOMAINS = ("iso_3166-1", "iso_3166-2", "iso_3166-3")


def clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("|", " ").replace("\t", " ").split())


def main(argv: list[str]) -> int:
    locale_dir = Path(argv[0]) if argv else Path("/usr/share/locale")
    rows: dict[tuple[str, str, str], set[str]] = {}
    catalogs = 0
    for domain in DOMAINS:
        for path in sorted(locale_dir.glob(f"*/LC_MESSAGES/{domain}.mo")):
            language = path.parent.parent.name
            with path.open("rb") as handle:
                catalog = gettext.GNUTranslations(handle)._catalog  # msgid -> msgstr
            catalogs += 1
            for english, translated in catalog.items():
                if not english or not isinstance(english, str) or not isinstance(translated, str):
                    continue
                english, translated = clean(english), clean(translated)
                if translated and translated != english:
                    rows.setdefault((domain.replace("iso_", ""), english, translated), set()).add(language)
    if not catalogs:
        print(f"error: {locale_dir}: no iso_3166 catalogs (is Debian's iso-codes installed?)", file=sys.stderr)
        return 1
    lines = ["# Translated ISO 3166 names from Debian iso-codes 4.15 (LGPL-2.1), extracted by",
             "# Scripts/extract_iso_translations.py from /usr/share/locale/*/LC_MESSAGES/iso_3166-*.mo.",
             "standard\tenglish\ttranslation\tlanguages"]
    for (standard, english, translated), languages in sorted(rows.items()):
        lines.append(f"{standard}\t{english}\t{translated}\t{','.join(sorted(languages))}")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{catalogs} catalogs, {len(rows)} translations -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
