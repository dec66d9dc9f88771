"""No implicit joins: tables in a ``from`` clause are joined with an explicit join."""

import re

from sqlfluff.core.parser import BaseSegment
from sqlfluff.core.rules import BaseRule, LintResult, RuleContext
from sqlfluff.core.rules.crawlers import SegmentSeekerCrawler

#: A comma may introduce these (a lateral table function, as Snowflake writes
#: ``from t, lateral flatten(...)``): they are not joins of two tables.
TABLE_FUNCTION_KEYWORDS = {"LATERAL", "UNNEST", "TABLE"}


class Rule_Warehouse_CJ01(BaseRule):
    """Implicit join: tables listed with commas in a ``from`` clause.

    **Anti-pattern**

    .. code-block:: sql

        select orders.order_id, customers.customer_name
        from orders, customers
        where orders.customer_id = customers.customer_id

    **Best practice**

    Name the join type and its condition.

    .. code-block:: sql

        select orders.order_id, customers.customer_name
        from orders
        inner join customers
            on orders.customer_id = customers.customer_id
    """

    name = "warehouse.implicit_join"
    aliases = ()
    groups: tuple[str, ...] = ("all", "warehouse")
    crawl_behaviour = SegmentSeekerCrawler({"from_clause"})
    is_fix_compatible = False

    def _eval(self, context: RuleContext) -> list[LintResult] | None:
        """Flag each comma between two ``from`` expressions."""
        segments = list(context.segment.segments)
        results = []
        for position, segment in enumerate(segments):
            if not segment.is_type("comma"):
                continue
            following = next((s for s in segments[position + 1 :] if s.is_code), None)
            if following is not None and _is_table_function(following):
                continue
            results.append(
                LintResult(
                    anchor=segment,
                    description="Implicit join: join the tables with an explicit "
                    "`<type> join ... on ...`, not a comma.",
                )
            )
        return results or None


def _is_table_function(expression: BaseSegment) -> bool:
    """A lateral or table-function expression (``lateral flatten(...)``, ``unnest(...)``)."""
    words = re.split(r"[\s(]+", expression.raw_upper.strip(), maxsplit=1)
    if words and words[0] in TABLE_FUNCTION_KEYWORDS:
        return True
    table = next(expression.recursive_crawl("table_expression"), None)
    return table is not None and table.get_child("function") is not None
