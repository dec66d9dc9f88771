"""sqlfluff plugin: this project's SQL rules that sqlfluff does not ship.

Registered through the ``sqlfluff`` entry point in pyproject.toml, so every
``sqlfluff`` run in the project's environment (CLI, pre-commit, editors) loads it.
"""

from sqlfluff.core.plugin import hookimpl
from sqlfluff.core.rules import BaseRule


@hookimpl
def get_rules() -> list[type[BaseRule]]:
    """The plugin's rules (imported here, once sqlfluff has loaded every plugin)."""
    from tools.sqlfluff_rules.implicit_join import Rule_Warehouse_CJ01

    return [Rule_Warehouse_CJ01]
