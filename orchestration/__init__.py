"""Orchestration: the Airflow DAGs (``orchestration/dags``) and the blue-green deploy.

Installed with the ``orchestration`` dependency group (``make airflow``, ``make test``);
the core install does not need Airflow.
"""
