"""Package discovery that pyproject.toml cannot express: every ``reader.*`` package, found without a
hand-kept list, plus ``reader.seeds`` (mapped from the top-level ``seeds/`` folder in pyproject.toml)."""

from setuptools import find_packages, setup

setup(packages=[*find_packages(include=["reader", "reader.*"]), "reader.seeds"])
