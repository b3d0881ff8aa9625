"""The coordinator workspace: map and maintain processes, activities, roles and documents.

Every module of this package that defines a blueprint ``bp`` is registered; each feature's
pages live in a module of their own.
"""

from __future__ import annotations

import importlib
import pkgutil

from flask import Blueprint, Flask

from qms.services.access import Permission
from web.services import current_actor


def init_app(app: Flask) -> None:
    """Register the blueprint of every module in this package; tell templates who may edit."""
    app.context_processor(
        lambda: {
            "may_edit_processes": current_actor().can(Permission.EDIT_PROCESSES),
            "may_approve_documents": current_actor().can(Permission.APPROVE_DOCUMENTS),
        }
    )
    for module in pkgutil.iter_modules(__path__):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        blueprint = getattr(loaded, "bp", None)
        if isinstance(blueprint, Blueprint):
            app.register_blueprint(blueprint)
