"""Ships the repository's top-level ``schemas/`` (the policy pack) inside the wheel as
``redaction/schemas``, where ``redaction.pack`` finds it with importlib.resources.

``schemas/`` stays the one source. An editable install copies nothing: it reads the
repository's files, so an edit takes effect at once. Everything else about the build is
declared in ``pyproject.toml``.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PACK = Path(__file__).resolve().parent / "schemas"


class BuildPyWithPack(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        if not (PACK / "policy.yaml").is_file():
            raise SystemExit(f"{PACK}/policy.yaml is missing: the wheel would ship no policy")
        target = Path(self.build_lib) / "redaction" / "schemas"
        for src in sorted(PACK.rglob("*.yaml")):
            dest = target / src.relative_to(PACK)
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.copy_file(str(src), str(dest))


setup(cmdclass={"build_py": BuildPyWithPack})
