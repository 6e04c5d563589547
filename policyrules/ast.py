"""Deprecated import path, kept for one release: use :mod:`policyrules.syntax.ast`."""

from policyrules.syntax.ast import *  # noqa: F403
