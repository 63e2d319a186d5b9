"""Package discovery that pyproject.toml cannot express: every ``reader.*`` package, found without a
hand-kept list, plus the two data packages mapped in pyproject.toml: ``reader.seeds`` (the top-level
``seeds/``) and ``reader.resources`` (``resources/desktop/``: icon, .desktop entry, AppStream metainfo)."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["reader", "reader.*"]), "reader.seeds", "reader.resources"])
