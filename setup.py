"""Kept for Scrapyd: ``scrapyd-deploy`` builds the project egg with ``python setup.py bdist_egg``.

Everything (packages, package data, the ``scrapy`` settings entry point) is in pyproject.toml;
without this file scrapyd-deploy would write a setup.py of its own that packs no package data.
"""

from setuptools import setup

setup()
