"""Time clv.summarize and rfm.rfm_table through DuckDB on a Parquet lake, and the pandas path.

Run from the repository root, on a lake written by ``make_lake.py``::

    python benchmarks/make_lake.py 100M            # -> /tmp/relmark_lake_100000000
    python benchmarks/bench_engines.py /tmp/relmark_lake_100000000

Every figure comes from a fresh Python process, so its peak resident memory
(``ru_maxrss``, the kernel's count, imports included) is that call's alone:

1. ``clv.summarize(PATH, END)`` and ``rfm.rfm_table(PATH, END)`` through
   DuckDB, with wall time and peak memory (target: under 4 GiB resident);
2. ``clv.summarize(PATH, END, compress=True)``, then ``clv.BetaGeoNBD().fit``
   on the patterns: customers, patterns, the time of each step (target: the
   fit in seconds, under 10 s);
3. the pandas path at the largest size it manages: whole months from the
   lake's start, about 10M, 30M lines... (``--pandas-rows``), read into one
   DataFrame and passed to both functions, each next to DuckDB on the same
   files, so the ratio pandas / DuckDB compares like with like. A step stops
   the climb when it fails or passes ``--pandas-limit`` GiB resident (the run
   is stopped there, so a shared machine does not run out of memory).

DuckDB runs as a user gets it (``engine_table`` on the path: default memory
limit, 80% of RAM, and one thread per core) unless ``--memory-limit`` or
``--threads`` are given: then the script opens the connection itself and
passes its Ibis table, and says so. Prints the machine's load before and
after, as the figures depend on what else runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_lake import END, parse_count  # noqa: E402

GIB = 2**30
MEMORY_TARGET = 4 * GIB
FIT_TARGET = 10.0  # seconds


def peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def lake_files(path: Path) -> list[Path]:
    """The lake's Parquet files in time order (year, then month, by number)."""
    def key(file: Path) -> tuple:
        parts = dict(p.split("=", 1) for p in file.relative_to(path).parts[:-1] if "=" in p)
        return tuple(int(v) if v.isdigit() else v for v in parts.values()), str(file)
    return sorted(path.rglob("*.parquet"), key=key)


def first_months(path: Path, rows: int) -> tuple[list[str], int]:
    """Whole files from the lake's start until they hold at least ``rows`` lines."""
    import pyarrow.parquet as pq

    chosen, total = [], 0
    for file in lake_files(path):
        if total >= rows:
            break
        chosen.append(str(file))
        total += pq.ParquetFile(file).metadata.num_rows
    return chosen, total


# --- what runs in the child process -------------------------------------------------------

def duckdb_source(args: argparse.Namespace, files: list[str] | None = None):
    """The path as a user passes it, or an Ibis table on a connection set up here."""
    if files is None and not (args.memory_limit or args.threads):
        return str(args.path)
    import ibis

    config = {k: v for k, v in (("memory_limit", args.memory_limit),
                                ("threads", args.threads)) if v}
    connection = ibis.duckdb.connect(**config)
    pattern = files if files is not None else str(args.path / "**" / "*.parquet")
    return connection.read_parquet(pattern, hive_partitioning=True)


def read_pandas(files: list[str]):
    """The lines of ``files`` as read_transactions gives them: text ids, datetimes, floats."""
    import pyarrow.parquet as pq

    table = pq.read_table(files, columns=["customer_id", "order_id", "date", "amount"])
    frame = table.to_pandas()
    del table
    for column in ("customer_id", "order_id"):
        if frame[column].dtype != "str":  # integer ids of a lake written with --int-ids
            frame[column] = frame[column].astype("Int64").astype("str")
    return frame


def child(args: argparse.Namespace) -> dict:
    from relmark_lab import clv, rfm

    task, found = args.child, {}
    files = first_months(args.path, args.rows)[0] if args.rows else None
    if task.startswith("pandas"):
        started = time.perf_counter()
        source = read_pandas(files)
        found.update(read_seconds=time.perf_counter() - started, read_peak=peak_bytes())
    else:
        source = duckdb_source(args, files)
    found["base_peak"] = peak_bytes()  # imports (and the read frame, for pandas)
    started = time.perf_counter()
    if task.endswith("clv"):
        result = clv.summarize(source, args.end)
        found["customers"] = len(result)
    elif task.endswith("rfm"):
        result = rfm.rfm_table(source, args.end)
        found["customers"] = len(result)
    else:  # patterns, then the fit
        result = clv.summarize(source, args.end, compress=True)
        found.update(patterns=len(result), customers=int(result["weights"].sum()))
        found["summarize_seconds"] = time.perf_counter() - started
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit_start = time.perf_counter()
            model = clv.BetaGeoNBD().fit(result)
            found["fit_seconds"] = time.perf_counter() - fit_start
        found["params"] = {k: round(float(v), 4) for k, v in model.params_.items()}
    found["seconds"] = time.perf_counter() - started
    found["peak"] = peak_bytes()
    found["totals"] = totals(result)
    found["lines_after_end"] = int(result.attrs.get("lines_after_observation_end", -1))
    return found


def totals(result) -> list[float]:
    """Column sums of the numeric results: equal sums say the two paths agree."""
    numbers = result.select_dtypes("number").drop(columns=["weights"], errors="ignore")
    if "weights" in result:
        numbers = numbers.mul(result["weights"], axis=0)
    return [round(float(v), 4) for v in numbers.sum()]


# --- the parent: one child per figure ------------------------------------------------------

def measure(args: argparse.Namespace, task: str, rows: int = 0) -> dict:
    """Run ``task`` in a fresh process, stopping it above ``--pandas-limit`` GiB resident."""
    command = [sys.executable, __file__, str(args.path), "--child", task, "--end", args.end,
               "--rows", str(rows)]
    if args.memory_limit:
        command += ["--memory-limit", args.memory_limit]
    if args.threads:
        command += ["--threads", str(args.threads)]
    limit = args.pandas_limit * GIB if task.startswith("pandas") else None
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    stopped = _watch(process, limit)
    output = process.stdout.read()
    process.wait()
    if stopped:
        return {"failed": f"stopped above {args.pandas_limit:g} GiB resident after "
                          f"{time.perf_counter() - started:.0f} s"}
    if process.returncode:
        return {"failed": f"exit code {process.returncode}"}
    return json.loads(output.strip().splitlines()[-1])


def _watch(process: subprocess.Popen, limit: float | None) -> bool:
    """Poll the child's resident memory; stop it above ``limit`` bytes."""
    if limit is None:
        return False
    try:
        import psutil
    except ImportError:  # no watchdog: the child runs to its end or to the kernel's limit
        return False
    watched = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            if watched.memory_info().rss > limit:
                process.kill()
                return True
        except psutil.NoSuchProcess:
            break
        time.sleep(0.2)
    return False


def gib(value: float) -> str:
    return f"{value / GIB:5.2f} GiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def report_engine(name: str, found: dict) -> None:
    if "failed" in found:
        print(f"{name}: failed ({found['failed']})")
        return
    print(f"{name}: {found['seconds']:7.1f} s, peak resident {gib(found['peak'])} "
          f"(after imports {gib(found['base_peak'])}), {found['customers']:,} customers "
          f"-- memory target < 4 GiB: {verdict(found['peak'] < MEMORY_TARGET)}")


def pandas_ladder(args: argparse.Namespace, total_rows: int, whole_lake: dict) -> None:
    """The pandas path at growing sizes; DuckDB's figures on the whole lake are reused."""
    print("\npandas path next to DuckDB on the same files (whole months from the start):")
    for wanted in args.pandas_rows:
        files, rows = first_months(args.path, min(wanted, total_rows))
        stop = False
        for function in ("clv", "rfm"):
            ours = measure(args, f"pandas_{function}", rows)
            label = "clv.summarize" if function == "clv" else "rfm.rfm_table"
            if "failed" in ours:
                print(f"  {rows:>12,} lines, {label}: pandas {ours['failed']}", flush=True)
                stop = True
                continue
            engine = (whole_lake[function] if rows == total_rows
                      else measure(args, f"duckdb_{function}", rows))
            line = (f"  {rows:>12,} lines, {label}: pandas {ours['seconds']:6.1f} s "
                    f"(+{ours['read_seconds']:.1f} s to read), peak {gib(ours['peak'])} "
                    f"(frame read {gib(ours['read_peak'])})")
            if "failed" not in engine:
                line += (f" | DuckDB {engine['seconds']:6.1f} s, peak {gib(engine['peak'])}"
                         f" | pandas / DuckDB time {ours['seconds'] / engine['seconds']:.1f}x"
                         f" | same sums: {'yes' if ours['totals'] == engine['totals'] else 'NO'}")
            print(line, flush=True)
        if stop or rows >= total_rows:
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="a lake folder written by make_lake.py")
    parser.add_argument("--end", default=END, help=f"observation end (default {END})")
    parser.add_argument("--pandas-rows", default="10M,30M,100M",
                        type=lambda t: [parse_count(x) for x in t.split(",") if x],
                        help="sizes the pandas path climbs (empty: skip it)")
    parser.add_argument("--pandas-limit", type=float, default=12.0,
                        help="GiB resident at which a pandas step is stopped")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 3GB")
    parser.add_argument("--threads", type=int, help="DuckDB threads")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return
    if not args.path.is_dir() or not lake_files(args.path):
        raise SystemExit(f"{args.path} holds no Parquet files; write one with make_lake.py.")
    import pyarrow.parquet as pq

    total_rows = sum(pq.ParquetFile(f).metadata.num_rows for f in lake_files(args.path))
    size = sum(f.stat().st_size for f in lake_files(args.path))
    print(f"lake {args.path}: {total_rows:,} lines, {gib(size)} on disk; observation end "
          f"{args.end}; {os.cpu_count()} cores; load before: {os.getloadavg()}")
    setting = ", ".join(f"{k}={v}" for k, v in (("memory_limit", args.memory_limit),
                                                ("threads", args.threads)) if v)
    print(f"DuckDB: {setting or 'as a user gets it (the path passed directly)'}")
    whole_lake = {"clv": measure(args, "duckdb_clv"), "rfm": measure(args, "duckdb_rfm")}
    report_engine("DuckDB clv.summarize", whole_lake["clv"])
    report_engine("DuckDB rfm.rfm_table", whole_lake["rfm"])
    found = measure(args, "duckdb_patterns")
    if "failed" in found:
        print(f"DuckDB clv.summarize(compress=True): failed ({found['failed']})")
    else:
        print(f"DuckDB clv.summarize(compress=True): {found['summarize_seconds']:7.1f} s, "
              f"{found['customers']:,} customers in {found['patterns']:,} patterns; "
              f"BetaGeoNBD.fit: {found['fit_seconds']:.2f} s {found['params']} -- fit target "
              f"< {FIT_TARGET:g} s: {verdict(found['fit_seconds'] < FIT_TARGET)}; "
              f"peak {gib(found['peak'])}")
    if args.pandas_rows:
        pandas_ladder(args, total_rows, whole_lake)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
