"""A deterministic generator of arXiv-snapshot-shaped JSON lines, for benchmarks.

The lines look like the Kaggle ``arxiv-metadata-oai-snapshot.json`` (see
``../shared/dumps/arxiv-jsonl``): real-looking new-style ids (``1503.01234``) in id order, RFC 2822
version dates that agree with the id's month, hard-wrapped titles and abstracts with the two leading
spaces, ``authors`` and ``authors_parsed``, space-separated categories (primary first), and now and
then a DOI, a journal reference or TeX math.

Text is drawn from a Zipf-distributed vocabulary: a few hundred real research words at the head (so
that benchmark queries like ``language model`` or ``quant*`` hit realistic numbers of papers) and a
long tail of made-up syllable words (so that the index has a realistic term count). Lengths follow
the real snapshot: titles ~10 words, abstracts ~150 words (log-normal).

The output depends only on ``seed``, the size and the paper's position (one seeded RNG per paper),
and :func:`write_dump` with ``extra`` appends papers from later months after the very same lines —
a grown snapshot, for the "1% new papers" re-ingest benchmark.

    python bench/generate.py 100000 /tmp/paperbrowse-bench/arxiv-100000.jsonl
"""

from __future__ import annotations

import argparse
import bisect
import functools
import itertools
import json
import math
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

#: Papers per month grow from the first month on, as the real arXiv's did.
FIRST_MONTH = (2015, 1)
#: The generated library spans about this many months whatever its size (dates and year filters
#: then behave the same at 10k and at 1M).
MONTHS = 132
#: Tail vocabulary size (made-up words); real abstracts of 1M papers have a few 100k distinct terms.
TAIL_WORDS = 120_000
ZIPF_S = 1.05

HEAD_WORDS = """
the of and a in to we for is that on with this by an are as from our be which model show
these results can learning data method using based two propose approach it paper also new
models methods performance neural network networks problem time such framework use training
than deep first not language large task tasks between has its study present set different
quantum state systems system algorithm information high low analysis function energy field
their have into existing demonstrate both one more while experiments proposed order over
state-of-the-art graph image images temperature structure dynamics space theory prediction
classification detection segmentation generation reinforcement representation representations
transformer transformers attention diffusion generative adversarial supervised unsupervised
self-supervised contrastive embedding embeddings features feature benchmark benchmarks dataset
datasets accuracy efficient efficiency scalable robust robustness optimization optimal gradient
stochastic convex convergence bound bounds linear nonlinear matrix tensor sparse dense spectral
quantization quantized quantitative quantum-mechanical quantile quark quarks quasi quadratic
inference reasoning retrieval agent agents policy reward control robot robotic navigation
visual vision video speech audio text textual multimodal multilingual translation summarization
question answering dialogue knowledge semantic syntactic token tokens pretrained pretraining
fine-tuning finetuning instruction alignment preference human evaluation metrics metric error
errors loss regularization generalization overfitting sample samples sampling distribution
distributions probability probabilistic bayesian variational latent prior posterior estimation
estimator estimators regression kernel kernels manifold geometry geometric topology topological
algebra algebraic group groups operator operators equation equations differential partial
boundary solution solutions existence uniqueness theorem prove proof conjecture lemma finite
infinite dimensional dimension space-time gravitational gravity black hole holes cosmological
cosmology dark matter galaxy galaxies star stars stellar solar planetary magnetic electron
electrons phonon photon photons laser optical spin spins lattice superconducting superconductor
topological insulator phase transition transitions critical magnetization entanglement qubit
qubits circuit circuits noise noisy error-correction channel channels communication wireless
signal signals frequency power energy-efficient hardware memory compute computational cost
latency throughput parallel distributed federated privacy secure security attack attacks
defense adversarial-robustness fairness bias causal causality counterfactual intervention
simulation simulations numerical experimental observations measurements observed measured
scale scaling law laws emergent emergence capability capabilities limitations challenges
significantly outperforms achieves improves improve improved improvement compared baseline
baselines across various several multiple novel simple effective effectiveness recent recently
provide provides obtain obtained consider considered derive derived describe investigate
""".split()

SYLLABLES = (
    "ka ri to na mo lu se vi da pe ro ti ne ga bo mi sa fu ze la ko re ta ni po mu do ve li ra "
    "cha tro plex morph gen cal vor tic sen lin ber quan dyn ph the ion ist ant eur ian"
).split()

FIRST_NAMES = """
Wei Li Yang Jun Hao Xin Yu Jing Chen Lei Ming Fang Anna Maria Laura Sara Elena Julia Sofia
David Michael John James Robert Thomas Daniel Paul Peter Mark Alexander Ivan Sergey Dmitry
Hiroshi Takashi Yuki Kenji Sung Min Ji Hye Raj Amit Priya Ananya Rahul Carlos Juan Pedro Luis
Ahmed Mohamed Fatima Omar Ali Hans Klaus Jürgen Matthias Pierre Jean François Élise Søren Zoë
""".split()
LAST_NAMES = """
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Smith Johnson
Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Lee Kim Park Choi Nguyen
Tanaka Suzuki Sato Watanabe Kumar Singh Sharma Gupta Patel Müller Schmidt Schneider Fischer
Weber Dubois Durand Lefèvre Rossi Russo Bianchi García Rodríguez Martínez López González
Ivanov Petrov Smirnov Kowalski Nowak Novák Andersson Johansson Nielsen Østergaard Öztürk
""".split()

#: (category, weight): the primary category mix of recent arXiv, roughly.
CATEGORIES = [
    ("cs.LG", 14), ("cs.CV", 12), ("cs.CL", 9), ("cs.AI", 5), ("cs.RO", 3), ("cs.CR", 2),
    ("stat.ML", 3), ("math.OC", 2), ("math.CO", 2), ("math.AP", 2), ("math.PR", 2),
    ("quant-ph", 6), ("hep-ph", 3), ("hep-th", 3), ("gr-qc", 2), ("astro-ph.GA", 2),
    ("astro-ph.CO", 2), ("astro-ph.SR", 2), ("cond-mat.mtrl-sci", 3), ("cond-mat.str-el", 2),
    ("cond-mat.mes-hall", 2), ("physics.optics", 2), ("eess.SP", 2), ("eess.IV", 1),
    ("q-bio.NC", 1), ("econ.EM", 1),
]  # fmt: skip

LICENSES = [
    "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
    "http://creativecommons.org/licenses/by/4.0/",
    None,
]
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@functools.cache
def vocabulary(seed: int = 0) -> tuple[str, ...]:
    """Every word in rank order: the real head words, then a made-up tail (deterministic)."""
    rng = random.Random(f"vocab-{seed}")
    seen = set(HEAD_WORDS)
    words = list(dict.fromkeys(HEAD_WORDS))
    while len(words) < len(HEAD_WORDS) + TAIL_WORDS:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return tuple(words)


class Generator:
    """Papers ``0, 1, 2, ...`` for one seed; ``record(i)`` is the same whatever else is asked."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.words = vocabulary(seed)
        self.cum = _zipf_cum_weights(len(self.words))
        cats, cat_weights = zip(*CATEGORIES, strict=True)
        self.cats = cats
        self.cat_cum = list(itertools.accumulate(cat_weights))

    # -- the shape of the stream -------------------------------------------------------------

    @staticmethod
    def month_of(index: int, total: int) -> tuple[int, int, int]:
        """(year, month, number within the month) for paper ``index`` of a ``total``-paper dump.

        Papers per month grow linearly (2x over the span); ids stay sorted like the real file's.
        """
        # Cumulative share of papers by month m is quadratic in m: invert it.
        share = (index + 0.5) / total
        # f(x) = (x + x^2/2) / 1.5 on [0, 1] (density 1 → 2); solve f(x) = share.
        x = -1 + math.sqrt(1 + 3 * share)
        m = min(MONTHS - 1, int(x * MONTHS))
        # Float rounding can put a paper one month off: settle it on the integer boundaries so
        # that every id is unique and ids stay sorted.
        while m > 0 and index < _month_start(m, total):
            m -= 1
        while m < MONTHS - 1 and index >= _month_start(m + 1, total):
            m += 1
        start = _month_start(m, total)
        year, month = divmod(FIRST_MONTH[0] * 12 + FIRST_MONTH[1] - 1 + m, 12)
        return year, month + 1, index - start

    def record(self, index: int, total: int, *, extra_month: int = 0) -> dict:
        """The snapshot record of paper ``index`` in a ``total``-paper dump.

        ``extra_month`` > 0 places the paper that many months after the span (grown snapshots).
        """
        rng = random.Random(self.seed * 1_000_003 + index * 7 + extra_month)
        if extra_month:
            year, month = divmod(
                FIRST_MONTH[0] * 12 + FIRST_MONTH[1] - 2 + MONTHS + extra_month, 12
            )
            year, month, number = year, month + 1, index
        else:
            year, month, number = self.month_of(index, total)
        arxiv_id = f"{year % 100:02d}{month:02d}.{number + 1:05d}"

        title_words = self._words(rng, max(3, min(30, int(rng.lognormvariate(2.25, 0.35)))))
        title = " ".join(title_words).capitalize()
        if rng.random() < 0.05:
            title += " with $O(n \\log n)$ complexity"
        abstract_words = self._words(rng, max(20, min(450, int(rng.lognormvariate(4.95, 0.4)))))
        sentences = []
        pos = 0
        while pos < len(abstract_words):
            n = rng.randint(12, 28)
            sentences.append(" ".join(abstract_words[pos : pos + n]).capitalize() + ".")
            pos += n
        if rng.random() < 0.1:
            sentences.append(f"Code is available at https://github.com/lab{index % 97}/{arxiv_id}.")
        abstract = "  " + _wrap(" ".join(sentences), 80, "\n") + "\n"

        n_authors = min(40, 1 + int(rng.expovariate(1 / 3.5)))
        parsed = [[rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES), ""] for _ in range(n_authors)]
        names = [f"{first} {last}" for last, first, _ in parsed]
        authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

        primary = self.cats[bisect.bisect(self.cat_cum, rng.random() * self.cat_cum[-1])]
        cross = {self.cats[rng.randrange(len(self.cats))] for _ in range(rng.choice((0, 0, 1, 2)))}
        categories = " ".join([primary, *sorted(cross - {primary})])

        created = datetime(year, month, 1, tzinfo=UTC) + timedelta(
            days=rng.randrange(28), seconds=rng.randrange(86400)
        )
        versions = [{"version": "v1", "created": _rfc2822(created)}]
        for v in range(2, 2 + rng.choice((0, 0, 0, 1, 1, 2))):
            created += timedelta(days=rng.randrange(5, 200), seconds=rng.randrange(86400))
            versions.append({"version": f"v{v}", "created": _rfc2822(created)})

        has_doi = rng.random() < 0.25
        return {
            "id": arxiv_id,
            "submitter": names[0],
            "authors": authors,
            "title": _wrap(title, 72, "\n  "),
            "comments": f"{rng.randint(4, 40)} pages, {rng.randint(1, 12)} figures"
            if rng.random() < 0.7
            else None,
            "journal-ref": f"Phys. Rev. D {rng.randint(60, 110)}, {rng.randint(1000, 9999)}"
            f" ({year})"
            if has_doi
            else None,
            "doi": f"10.{rng.randint(1000, 9999)}/{arxiv_id}" if has_doi else None,
            "report-no": None,
            "categories": categories,
            "license": LICENSES[rng.randrange(len(LICENSES))],
            "abstract": abstract,
            "versions": versions,
            "update_date": created.date().isoformat(),
            "authors_parsed": parsed,
        }

    def _words(self, rng: random.Random, n: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=n)

    def lines(self, total: int, *, extra: int = 0) -> Iterator[str]:
        """The JSON lines (with newline) of a ``total``-paper dump plus ``extra`` newer papers."""
        for i in range(total):
            yield json.dumps(self.record(i, total), ensure_ascii=True, separators=(",", ":")) + "\n"
        for i in range(extra):
            record = self.record(i, total, extra_month=1 + i // 20_000)
            yield json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n"


@functools.cache
def _zipf_cum_weights(n: int) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank**ZIPF_S) for rank in range(1, n + 1)))


def _month_start(m: int, total: int) -> int:
    """Index of the first paper of month ``m`` (the papers before it: the inverse of month_of)."""
    x = m / MONTHS
    return math.ceil(total * (x + x * x / 2) / 1.5)


def _rfc2822(d: datetime) -> str:
    return (
        f"{_WEEKDAYS[d.weekday()]}, {d.day} {_MONTHS[d.month - 1]} {d.year} "
        f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} GMT"
    )


def _wrap(text: str, width: int, joiner: str) -> str:
    """Hard-wrap like the snapshot (titles continue with two spaces, abstracts without)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return joiner.join(lines)


def write_dump(path: Path, total: int, *, extra: int = 0, seed: int = 0) -> Path:
    """Write a ``total``-paper dump (plus ``extra`` newer papers) to ``path``, atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    gen = Generator(seed)
    with tmp.open("w", encoding="utf-8") as fh:
        fh.writelines(gen.lines(total, extra=extra))
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("papers", type=int, help="how many papers")
    parser.add_argument("output", type=Path, help="the .jsonl file to write ('-' for stdout)")
    parser.add_argument("--extra", type=int, default=0, help="newer papers appended after them")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if str(args.output) == "-":
        sys.stdout.writelines(Generator(args.seed).lines(args.papers, extra=args.extra))
    else:
        write_dump(args.output, args.papers, extra=args.extra, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
