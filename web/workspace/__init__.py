"""The coordinator workspace: map and maintain processes, activities, roles and documents.

Every module of this package that defines a blueprint ``bp`` is registered; each feature's
pages live in a module of their own.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint, Flask


def init_app(app: Flask) -> None:
    """Register the blueprint of every module in this package."""
    for module in pkgutil.iter_modules(__path__):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        blueprint = getattr(loaded, "bp", None)
        if isinstance(blueprint, Blueprint):
            app.register_blueprint(blueprint)
