"""The module names that models saved by earlier versions of skxor refer to.

A pickle (or a skops file) names each class by the module it was defined
in. skxor 0.1.0 kept its update rules and schedules in top-level modules
(``skxor._update_rules``, and before that ``skxor._solvers``) that the
second cut of the fit machinery moved into ``skxor.training``. Those names
stay importable, as aliases of the modules that hold the classes now, so
that saved models keep loading; nothing else imports them.
"""

import importlib
import sys

SAVED_NAMES = {
    "skxor._update_rules": "skxor.training.update_rules",
    "skxor._solvers": "skxor.training.update_rules",
    "skxor._schedules": "skxor.training.schedules",
}
"""An old module name that saved models may hold, to the module that answers for it."""


def register():
    """Make every old name in ``SAVED_NAMES`` import as the module that replaced it."""
    for old, new in SAVED_NAMES.items():
        sys.modules.setdefault(old, importlib.import_module(new))
