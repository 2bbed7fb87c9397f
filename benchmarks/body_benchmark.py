"""Body-extraction quality of vinews' generic rules against trafilatura, in one run on the same
pages: Scrapinghub's article-extraction-benchmark, scored the way its ``evaluate.py`` scores.

    .venv/bin/python benchmarks/body_benchmark.py [--worst N] [--limit N]

The scoring matches ``evaluate.py`` of scrapinghub/article-extraction-benchmark:

* tokens are ``\\w+`` matches (Unicode word characters, case kept); accuracy is the share of pages
  whose predicted token list equals the ground truth's;
* shingles are runs of 4 consecutive tokens, counted as multisets; a text of fewer than 4 tokens
  is one shorter shingle, an empty text none;
* per page, TP is the multiset intersection, FP the predicted shingles beyond it, FN the true ones
  beyond it (``evaluate.py`` also divides the three by their sum, which leaves precision and
  recall unchanged);
* precision is the mean page precision over the pages with at least one predicted shingle, recall
  the mean page recall over the pages with a non-empty ground truth: an empty prediction (vinews
  rejecting a page, trafilatura returning None) is left out of precision and scores recall 0;
* F1 is the harmonic mean of those two means; ± is the standard deviation over bootstrap
  resamples of the pages, as the benchmark publishes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import trafilatura

from parse_throughput import (DEFAULT_BENCHMARK_DIR, Page, PagesUnavailable, machine_lines, megabytes,
                              read_benchmark_pages)
from vinews_scraper.extraction import ExtractionError, extract_article

TOKEN = re.compile(r"\w+")  # evaluate.py's _TOKEN_RE; its other flags change nothing for \w+ on str
SHINGLE_SIZE = 4


# ---- scoring ------------------------------------------------------------------------------------

def tokenize(text: str | None) -> list[str]:
    return TOKEN.findall(text or "")


def shingles(tokens: Sequence[str], size: int = SHINGLE_SIZE) -> Counter:
    """The multiset of runs of ``size`` consecutive tokens (fewer tokens: one shorter run)."""
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i:i + size]) for i in range(max(1, len(tokens) - size + 1)))


@dataclass(frozen=True)
class PageMatch:
    """How one page's predicted body matches its ground truth, in shingles."""

    true_positives: int
    false_positives: int
    false_negatives: int
    exact: bool  # the token lists are equal

    @property
    def precision(self) -> float | None:
        """None when nothing was predicted: the page is left out of the mean precision."""
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        """None when the ground truth is empty: the page is left out of the mean recall."""
        true = self.true_positives + self.false_negatives
        return self.true_positives / true if true else None

    @property
    def f1(self) -> float:
        """The page's own F1 (1 when both texts are empty), to rank the worst pages."""
        errors = self.false_positives + self.false_negatives
        return 2 * self.true_positives / (2 * self.true_positives + errors) if errors else 1.0


def match(truth: str | None, prediction: str | None) -> PageMatch:
    true_tokens, predicted_tokens = tokenize(truth), tokenize(prediction)
    true_shingles, predicted_shingles = shingles(true_tokens), shingles(predicted_tokens)
    tp = sum((true_shingles & predicted_shingles).values())
    return PageMatch(tp, sum(predicted_shingles.values()) - tp, sum(true_shingles.values()) - tp,
                     true_tokens == predicted_tokens)


@dataclass(frozen=True)
class Score:
    f1: float
    precision: float
    recall: float
    accuracy: float


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0


def score(matches: Sequence[PageMatch]) -> Score:
    """The benchmark's figures for a set of pages: means of page precision and recall, their
    harmonic mean, and the share of exact pages."""
    precision = _mean([m.precision for m in matches if m.precision is not None])
    recall = _mean([m.recall for m in matches if m.recall is not None])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(f1, precision, recall, _mean([float(m.exact) for m in matches]))


def bootstrap_deviation(matches: Sequence[PageMatch], resamples: int, seed: int = 0) -> Score:
    """Standard deviation of each figure over ``resamples`` resamples of the pages with replacement."""
    rng = random.Random(seed)
    samples = [score(rng.choices(matches, k=len(matches))) for _ in range(resamples)]
    return Score(*(statistics.stdev(getattr(s, f.name) for s in samples) for f in fields(Score)))


# ---- the extractors compared --------------------------------------------------------------------

def vinews_body(page: Page) -> str:
    """vinews' body (generic rules: no benchmark host is registered); empty when vinews rejects the page."""
    try:
        return extract_article(page.html, page.url)["body"]
    except ExtractionError:
        return ""


def trafilatura_body(page: Page) -> str:
    """trafilatura as the benchmark's published row runs it (``extractors/run_trafilatura.py``):
    ``extract(text, include_comments=False)`` on the page read as UTF-8, no URL."""
    return trafilatura.extract(page.html.decode("utf-8"), include_comments=False) or ""


EXTRACTORS: dict[str, Callable[[Page], str]] = {"vinews": vinews_body, "trafilatura": trafilatura_body}


def predict(pages: Sequence[Page]) -> dict[str, tuple[list[str], float]]:
    """Each extractor's body for every page, and the seconds its calls took in all.

    After a one-page warm-up, the extractors take turns page by page, so load from other work on
    the machine slows both alike.
    """
    for extract in EXTRACTORS.values():
        extract(pages[0])
    bodies: dict[str, list[str]] = {name: [] for name in EXTRACTORS}
    seconds = dict.fromkeys(EXTRACTORS, 0.0)
    for page in pages:
        for name, extract in EXTRACTORS.items():
            start = time.perf_counter()
            bodies[name].append(extract(page))
            seconds[name] += time.perf_counter() - start
    return {name: (bodies[name], seconds[name]) for name in EXTRACTORS}


def read_ground_truth(benchmark_dir: Path) -> dict[str, str]:
    """Page id → the annotated article body."""
    truth = json.loads((benchmark_dir / "ground-truth.json").read_text(encoding="utf-8"))
    return {page_id: entry.get("articleBody", "") for page_id, entry in truth.items()}


# ---- report -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """One extractor's pass over the pages."""

    matches: list[PageMatch]
    seconds: float
    empty: int  # pages with no predicted token

    @property
    def pages_per_second(self) -> float:
        return len(self.matches) / self.seconds


def results_lines(runs: dict[str, Run], resamples: int) -> list[str]:
    headings = ("F1", "precision", "recall", "accuracy")  # in Score's field order
    lines = [f"{'extractor':<13}" + "".join(f"{h:<15}" for h in headings) + f"{'empty':>5}{'pages/s':>9}"]
    for name, run in runs.items():
        figures = zip(astuple(score(run.matches)), astuple(bootstrap_deviation(run.matches, resamples)))
        cells = "".join(f"{value:.3f} ± {deviation:.3f}  " for value, deviation in figures)
        lines.append(f"{name:<13}{cells}{run.empty:>5}{run.pages_per_second:9.1f}")
    return lines


def worst_lines(pages: Sequence[Page], run: Run, count: int) -> list[str]:
    """The ``count`` pages where vinews' page F1 is lowest: where to look first."""
    def figure(value: float | None) -> str:
        return "    —" if value is None else f"{value:5.3f}"

    ranked = sorted(zip(pages, run.matches), key=lambda pair: (pair[1].f1, pair[0].name))[:count]
    lines = [f"vinews' {len(ranked)} lowest-F1 pages:", f"  {'F1':>5}  {'P':>5}  {'R':>5}  id  url"]
    lines += [f"  {m.f1:5.3f}  {figure(m.precision)}  {figure(m.recall)}  {page.name}  {page.url}"
              for page, m in ranked]
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmark-dir", type=Path, default=DEFAULT_BENCHMARK_DIR,
                        help="the article-extraction-benchmark directory (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="score only the first N pages")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list vinews' N lowest-F1 pages")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                        help="bootstrap resamples for the ± figures (default: %(default)s)")
    args = parser.parse_args(argv)
    if (args.limit is not None and args.limit < 1) or args.worst < 0 or args.bootstrap < 2:
        parser.error("--limit must be at least 1, --worst at least 0, --bootstrap at least 2")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        pages = read_benchmark_pages(args.benchmark_dir)[:args.limit]
    except PagesUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    truth = read_ground_truth(args.benchmark_dir)
    runs = {name: Run([match(truth[page.name], body) for page, body in zip(pages, bodies)], seconds,
                      sum(not tokenize(body) for body in bodies))
            for name, (bodies, seconds) in predict(pages).items()}
    print("\n".join(machine_lines()))
    print(f"pages:    {len(pages)} of {args.benchmark_dir} ({megabytes(pages):.2f} MB)")
    print("scoring:  evaluate.py of scrapinghub/article-extraction-benchmark: \\w+ tokens, 4-token "
          "shingles, means of page precision and recall, F1 their harmonic mean, accuracy exact "
          f"token match; ± bootstrap std over {args.bootstrap} resamples")
    print("vinews:   extract_article(html_bytes, url)['body'] (generic rules; empty on ExtractionError)")
    print("trafilatura: extract(html_text, include_comments=False), the published row's configuration")
    print("empty:    pages predicted with no token: left out of precision, recall 0 (as evaluate.py)")
    print("pages/s:  one pass after a one-page warm-up, the extractors taking turns page by page\n")
    print("\n".join(results_lines(runs, args.bootstrap)))
    if args.worst:
        print()
        print("\n".join(worst_lines(pages, runs["vinews"], args.worst)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
