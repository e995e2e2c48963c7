"""Where the lines live: a DuckDB database, Parquet files, an Ibis table or a Spark DataFrame.

:func:`engine_table` turns any of them into an Ibis table, an expression
that no engine has run yet: the kit's aggregations (:mod:`.orders`) are
written once against it, and Ibis compiles them to the engine's SQL. Only
the small per-customer results come back to pandas.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from relmark_lab.errors import DataError
from relmark_lab.i18n import gettext as _

__all__ = ["DUCKDB_MEMORY_LIMIT", "DUCKDB_SUFFIXES", "PARQUET_SUFFIXES", "duckdb_connection",
           "engine_table", "is_engine_source"]

DUCKDB_SUFFIXES = (".duckdb", ".db", ".ddb")
#: The memory a DuckDB connection the kit opens may use before it spills to disk
#: (DuckDB's own default is 80% of the machine's memory); the environment variable
#: RELMARK_DUCKDB_MEMORY_LIMIT overrides it, e.g. "8GB".
DUCKDB_MEMORY_LIMIT = "2GB"
PARQUET_SUFFIXES = (".parquet", ".pq")
_views = itertools.count()


def _is_spark(source: Any) -> bool:
    return type(source).__module__.startswith("pyspark.sql") and hasattr(source, "sparkSession")


def _is_duckdb_connection(source: Any) -> bool:
    return type(source).__module__.startswith("duckdb") and hasattr(source, "execute")


def is_engine_source(source: Any) -> bool:
    """True when ``source`` is read by an engine rather than loaded into pandas.

    Engine sources: an Ibis table, a DuckDB connection, a Spark DataFrame, a
    DuckDB database file, a Parquet file or a folder of them.

    Examples
    --------
    >>> is_engine_source("sales.parquet"), is_engine_source(pd.DataFrame())
    (True, False)
    """
    if isinstance(source, ir.Table) or _is_spark(source) or _is_duckdb_connection(source):
        return True
    if isinstance(source, (str, Path)):
        path = Path(source)
        return path.suffix.lower() in DUCKDB_SUFFIXES + PARQUET_SUFFIXES or (
            path.is_dir() and any(path.rglob("*.parquet")))
    return False


def engine_table(source: Any, query: str | None = None,
                 columns: Mapping[str, str] | None = None) -> Any:
    """The lines of ``source`` as an Ibis table, columns renamed to the kit's names.

    Parameters
    ----------
    source : ibis Table, duckdb connection, pyspark DataFrame, or path
        A path is a DuckDB database (``.duckdb``, ``.db``, ``.ddb``, read
        only, with ``query``), a Parquet file, or a folder of Parquet files
        (hive partitions such as ``year=2024/`` become columns).
    query : str, optional
        SQL selecting the lines, for a DuckDB database or connection.
    columns : dict, optional
        Canonical name -> the source's column name, e.g.
        ``{"customer_id": "CustomerID", "date": "InvoiceDate"}``.

    Returns
    -------
    ibis.expr.types.Table

    Raises
    ------
    DataError
        A source of another kind, a missing file, a database without a
        query, a query that fails, or a column of ``columns`` that is not there.

    Examples
    --------
    >>> import ibis
    >>> lines = ibis.memtable({"Cliente": ["a"], "date": ["2024-01-01"], "amount": [5.0]})
    >>> engine_table(lines, columns={"customer_id": "Cliente"}).columns
    ('customer_id', 'date', 'amount')
    """
    if isinstance(source, ir.Table):
        table = source
    elif _is_spark(source):
        # Ibis sets the session's clock to UTC; Spark reads a timestamp's day on the session's
        # clock (the one df.show() prints), so the user's is put back.
        session = source.sparkSession
        clock = session.conf.get("spark.sql.session.timeZone")
        connection = ibis.pyspark.connect(session)
        session.conf.set("spark.sql.session.timeZone", clock)
        name = f"relmark_lines_{next(_views)}"
        source.createOrReplaceTempView(name)
        table = connection.table(name)
    elif _is_duckdb_connection(source):
        table = _query(ibis.duckdb.from_connection(source), query, _("the DuckDB connection"))
    elif isinstance(source, (str, Path)):
        table = _from_path(Path(source), query)
    else:
        raise DataError(_("An engine reads an Ibis table, a DuckDB database or connection, "
                          "Parquet files or a Spark DataFrame, not a {kind}.")
                        .format(kind=type(source).__name__))
    if query is not None and not (_is_duckdb_connection(source) or isinstance(source, (str, Path))
                                  and Path(source).suffix.lower() in DUCKDB_SUFFIXES):
        raise DataError(_("query= selects rows of a DuckDB database; this source is read as "
                          "it is. Leave the query out (filter the table first)."))
    return _renamed(table, columns)


def duckdb_connection(database: str | Path = ":memory:", *, read_only: bool = False) -> Any:
    """A DuckDB connection as the kit opens one: a bounded memory limit, spilling to a
    temporary folder beyond it, so that a lake larger than memory is still aggregated.

    Examples
    --------
    >>> duckdb_connection().raw_sql("select current_setting('memory_limit')").fetchone()[0]
    '1.8 GiB'
    """
    limit = os.environ.get("RELMARK_DUCKDB_MEMORY_LIMIT", DUCKDB_MEMORY_LIMIT)
    spill = Path(tempfile.gettempdir()) / "relmark_duckdb"
    try:
        return ibis.duckdb.connect(str(database), read_only=read_only, memory_limit=limit,
                                   temp_directory=str(spill))
    except Exception as exc:  # a bad limit, a locked or damaged database
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(_("DuckDB could not open {database} (memory_limit {limit!r}): {error}")
                        .format(database=database, limit=limit, error=first)) from exc


def _from_path(path: Path, query: str | None) -> Any:
    if not path.exists():
        raise DataError(_("File not found: '{path}'. Check the path (the current folder is "
                          "'{folder}').").format(path=path, folder=Path.cwd()))
    if path.suffix.lower() in DUCKDB_SUFFIXES:
        return _query(duckdb_connection(path, read_only=True), query, f"'{path.name}'")
    if path.is_dir():
        files = sorted(path.rglob("*.parquet"))
        if not files:
            raise DataError(_("The folder '{path}' holds no .parquet file.").format(path=path))
        pattern = str(path / "**" / "*.parquet")
        hive = any("=" in part for f in files for part in f.relative_to(path).parts[:-1])
        return duckdb_connection().read_parquet(pattern, hive_partitioning=hive)
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return duckdb_connection().read_parquet(str(path))
    raise DataError(_("'{name}' is neither a DuckDB database nor Parquet; read it with "
                      "rl.read_transactions first.").format(name=path.name))


def _query(connection: Any, query: str | None, where: str) -> Any:
    if not query:
        raise DataError(_("{where} is a DuckDB database: pass the lines as a query, e.g. "
                          "query=\"select * from sales\".").format(where=where))
    try:
        return connection.sql(query)
    except Exception as exc:  # duckdb's and ibis' parse and catalog errors alike
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(_("The query on {where} failed: {error}").format(where=where,
                                                                          error=first)) from exc


def _renamed(table: Any, columns: Mapping[str, str] | None) -> Any:
    if not columns:
        return table
    if not isinstance(columns, Mapping):
        raise DataError(_('columns= must map the kit\'s names to yours, e.g. '
                          '{{"customer_id": "CustomerID"}}.').format())
    missing = [theirs for theirs in columns.values() if theirs not in table.columns]
    if missing:
        raise DataError(_("columns= names {missing}, which the source does not have. Its "
                          "columns: {columns}.").format(
                              missing=", ".join(map(repr, missing)),
                              columns=", ".join(map(repr, table.columns))))
    return table.rename({ours: theirs for ours, theirs in columns.items() if ours != theirs})


def fetch(expression: Any) -> pd.DataFrame:
    """Run an expression and return pandas (the engine's errors as one sentence)."""
    try:
        return expression.to_pandas()
    except DataError:
        raise
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DataError(_("The engine could not run the aggregation: {error}")
                        .format(error=first[:300])) from exc
