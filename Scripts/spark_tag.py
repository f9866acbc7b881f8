#!/usr/bin/env python3
"""Tags a folder of JSON-lines articles with Spark: every partition is piped through one
`gazette stream` process, and the tag lines (one JSON line per article, in the partition's input
order) are written as text files. Store them with `gazette load OUTPUT_DIR/part-*`.

    python3 Scripts/spark_tag.py INPUT OUTPUT_DIR [--gazette PATH] [--gazette-home DIR]
        [--master local[2]] [--partitions N] [--jobs-per-task N]

INPUT is a folder (every file in it not starting with `_` or `.`), a file or a glob, in any file
system Spark reads (local, hdfs://, s3a://...). Each input line is an article object with `text`
and optionally `id`, `title`, `date` and other fields (see `gazette stream --help`).

Locally, --gazette defaults to the release build of this checkout and the binary finds its own
Pipeline.yaml, Gazetteers/ and Models/. On a cluster, ship them (see README "Running on Spark"):
relative --gazette and --gazette-home paths are looked up on each executor in its working directory
(where YARN and Kubernetes unpack `--archives x.tar.gz#name`), then in Spark's file root (where
`--files` land and where local mode unpacks archives), then (for the binary) on PATH.

Error records ({"id", "line", "error"}: a line that is not an article; "line" counts the lines of
the partition, not of the input file) are kept in the output like any other line; the job counts them at the end, prints the first few on stderr and exits 0, as
`gazette stream` does. A gazette process that fails (missing binary or config, a crash) fails its
task with its stderr in the message, and Spark retries or stops the job.
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_LOCAL_BINARY = os.path.join(REPO, ".build", "release", "gazette")


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="spark_tag.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input", help="JSON-lines articles: a folder, a file or a glob")
    parser.add_argument("output", help="folder to write the tag lines into (must not exist)")
    parser.add_argument("--gazette", default=None,
                        help="the gazette binary: a path, or a name shipped with --files/--archives "
                             f"(default: {os.path.relpath(DEFAULT_LOCAL_BINARY)} if built, else gazette on PATH)")
    parser.add_argument("--gazette-home", default=None,
                        help="folder with Pipeline.yaml, Gazetteers/ and Models/, passed to gazette as "
                             "GAZETTE_HOME (default: what the binary finds beside itself)")
    parser.add_argument("--master", default=None,
                        help="Spark master, e.g. local[2] (default: local[2], or what spark-submit sets)")
    parser.add_argument("--partitions", type=int, default=None,
                        help="minimum number of input partitions, i.e. gazette processes (default: Spark's)")
    parser.add_argument("--jobs-per-task", type=int, default=1,
                        help="--jobs of each gazette stream process (default 1: Spark already runs one task per core)")
    parser.add_argument("--show-errors", type=int, default=10, help="error records to print at the end (default 10)")
    args = parser.parse_args(argv)
    if args.partitions is not None and args.partitions < 1:
        parser.error("--partitions must be at least 1")
    if args.jobs_per_task < 1:
        parser.error("--jobs-per-task must be at least 1")
    return args


def has_scheme(path):
    return "://" in path


def resolve_local_setup(args):
    """On the driver, in local mode: make --gazette and --gazette-home absolute and return the
    reason they cannot work (None when they can), so a missing binary or home fails once, with a
    message that says what to do, instead of once per partition."""
    if args.gazette is None:
        args.gazette = DEFAULT_LOCAL_BINARY if os.path.exists(DEFAULT_LOCAL_BINARY) else "gazette"
    if os.sep in args.gazette:
        binary = os.path.abspath(args.gazette)
        if not os.path.isfile(binary):
            return f"{binary}: no gazette binary here; build it with `swift build -c release` or pass --gazette PATH"
        if not os.access(binary, os.X_OK):
            return f"{binary}: not executable"
        args.gazette = binary
    elif shutil.which(args.gazette) is None:
        return f"no `{args.gazette}` on PATH; build it with `swift build -c release` or pass --gazette PATH"
    if args.gazette_home is not None:
        home = os.path.abspath(args.gazette_home)
        if not os.path.isfile(os.path.join(home, "Pipeline.yaml")):
            return (f"{home}: no Pipeline.yaml in this --gazette-home folder "
                    "(it needs Pipeline.yaml, Gazetteers/ and Models/)")
        args.gazette_home = home
    return None


def check_paths(args):
    """Input and output checks that Spark would only make after starting (local paths only)."""
    if not has_scheme(args.output) and os.path.exists(args.output):
        return f"{args.output}: already exists; give a new output folder"
    if not has_scheme(args.input) and not any(ch in args.input for ch in "*?[") and not os.path.exists(args.input):
        return f"{args.input}: no such file or folder"
    return None


def locate_on_executor(name, kind, search_path):
    """Where `name` (a path given on the driver) is on this executor: as given (absolute, or
    relative to the working directory, where YARN/Kubernetes unpack --archives), then under Spark's
    file root (--files, and --archives in local mode), then on PATH for the binary. Runs on the
    executor because only there are SparkFiles and the working directory known."""
    from pyspark import SparkFiles
    tried = []
    candidates = [name] if os.path.isabs(name) else [
        os.path.abspath(name), os.path.join(SparkFiles.getRootDirectory(), name)]
    for candidate in candidates:
        tried.append(candidate)
        if os.path.exists(candidate):
            return candidate
    if search_path and os.sep not in name:
        found = shutil.which(name)
        if found:
            return found
        tried.append(f"{name} on PATH")
    raise RuntimeError(
        f"spark_tag.py: {kind} not found on executor {os.uname().nodename}; tried {', '.join(tried)}. "
        "Ship it with spark-submit --archives (or --files), or install it in the executor image.")


def tag_partition(settings):
    """Returns the function that pipes one partition through `gazette stream`.

    Like RDD.pipe, but the binary, GAZETTE_HOME and environment are resolved on the executor
    (RDD.pipe fixes its command and environment on the driver, and starts the process with an
    empty environment unless given one), and the process's stderr is kept so a failing process
    fails its task with gazette's own message."""
    gazette, gazette_home, jobs = settings

    def run(lines):
        binary = locate_on_executor(gazette, "the gazette binary", search_path=True)
        if not os.access(binary, os.X_OK):
            # --files copies may lose the executable bit; the copy is the executor's own.
            os.chmod(binary, os.stat(binary).st_mode | 0o755)
        environment = dict(os.environ)
        if gazette_home is not None:
            home = locate_on_executor(gazette_home, "the gazette home (Pipeline.yaml, Gazetteers/, Models/)",
                                      search_path=False)
            if not os.path.isfile(os.path.join(home, "Pipeline.yaml")):
                raise RuntimeError(f"spark_tag.py: {home}: no Pipeline.yaml in the gazette home on executor "
                                   f"{os.uname().nodename}")
            environment["GAZETTE_HOME"] = home
        # A Pipeline.yaml in the working directory would win over GAZETTE_HOME (ConfigLocator's
        # order), so the home's config is named explicitly.
        command = [binary, "stream", "--jobs", str(jobs)]
        if gazette_home is not None:
            command += ["--config", os.path.join(environment["GAZETTE_HOME"], "Pipeline.yaml")]
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=environment)
        stderr_tail = []

        def feed():
            try:
                for line in lines:
                    process.stdin.write(line.encode("utf-8") + b"\n")
            except BrokenPipeError:
                pass  # gazette exited early; its exit status and stderr say why.
            finally:
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass

        def drain_stderr():
            # Forwarded to the executor's log; the last lines go into the task's error message.
            for raw in process.stderr:
                message = raw.decode("utf-8", errors="replace")
                sys.stderr.write(message)
                stderr_tail.append(message.rstrip("\n"))
                del stderr_tail[:-20]

        writer = threading.Thread(target=feed, daemon=True)
        reader = threading.Thread(target=drain_stderr, daemon=True)
        writer.start()
        reader.start()
        for raw in process.stdout:
            yield raw.rstrip(b"\n").decode("utf-8")
        status = process.wait()
        writer.join()
        reader.join()
        if status != 0:
            raise RuntimeError(f"spark_tag.py: `{shlex.join(command)}` exited with status {status}:\n"
                               + "\n".join(stderr_tail))

    return run


def is_error_record(line):
    # Tag records start with {"id":…,"content_hash"; only error records have a top-level "error".
    if '"error"' not in line:
        return False
    import json
    return "error" in json.loads(line)


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    # Under spark-submit the JVM is already running and passes its gateway to Python; the master
    # then comes from spark-submit unless --master is given here.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if not submitted:
        local = (args.master or "local").startswith("local")
        problem = check_paths(args) or (resolve_local_setup(args) if local else None)
        if problem:
            sys.exit(f"spark_tag.py: {problem}")

    try:
        from pyspark.sql import SparkSession
    except ImportError:
        sys.exit("spark_tag.py: pyspark is not installed here (pip install pyspark, or run this with spark-submit)")

    builder = SparkSession.builder.appName("gazette-tag")
    if not sys.stderr.isatty():
        # The progress bar's carriage returns would run into the summary line in a log file.
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    if args.master is not None or not submitted:
        builder = builder.master(args.master or "local[2]")
    spark = builder.getOrCreate()
    context = spark.sparkContext
    try:
        if submitted:
            # The binary and home may come with --files/--archives, which only the executors see:
            # they resolve them (locate_on_executor) and fail with a message naming what they tried.
            problem = check_paths(args)
            if problem:
                sys.exit(f"spark_tag.py: {problem}")
        if args.gazette is None:
            args.gazette = "gazette"  # a cluster: shipped beside the task or on the executors' PATH
        articles = context.textFile(args.input, minPartitions=args.partitions) if args.partitions \
            else context.textFile(args.input)
        tags = articles.mapPartitions(tag_partition((args.gazette, args.gazette_home, args.jobs_per_task)))
        tags.saveAsTextFile(args.output)

        # Counted from the written output, not with accumulators: a retried task would count twice.
        written = context.textFile(args.output)
        errors = written.filter(is_error_record)
        total = written.count()
        error_count = errors.count()
        print(f"spark_tag.py: {total} records under {args.output}: "
              f"{total - error_count} tagged, {error_count} error records", file=sys.stderr)
        for line in errors.take(args.show_errors):
            print(f"  error record: {line}", file=sys.stderr)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
