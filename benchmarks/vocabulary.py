"""A seeded, Zipf-distributed vocabulary for the synthetic corpus: real English and AI words, made-up ones."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    """The whitespace-separated words of a block of text (word lists read better as prose)."""
    return text.split()


# Most frequent first: the head of the distribution is function words, as in real English prose.
FUNCTION_WORDS = _words("""the of and to a in that is for it on with as this are be by was they we an at from
have or not but their which can has its more some about these other than been will so into also
what there how our when would could them all one just may most new only very because were he she
while then such like those through between over both any each even much own same""")

AI_WORDS = _words("""model models data training language learning research system systems ai neural network
networks dataset datasets benchmark benchmarks performance researchers paper compute robots robot
agents agent reinforcement policy safety alignment evaluation tasks task scale scaling transformer
transformers parameters tokens inference gpu gpus chips chip vision image images text video speech
generation generative diffusion synthetic human humans open source code software hardware cluster
training-run fine-tuning finetune pretraining prediction accuracy classifier classifiers labels
embedding embeddings attention memory context retrieval search reasoning planning control
simulation simulator environment environments reward rewards capability capabilities emergence
government policy regulation china military security surveillance privacy bias fairness
interpretability robustness adversarial attack attacks defense openai deepmind google microsoft
anthropic meta stanford berkeley university lab labs startup startups company companies""")

GENERAL_WORDS = _words("""time people world year years work way day part first good long great little
right big high different small large next early young important few public bad able back
question problem problems point government hand place case fact group number week company end
idea kind area story result results example history future power money market business field
interest approach development process means effect effects change changes level value growth
economy science scientists technology technologies computer computers machine machines internet
report reports analysis study studies experiment experiments method methods theory practice
design product products service services team teams country countries city cities state states
art artists music game games chess player players language-wise writing reader readers book books
letter letters newsletter issue issues article articles blog post posts paper papers review
reviews author authors editor editors peer peers medicine medical biology chemistry physics
energy climate weather ocean oceans kitchen kitchens factory factories warehouse drone drones
satellite satellites map maps road roads car cars driving driver drivers traffic train trains
march marching market marketing marvel marvelous maritime margin marginal martial marathon
compute computing compiler compression complex complexity component components composite
transfer transform translation transparent transparency transition transit transport
strange story stories tale tales dream dreams machine-made mirror mirrors garden gardens
signal signals noise silence voice voices archive archives memory-bank""")

MORE_WORDS = _words("""ability access action activity actor actors address advance advantage advice age agency
agreement air amount animal animals answer answers application applications argument arm army
article attempt audience average balance bank base basis battle beginning behavior belief benefit
bill bird birds blood board body bottom box brain brains branch break bridge budget building
buildings call camera campaign capacity card care career cause cell cells center century chain
chance character charge child children choice church circle claim class client clients coast
college color community comparison competition condition conference conflict connection
consequence contract control conversation cost costs council course court culture customer
customers damage danger deal death debate decade decision defence degree demand department
depth detail details device devices difference difficulty direction director discussion disease
distance distribution doctor doctors document door draft drawing drive edge education effort
election element emergency employee employees engine engineer engineers entry error errors
estimate event events evidence exchange exercise experience expert experts face factor factors
failure family farm fear feature features feeling figure file film finance floor focus food
force forest form format foundation frame freedom friend friends function fund funding gap gate
generation gift goal goals ground growth guide habit half hall head health heart heat help hill
hole home hope horse hospital hour hours house image impact income index industry influence
information input insight institution instrument intelligence investment island item job judge
justice key kind knowledge lack land law lawyer layer leader leaders lesson letter life light
limit line link list load location loss lot machine management manager material matter measure
meeting member message metal middle mind minute mission mistake mode moment month morning motion
mountain movement name nation nature need network news night note object office oil operation
opinion option order organization origin outcome output owner page pain pair paper parent party
pass path pattern payment peace period person phase phone picture piece plan plant platform
pleasure pocket poem population position pressure price principle priority prison profit
program progress project promise proof property proposal protection purpose quality quantity
race radio range rate ratio reaction reality reason record region relation release religion
request resource response rest rise risk river role room rule safety sample scene school screen
season second secret section sector sense sequence series session setting shape share shift
shop side sign site size skill skills sky society soil solution sound source space speaker
speed spirit spring staff stage standard star start station status step stock stone store storm
strategy street strength stress structure student students style subject success summer supply
support surface survey system table target tax teacher teachers test tests theme thing things
thought threat tool tools topic town trade tradition trend trial trouble truth type unit user
users variety version view village visit wall war water wave weapon weapons weight wind window
winter wood word words worker workers writer writers yard zone""")

# Rare real words: each appears in a few issues only (the "rare term" queries look for them).
RARE_WORDS = _words("""chiplomacy demoscene heterodox swahili funhouse theistic grandmother xylophone
quasicrystal palimpsest""")

# Two-word collocations that appear as units, so phrase queries find real phrases.
COLLOCATIONS = """language model|language models|reinforcement learning|neural network|open source|
machine learning|large language models|image generation|training data|safety research|
compute budget|policy makers|robot arm|self driving|speech recognition""".replace("\n", "").split("|")

_ONSETS = _words("b c d f g h j k l m n p r s t v w z br cr dr fl gl gr pl pr sk sl sp st tr ch sh th")
_NUCLEI = _words("a e i o u ai ea io ou")
_CODAS = ["", "", "n", "r", "s", "t", "x", "l", "m", "nd", "rk", "st"]


@dataclass(frozen=True)
class Vocabulary:
    """Words ranked by frequency, with cumulative Zipf weights for ``random.choices``."""

    words: tuple[str, ...]
    cum_weights: tuple[float, ...]

    def sample(self, rng: random.Random, count: int) -> list[str]:
        """``count`` words drawn with Zipf frequencies."""
        return rng.choices(self.words, cum_weights=self.cum_weights, k=count)


def made_up_word(rng: random.Random) -> str:
    """A pronounceable made-up word of two or three syllables ("strainox")."""
    syllables = rng.choice((2, 2, 3))
    parts = [rng.choice(_ONSETS) + rng.choice(_NUCLEI) for _ in range(syllables)]
    return "".join(parts) + rng.choice(_CODAS)


def build_vocabulary(seed: int, made_up: int = 2500, exponent: float = 1.2, offset: float = 2.7) -> Vocabulary:
    """The ranked vocabulary: function words, then AI, general and collocations, then made-up words.

    Args:
        seed: makes the made-up words and the shuffling of the middle ranks reproducible.
        made_up: how many made-up words form the long tail.
        exponent, offset: Zipf-Mandelbrot frequencies: rank r (from 1) is drawn in proportion to
            ``1 / (r + offset) ** exponent`` (the offset flattens the head, as in real prose).
    """
    rng = random.Random(seed)
    middle = AI_WORDS + GENERAL_WORDS + MORE_WORDS + COLLOCATIONS
    rng.shuffle(middle)
    known = set(FUNCTION_WORDS) | set(middle) | set(RARE_WORDS)
    tail: list[str] = []
    while len(tail) < made_up:
        word = made_up_word(rng)
        if word not in known:
            known.add(word)
            tail.append(word)
    ranked = tuple(dict.fromkeys(FUNCTION_WORDS + middle + tail))
    weights = (1.0 / (rank + offset) ** exponent for rank in range(1, len(ranked) + 1))
    return Vocabulary(ranked, tuple(itertools.accumulate(weights)))
