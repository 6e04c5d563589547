"""The compiled plan of :mod:`policyrules.engine.sql` run on Apache Spark (`--engine spark`).

Needs the `spark` extra (`pip install 'policyrules[spark]'`) and a Java runtime; nothing else
in policyrules imports PySpark."""
