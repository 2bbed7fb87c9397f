"""The benchmark scripts: the scoring functions on hand-made texts with known results, the page
sets, and each script end to end on a few pages."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import body_benchmark as bb  # noqa: E402
import parse_throughput as pt  # noqa: E402

needs_benchmark = pytest.mark.skipif(not (pt.DEFAULT_BENCHMARK_DIR / "ground-truth.json").is_file(),
                                     reason=f"no article-extraction-benchmark at {pt.DEFAULT_BENCHMARK_DIR}")


# ---- scoring ------------------------------------------------------------------------------------

def test_tokenize_keeps_unicode_words_and_case():
    assert bb.tokenize("a b,cd:e(foo,bar) ") == ["a", "b", "cd", "e", "foo", "bar"]
    assert bb.tokenize("Huyện Vị Thủy, 22/01/2021") == ["Huyện", "Vị", "Thủy", "22", "01", "2021"]
    assert bb.tokenize(None) == []


def test_shingles_are_a_multiset_of_four_token_runs():
    assert bb.shingles(bb.tokenize("a b c d a b c d")) == Counter({
        ("a", "b", "c", "d"): 2, ("b", "c", "d", "a"): 1, ("c", "d", "a", "b"): 1, ("d", "a", "b", "c"): 1})
    assert bb.shingles(["a", "b"]) == Counter({("a", "b"): 1})  # shorter than 4: one short shingle
    assert bb.shingles([]) == Counter()


def test_identical_texts_score_one():
    page = bb.match("Một hai ba bốn năm sáu", "Một  hai\n\nba bốn năm sáu")
    assert (page.precision, page.recall, page.f1, page.exact) == (1.0, 1.0, 1.0, True)
    assert bb.score([page]) == bb.Score(f1=1.0, precision=1.0, recall=1.0, accuracy=1.0)


def test_disjoint_texts_score_zero():
    page = bb.match("a b c d e", "v w x y z")
    assert (page.true_positives, page.false_positives, page.false_negatives) == (0, 2, 2)
    assert bb.score([page]) == bb.Score(f1=0.0, precision=0.0, recall=0.0, accuracy=0.0)


def test_partial_overlap_counts_repeated_shingles():
    # truth has abcd twice among its 5 shingles; the prediction has it once: TP 1, FP 0, FN 4
    page = bb.match("a b c d a b c d", "a b c d")
    assert (page.true_positives, page.false_positives, page.false_negatives) == (1, 0, 4)
    assert page.precision == 1.0 and page.recall == pytest.approx(0.2)
    # abcd twice on both sides counts 2 TP (a set intersection would count 1): P = 2/6, R = 2/5
    twice = bb.match("a b c d a b c d", "a b c d x a b c d")
    assert (twice.true_positives, twice.false_positives, twice.false_negatives) == (2, 4, 3)
    assert twice.precision == pytest.approx(1 / 3) and twice.recall == pytest.approx(0.4)
    # the prediction adds one shingle the truth lacks: P = 2/3, R = 1
    extra = bb.match("a b c d e", "a b c d e f")
    assert extra.precision == pytest.approx(2 / 3) and extra.recall == 1.0 and not extra.exact


def test_tokens_are_case_sensitive():
    page = bb.match("Hello world foo bar", "hello world foo bar")
    assert page.true_positives == 0 and not page.exact


def test_f1_is_the_harmonic_mean_of_mean_precision_and_mean_recall():
    half = bb.match("a b c d e", "a b c d")  # P 1, R 1/2
    whole = bb.match("a b c d", "a b c d")  # P 1, R 1
    result = bb.score([half, whole])
    assert (result.precision, result.recall) == (1.0, 0.75)
    assert result.f1 == pytest.approx(6 / 7)  # not the mean of page F1s, (2/3 + 1) / 2
    assert result.accuracy == 0.5


def test_empty_prediction_is_left_out_of_precision_and_scores_zero_recall():
    empty = bb.match("a b c d e", "")
    assert empty.precision is None and empty.recall == 0.0 and empty.f1 == 0.0
    result = bb.score([empty, bb.match("a b c d", "a b c d")])
    assert (result.precision, result.recall) == (1.0, 0.5)
    assert result.f1 == pytest.approx(2 / 3)


def test_empty_truth_and_prediction_match_exactly():
    page = bb.match("", "  ")
    assert page.precision is None and page.recall is None
    assert page.exact and page.f1 == 1.0


def test_bootstrap_deviation_is_zero_for_equal_pages_and_reproducible():
    same = [bb.match("a b c d e", "a b c d")] * 5
    assert bb.bootstrap_deviation(same, 50) == bb.Score(0.0, 0.0, 0.0, 0.0)
    mixed = [bb.match("a b c d e", "a b c d"), bb.match("a b c d", "a b c d"), bb.match("a b c d", "x")]
    assert bb.bootstrap_deviation(mixed, 200, seed=3) == bb.bootstrap_deviation(mixed, 200, seed=3)
    assert bb.bootstrap_deviation(mixed, 200).f1 > 0


def test_vinews_body_is_empty_when_vinews_rejects_the_page():
    assert bb.vinews_body(pt.Page("empty", "https://example.com/a", b"")) == ""


def test_worst_lines_rank_lowest_f1_first():
    pages = [pt.Page(name, f"https://example.com/{name}", b"") for name in ("good", "bad", "half")]
    matches = [bb.match("a b c d", "a b c d"), bb.match("a b c d", ""), bb.match("a b c d e", "a b c d")]
    run = bb.Run(matches, seconds=1.0, empty=1)
    lines = bb.worst_lines(pages, run, 2)
    assert lines[0] == "vinews' 2 lowest-F1 pages:"
    assert lines[2].split() == ["0.000", "—", "0.000", "bad", "https://example.com/bad"]
    assert lines[3].split()[3] == "half"


# ---- throughput helpers -------------------------------------------------------------------------

def test_corpus_pages_take_the_url_of_the_neighbouring_json(tmp_path, capsys):
    family = tmp_path / "wordpress"
    family.mkdir()
    (family / "a.html").write_bytes(b"<html><body><p>x</p></body></html>")
    (family / "a.json").write_text(json.dumps({"url": "https://example.com/a"}), encoding="utf-8")
    (family / "b.html").write_bytes(b"<html></html>")  # fixture not written yet
    pages = pt.read_corpus_pages(tmp_path)
    assert [(p.name, p.url) for p in pages] == [("wordpress/a.html", "https://example.com/a")]
    assert "b.json; skipped" in capsys.readouterr().err


def test_missing_page_sets_are_reported_unavailable(tmp_path):
    with pytest.raises(pt.PagesUnavailable, match="no article-extraction-benchmark"):
        pt.read_benchmark_pages(tmp_path)
    with pytest.raises(pt.PagesUnavailable, match="no corpus pages"):
        pt.read_corpus_pages(tmp_path)
    with pytest.raises(pt.PagesUnavailable, match="no replica answering"):
        pt.read_replica_pages("http://127.0.0.1:9", seed=2021, articles=10, limit=1)


def test_replica_pages_come_over_http_and_a_different_portal_is_named():
    from vinews_scraper.replica import Portal, ReplicaServer

    with ReplicaServer(Portal.generate(seed=5, articles=10)) as server:
        pages = pt.read_replica_pages(server.base_url, seed=5, articles=10, limit=2)
        assert len(pages) == 2 and all(p.url.startswith(server.base_url) for p in pages)
        assert all(p.content_type.startswith("text/html") and p.site.key == "replica" for p in pages)
        assert b"<html" in pages[0].html.lower()
        with pytest.raises(pt.PagesUnavailable, match="answered 404"):
            pt.read_replica_pages(server.base_url, seed=6, articles=10, limit=1)


def test_table_shows_ms_per_page_pages_per_second_and_time_ratios():
    pages = [pt.Page(str(i), "https://example.com/", b"x" * 250_000) for i in range(4)]
    timings = {"lxml": pt.Timing(0.5, 4, 0), "vinews": pt.Timing(4.0, 4, 0),
               "trafilatura": pt.Timing(10.0, 4, 1)}
    row = pt.table_lines([pt.MeasuredSet("benchmark", pages, timings)])[2].split()
    assert row == ["benchmark", "4", "1.00", "125.00", "8.0", "1000.00", "1.0", "2500.00", "0.4", "8.0×", "2.50×"]


# ---- end to end ---------------------------------------------------------------------------------

def run_script(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCHMARKS / name), *args], capture_output=True, text=True,
                          timeout=600)


def _row(stdout: str, name: str) -> list[str]:
    return next(line.split() for line in stdout.splitlines() if line.split()[:1] == [name])


@needs_benchmark
def test_parse_throughput_prints_a_row_per_page_set():
    result = run_script("parse_throughput.py", "--limit", "3", "--repeat", "1")
    assert result.returncode == 0, result.stderr
    assert "ms/page  pages/s" in result.stdout and "trafilatura÷vinews" in result.stdout
    assert "CPUs" in result.stdout and "trafilatura" in result.stdout.splitlines()[2]
    for page_set in pt.PAGE_SETS:
        row = _row(result.stdout, page_set)
        assert row[1] == "3" and all(float(cell.rstrip("×")) > 0 for cell in row[2:])


def test_parse_throughput_skips_a_missing_set_or_fails_when_it_was_asked_for(tmp_path):
    result = run_script("parse_throughput.py", "--benchmark-dir", str(tmp_path), "--pages", "all",
                        "--limit", "1", "--repeat", "1")
    assert result.returncode == 0, result.stderr
    assert "skipped page set benchmark" in result.stdout and _row(result.stdout, "replica")[1] == "1"
    asked = run_script("parse_throughput.py", "--benchmark-dir", str(tmp_path), "--pages", "benchmark")
    assert asked.returncode == 2 and "no article-extraction-benchmark" in asked.stderr


@needs_benchmark
def test_body_benchmark_prints_scores_of_both_extractors():
    result = run_script("body_benchmark.py", "--limit", "3", "--worst", "2", "--bootstrap", "20")
    assert result.returncode == 0, result.stderr
    assert "F1             precision      recall         accuracy" in result.stdout
    for extractor in bb.EXTRACTORS:
        row = _row(result.stdout, extractor)
        assert 0 <= float(row[1]) <= 1 and float(row[-1]) > 0  # F1, pages/s
    assert "vinews' 2 lowest-F1 pages:" in result.stdout


def test_scale_crawl_tiny_crawls_the_replica_with_vinews_and_bare_scrapy_with_and_without_attachments():
    result = run_script("scale_crawl.py", "--tiny")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = {}
    for crawl in ("bare", "bare+att", "vinews"):
        row = next(line.split() for line in result.stdout.splitlines() if line.split()[:2] == ["1", crawl])
        articles, rows[crawl], pages_per_second = int(row[2]), int(row[3]), float(row[4])
        checkpoints, peak = row[-5:-2], float(row[-1])
        assert articles == 300 and pages_per_second > 0 and peak > 0
        assert all(float(mb) > 0 for mb in checkpoints)  # RSS at 100, 200 and 300 articles
    assert rows["vinews"] - rows["bare+att"] == 1  # vinews' one extra request: the RSS feed
    assert rows["bare+att"] - rows["bare"] > 60  # the attachments of 300 articles
    assert "making the same requests" in result.stdout and "load average" in result.stdout
