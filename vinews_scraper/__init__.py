"""vinews: archive the news of Vietnamese district government portals."""

__version__ = "0.1.0"
