"""Builds the benchmark corpus: the BBC articles repeated until the corpus reaches a size, each copy
made distinct (a trailing line naming the copy) so Gazette's unchanged-article skip never applies.
Usage: make_corpus.py SOURCE_DIR TARGET_DIR MEGABYTES. Rebuilt only when missing or another size."""
import os
import shutil
import sys

source, target, wanted = sys.argv[1], sys.argv[2], float(sys.argv[3])
files = []
for directory, subdirs, names in os.walk(source):
    subdirs.sort()
    for name in sorted(names):
        if name.endswith(".txt"):
            files.append(os.path.join(directory, name))
contents = [(os.path.relpath(path, source), open(path, "rb").read()) for path in files]
per_copy = sum(len(data) for _, data in contents)
copies = max(1, -(-int(wanted * 1e6) // per_copy))
stamp = os.path.join(target, ".corpus")
description = f"{source} x{copies}\n"
if os.path.exists(stamp) and open(stamp).read() == description:
    sys.exit(0)
shutil.rmtree(target, ignore_errors=True)
for copy in range(copies):
    for relative, data in contents:
        path = os.path.join(target, f"copy{copy:03d}", relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data + f"\n\n(benchmark copy {copy})\n".encode())
with open(stamp, "w") as handle:
    handle.write(description)
print(f"{copies} copies of {len(contents)} files, {copies * per_copy / 1e6:.1f} MB → {target}", file=sys.stderr)
