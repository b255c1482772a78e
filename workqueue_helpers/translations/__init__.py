"""Translations of what the package prints and draws, one module per language (see ``language.py``)."""
