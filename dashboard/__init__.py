"""Lägesbild: a situational-picture dashboard for police and municipalities."""

from pathlib import Path

#: The repository root: queries/ and pages/ live beside the package.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
