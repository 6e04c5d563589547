"""Shared test settings: messages in English whatever the machine's locale (the Chinese
messages have tests of their own that ask for them)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
