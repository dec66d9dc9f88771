"""The dbt project's conventions, checked in CI (``make lint-dbt``).

* :mod:`tools.dbt_conventions.rules`: dbt-score rules over ``manifest.json``
  (naming by layer, grain stated, primary-key test, who may read sources and staging,
  where each model is documented, sources fully declared);
* :mod:`tools.dbt_conventions.layout`: one YAML per model folder (a file-tree check);
* :mod:`tools.dbt_conventions.exceptions`: the written-down exceptions
  (``conventions_exceptions.yml``), each with its reason.

Run ``python -m tools.dbt_conventions --parse`` (what ``make lint-dbt`` does).
"""
