"""Deprecated import path, kept for one release: use :mod:`policyrules.views.plots`."""

from policyrules.views.plots import *  # noqa: F403
