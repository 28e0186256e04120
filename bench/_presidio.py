"""Run Microsoft Presidio's analyzer over notes (JSON list on stdin); print, as JSON,
whether each note had any entity found. Run by bench/detection.py in an interpreter that
has presidio-analyzer (its own venv: it pins spaCy).

Presidio's default NLP engine needs a spaCy model (en_core_web_lg), which is downloaded
at run time; none is installed here, so the analyzer runs with its predefined pattern
recognizers only, behind a stub NLP engine that returns no tokens or entities.
"""

from __future__ import annotations

import json
import sys


def main() -> None:
    notes = json.load(sys.stdin)
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngine

    try:
        import spacy

        spacy.load("en_core_web_lg")
        note = "spaCy model en_core_web_lg"
        engine = AnalyzerEngine()
    except Exception:

        class NoNlp(NlpEngine):
            def load(self) -> None: ...
            def is_loaded(self) -> bool:
                return True

            def process_text(self, text, language):  # type: ignore[no-untyped-def]
                return NlpArtifacts([], [], [], [], None, language)

            def process_batch(self, texts, language, **kw):  # type: ignore[no-untyped-def]
                for t in texts:
                    yield t, self.process_text(t, language)

            def is_stopword(self, word, language):  # type: ignore[no-untyped-def]
                return False

            def is_punct(self, word, language):  # type: ignore[no-untyped-def]
                return False

            def get_supported_entities(self):  # type: ignore[no-untyped-def]
                return []

            def get_supported_languages(self):  # type: ignore[no-untyped-def]
                return ["en"]

        registry = RecognizerRegistry()
        registry.load_predefined_recognizers()
        engine = AnalyzerEngine(registry=registry, nlp_engine=NoNlp(), supported_languages=["en"])
        note = "no spaCy model: predefined pattern recognizers only"
    flags = [bool(engine.analyze(text=n, language="en")) for n in notes]
    print(json.dumps({"flags": flags, "note": note}))


if __name__ == "__main__":
    main()
