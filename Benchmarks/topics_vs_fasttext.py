#!/usr/bin/env python3
"""Gazette's topic classifier against fastText (and a multinomial naive Bayes) on the same splits.

Run from the repository root:  python3 Benchmarks/topics_vs_fasttext.py
Creates Benchmarks/.venv (fasttext-wheel), builds `gazette` in release mode, then for each data set
trains and evaluates every system on exactly the same documents and prints a table:

  * BBC, fixed split ../shared/data/topics/bbc-split.tsv (1,781 train / 444 test): accuracy, plus
    robustness views of the test articles: title only, first sentence only (short news items).
  * Reuters-21578 ModApte (LEWISSPLIT, TOPICS="YES", >= 1 topic; 7,775 / 3,019), micro/macro-F1 over
    the 90 topics with training and test documents.
  * Cross-domain: BBC-trained models on Reuters test wires whose topics include earn or acq, which
    are business news (accuracy = share labelled business).

Training times are wall-clock seconds of the training call (gazette: the whole `gazette train`
process, including reading the files). The corpora are read here, never copied into the repository.
"""
import html
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = (ROOT / ".." / "shared" / "data" / "topics").resolve()
VENV = ROOT / "Benchmarks" / ".venv"
GAZETTE = ROOT / ".build" / "release" / "gazette"
SEED = 1
# The settings of the shipped model (Scripts/train_default_model.sh uses the same).
GAZETTE_BBC_ARGS = ["--seed", str(SEED), "--fragments", "6", "--naive-bayes", "1"]
GAZETTE_REUTERS_ARGS = ["--seed", str(SEED), "--epochs", "10", "--learning-rate", "2"]


def ensure_venv():
    """Re-run this script inside Benchmarks/.venv with fasttext-wheel installed."""
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "fasttext-wheel", "numpy<2"], check=True)
    os.execv(str(python), [str(python), __file__] + sys.argv[1:])


# ---------- data ----------

def read_text(path):
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def load_bbc():
    parts = {"train": [], "test": []}
    for line in (DATA / "bbc-split.tsv").read_text().splitlines():
        path, label, part = line.split("\t")
        parts[part].append((read_text(DATA / path), [label]))
    return parts["train"], parts["test"]


def load_reuters():
    parts = {"TRAIN": [], "TEST": []}
    for sgm in sorted((DATA / "reuters21578").glob("reut2-*.sgm")):
        text = sgm.read_bytes().decode("latin-1")
        for doc in re.findall(r"<REUTERS(.*?)</REUTERS>", text, re.S):
            tag = doc[: doc.index(">")]
            if 'TOPICS="YES"' not in tag:
                continue
            split = re.search(r'LEWISSPLIT="([^"]+)"', tag).group(1)
            if split not in parts:
                continue
            topics_block = re.search(r"<TOPICS>(.*?)</TOPICS>", doc, re.S)
            topics = sorted(set(re.findall(r"<D>(.*?)</D>", topics_block.group(1)))) if topics_block else []
            if not topics:
                continue
            body = re.search(r"<TEXT[^>]*>(.*?)</TEXT>", doc, re.S)
            body = re.sub(r"<[^>]*>", " ", body.group(1)) if body else ""
            body = re.sub(r"&#(\d+);", lambda m: " " if int(m.group(1)) < 32 else chr(int(m.group(1))), body)
            parts[split].append((html.unescape(body), topics))
    return parts["TRAIN"], parts["TEST"]


def title_of(text):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    return lines[0] if lines else text


def first_sentence_of(text):
    lines = [l.strip() for l in text.splitlines() if l.strip()]
    body = " ".join(lines[1:])
    end = body.find(". ")
    if end >= 0:
        return body[:end] + "."
    return body or (lines[0] if lines else text)


# ---------- metrics ----------

def accuracy(gold, predicted):
    return sum(p[:1] == g for g, p in zip(gold, predicted)) / len(gold)


def f1_scores(gold, predicted, labels):
    labels = set(labels)
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, predicted):
        g, p = set(g) & labels, set(p) & labels
        for l in g & p:
            tp[l] += 1
        for l in p - g:
            fp[l] += 1
        for l in g - p:
            fn[l] += 1
    T, P, N = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro = 2 * T / (2 * T + P + N) if T + P + N else 0
    per = [2 * tp[l] / (2 * tp[l] + fp[l] + fn[l]) if tp[l] + fp[l] + fn[l] else 0 for l in labels]
    return micro, sum(per) / len(per)


# ---------- fastText ----------

def ft_clean(text):
    text = text.lower().replace("\n", " ")
    text = re.sub(r"([.!?,'/()\";:])", r" \1 ", text)
    return re.sub(r"\s+", " ", text).strip()


def train_fasttext(train, multi_label, tmp, **settings):
    import fasttext

    path = Path(tmp) / "ft-train.txt"
    with open(path, "w") as out:
        for text, labels in train:
            out.write(" ".join("__label__" + l for l in labels) + " " + ft_clean(text) + "\n")
    options = dict(epoch=25, lr=0.5, wordNgrams=2, verbose=0, seed=SEED, thread=2)
    options.update(settings)
    if multi_label:
        options["loss"] = "ova"
    started = time.perf_counter()
    model = fasttext.train_supervised(input=str(path), **options)
    return model, time.perf_counter() - started


def ft_predict(model, texts, multi_label):
    out = []
    for text in texts:
        if multi_label:
            labels, probs = model.predict(ft_clean(text), k=-1, threshold=0.0)
            chosen = [l for l, p in zip(labels, probs) if p >= 0.5] or list(labels[:1])
        else:
            labels, _ = model.predict(ft_clean(text), k=1)
            chosen = list(labels)
        out.append([l.replace("__label__", "") for l in chosen])
    return out


# ---------- multinomial naive Bayes (single-label reference) ----------

def nb_tokens(text):
    return re.findall(r"\w+", text.lower())


def train_nb(train, alpha=1.0):
    started = time.perf_counter()
    counts, totals, priors = defaultdict(Counter), Counter(), Counter()
    for text, labels in train:
        label = labels[0]
        priors[label] += 1
        tokens = nb_tokens(text)
        counts[label].update(tokens)
        totals[label] += len(tokens)
    vocabulary = set().union(*counts.values())
    model = (counts, totals, priors, len(vocabulary), alpha, len(train))
    return model, time.perf_counter() - started


def nb_predict(model, texts):
    counts, totals, priors, v, alpha, n = model
    out = []
    for text in texts:
        tokens = nb_tokens(text)
        best = max(
            priors,
            key=lambda l: math.log(priors[l] / n)
            + sum(math.log((counts[l][t] + alpha) / (totals[l] + alpha * v)) for t in tokens),
        )
        out.append([best])
    return out


# ---------- gazette ----------

def gazette(*args):
    result = subprocess.run([str(GAZETTE), *args], check=True, capture_output=True, text=True)
    return result.stdout


def gazette_train(args):
    started = time.perf_counter()
    gazette("train", *args)
    return time.perf_counter() - started


def gazette_eval_figure(args, key):
    output = gazette("eval", "topics", *args)
    match = re.search(rf"^{key}: ([0-9.]+)", output, re.M)
    return float(match.group(1))


def main():
    ensure_venv()
    subprocess.run(["swift", "build", "-c", "release", "--product", "gazette"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        # --- BBC ---
        bbc_train, bbc_test = load_bbc()
        gold = [l for _, l in bbc_test]
        views = {
            "full": [t for t, _ in bbc_test],
            "title": [title_of(t) for t, _ in bbc_test],
            "first-sentence": [first_sentence_of(t) for t, _ in bbc_test],
        }
        # Cross-domain: Reuters test wires about earnings or acquisitions are business news.
        reuters_train, reuters_test = load_reuters()
        business = [t for t, topics in reuters_test if {"earn", "acq"} & set(topics)]
        business_jsonl = Path(tmp) / "reuters-business.jsonl"
        business_jsonl.write_text("".join(json.dumps({"text": t, "label": "business"}) + "\n" for t in business))

        ft, ft_time = train_fasttext(bbc_train, False, tmp)
        ft_tuned, ft_tuned_time = train_fasttext(bbc_train, False, tmp, epoch=50, lr=1.0, minCount=2)
        nb, nb_time = train_nb(bbc_train)
        for name, model, seconds, predict in [
            ("fastText (epoch 25, lr 0.5, wordNgrams 2)", ft, ft_time, lambda m, x: ft_predict(m, x, False)),
            ("fastText (epoch 50, lr 1.0, minCount 2)", ft_tuned, ft_tuned_time, lambda m, x: ft_predict(m, x, False)),
            ("multinomial naive Bayes (alpha 1)", nb, nb_time, nb_predict),
        ]:
            figures = {v: accuracy(gold, predict(model, texts)) for v, texts in views.items()}
            figures["reuters-business"] = accuracy([["business"]] * len(business), predict(model, business))
            rows.append(("BBC", name, seconds, figures))

        model_path = Path(tmp) / "bbc.model"
        split_args = ["--data", str(DATA / "bbc"), "--split", str(DATA / "bbc-split.tsv")]
        seconds = gazette_train(split_args + ["--output", str(model_path)] + GAZETTE_BBC_ARGS)
        figures = {
            v: gazette_eval_figure(["--model", str(model_path), *split_args, "--view", v], "accuracy") for v in views
        }
        figures["reuters-business"] = gazette_eval_figure(
            ["--model", str(model_path), "--data", str(business_jsonl)], "accuracy")
        rows.append(("BBC", "gazette (" + " ".join(GAZETTE_BBC_ARGS) + ")", seconds, figures))

        # --- Reuters ---
        labels = sorted(set(l for _, ls in reuters_train for l in ls) & set(l for _, ls in reuters_test for l in ls))
        gold = [l for _, l in reuters_test]
        ft, ft_time = train_fasttext(reuters_train, True, tmp)
        micro, macro = f1_scores(gold, ft_predict(ft, [t for t, _ in reuters_test], True), labels)
        rows.append(("Reuters", "fastText (epoch 25, lr 0.5, wordNgrams 2, ova)", ft_time, {"micro-F1": micro, "macro-F1": macro}))
        model_path = Path(tmp) / "reuters.model"
        reuters_args = ["--data", str(DATA / "reuters21578"), "--format", "reuters"]
        seconds = gazette_train(reuters_args + ["--output", str(model_path)] + GAZETTE_REUTERS_ARGS)
        eval_args = ["--model", str(model_path), *reuters_args]
        figures = {"micro-F1": gazette_eval_figure(eval_args, "micro-F1"), "macro-F1": gazette_eval_figure(eval_args, "macro-F1")}
        rows.append(("Reuters", "gazette (" + " ".join(GAZETTE_REUTERS_ARGS) + ")", seconds, figures))

    print(f"\nBBC: {len(bbc_train)} train / {len(bbc_test)} test; Reuters ModApte: {len(reuters_train)} train / "
          f"{len(reuters_test)} test, {len(labels)} topics; Reuters earn/acq as business: {len(business)} wires\n")
    print("| data | system | train s | full | title only | first sentence | Reuters earn/acq→business |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for data, name, seconds, f in rows:
        if data == "BBC":
            print(f"| BBC accuracy | {name} | {seconds:.1f} | {f['full']:.4f} | {f['title']:.4f} | "
                  f"{f['first-sentence']:.4f} | {f['reuters-business']:.4f} |")
    print("\n| data | system | train s | micro-F1 | macro-F1 |")
    print("|---|---|---:|---:|---:|")
    for data, name, seconds, f in rows:
        if data == "Reuters":
            print(f"| Reuters ModApte (90) | {name} | {seconds:.1f} | {f['micro-F1']:.4f} | {f['macro-F1']:.4f} |")


if __name__ == "__main__":
    main()
