"""A resource library for the search benchmarks: synthetic, but in the working group's words.

    python bench/search_corpus.py --resources 10000 --database-url sqlite:///corpus.db [--show 5]

`seed_corpus(db, resources=N, today=...)` fills a migrated database (`dei-bot db upgrade` or
`storage.schema.upgrade`) through the real schema, so migration 0003's triggers build the
full-text index as they would for any writer:

* the sample data file (bot/sample/working-group.yaml) through `storage.imports.apply`, as
  `dei-bot import` would: this year's topic calendar, its communities, resources and synonyms;
* the calendar's earlier months, from the working group's first meeting (June 2021, the seeds'
  calendar) up to the sample's first month;
* the synonyms a coordinator would add (LEP, HR, PB, ADA, RFP ...), where the sample lacks them;
* a few hundred communities with practices and contacts, and members who volunteered as
  contacts for a practice;
* resources up to N in all (the sample's included): titles, kinds, summaries and topics built
  from the seeds' themes (the calendar's topics, the pilot's focus areas, the survey's focus
  areas and challenges), added over the five years before `today`, a few retired.

Everything comes from one seed: the same arguments give the same rows, and resource number i is
the same whatever N is, so a corpus of 10,000 is the first 10,000 of one of 100,000 (and
`seed_corpus` can grow a corpus from one size to the next). Addresses are only ever under
https://example.org/; most resources have none, as in the sample. Rows go in with multi-row
INSERTs in one transaction, so 100,000 resources take seconds, not minutes.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from harness import BenchError, progress  # noqa: E402
from sqlalchemy import func, insert, text  # noqa: E402
from sqlmodel import Session, col, select  # noqa: E402

from storage import datafile, imports, peers, synonyms  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import (  # noqa: E402
    Community,
    PeerVolunteer,
    Resource,
    ResourceKind,
    Synonym,
    Topic,
)

SAMPLE = ROOT / "bot" / "sample" / "working-group.yaml"
DEFAULT_SEED = 5
COMMUNITIES = 300
VOLUNTEERS = 400
RETIRED_SHARE = 0.02  # resources a coordinator has retired: never found, still indexed rows
URL_SHARE = 0.35  # resources with an address (always under https://example.org/)
COMMUNITY_SHARE = 0.7  # resources a community contributed
CONFIRMED_SHARE = 0.1  # resources a coordinator confirmed since they were added
HISTORY_DAYS = 5 * 365  # resources were added over the five years before `today`
CHUNK = 500  # rows per INSERT statement
ADDRESS_BASE = "https://example.org/resources/"
FIRST_MONTH = (2021, 6)  # the working group's first meeting (the seeds: "June, First Meeting")


@dataclass(frozen=True)
class Theme:
    """One subject the group works on: its topic title, its words, and the seeds' sentences."""

    title: str  # a calendar topic's title, or a survey / pilot focus area
    weight: int  # how often resources are about it: some subjects are asked about far more
    phrases: tuple[str, ...]  # keywords and practices, as tags and in titles
    doings: tuple[str, ...]  # what a resource about it helps with, as a summary starts


# From the seeds: the working group's calendar (2021-2022), the LORE pilot's focus areas
# (performance management, internal communications, human resources, financial management), the
# survey's focus areas, and the social-services contracting policy.
THEMES: tuple[Theme, ...] = (
    Theme(
        "Establishing Shared Understandings of DEI",
        4,
        ("shared values", "shared vocabulary", "equity lens", "DEI definitions"),
        (
            "Building a shared vocabulary on equity, efficiency and effectiveness",
            "Establishing shared DEI values across departments",
            "Agreeing on definitions of diversity, equity and inclusion",
        ),
    ),
    Theme(
        "DEI for Strategic Planning",
        4,
        ("strategic planning", "strategic priorities", "equity goals"),
        (
            "Incorporating equity goals into the strategic plan",
            "Assessing regional interests and strategic priorities",
            "Making the case for DEI-driven organizational projects to key stakeholders",
        ),
    ),
    Theme(
        "Community Engagement",
        8,
        ("community engagement", "facilitation", "residents", "community input", "building trust"),
        (
            "Facilitation practices for productive community engagement",
            "Connecting, building trust, and engaging with a diversity of residents",
            "Gathering community input before decisions are made",
        ),
    ),
    Theme(
        "Changing Organizational Culture",
        5,
        ("organizational culture", "staff survey", "learning culture", "leadership"),
        (
            "Conducting an internal staff survey to assess organizational culture",
            "Building a learning culture within local government",
            "Applying the principles of racial equity driven organizational change",
        ),
    ),
    Theme(
        "Staff Training",
        6,
        ("staff training", "training", "onboarding", "leadership development"),
        (
            "Training staff on equity, from onboarding to leadership",
            "Designing in-person training sessions followed by independent project work",
            "Coaching small groups of managers through a project of their own",
        ),
    ),
    Theme(
        "Interdepartmental Working Groups",
        4,
        ("interdepartmental working groups", "internal communications", "staff focus groups"),
        (
            "Developing functional interdepartmental working groups focused on DEI",
            "Running staff focus groups to assess internal organizational culture",
            "Sharing progress across departments through internal communications",
        ),
    ),
    Theme(
        "Focus Group with UIC Great Cities",
        2,
        ("focus group", "UIC Great Cities", "peer learning"),
        (
            "Summarizing themes and takeaways from a focus group with UIC Great Cities",
            "Learning from peers through small-group coaching",
        ),
    ),
    Theme(
        "Leveraging Community Partnerships",
        4,
        ("community partnerships", "school districts", "libraries", "business community"),
        (
            "Building a unified effort with school districts, libraries and the business community",
            "Partnering with townships and park districts on shared goals",
        ),
    ),
    Theme(
        "Human Relations Commissions",
        3,
        ("human relations commission", "commission bylaws", "resident complaints"),
        (
            "Standing up a human relations commission and its bylaws",
            "Handling resident complaints through a human relations commission",
        ),
    ),
    Theme(
        "Hiring & Recruitment",
        9,
        (
            "hiring",
            "recruitment",
            "human resources",
            "retention",
            "promotion",
            "staff demographics",
            "interview panels",
            "job postings",
        ),
        (
            "Reviewing hiring and recruitment practices",
            "Analyzing staff demographic data, retention, and promotion statistics",
            "Writing job postings that reach a wider pool of candidates",
            "Setting up diverse interview panels and structured interviews",
        ),
    ),
    Theme(
        "Data Analytics",
        7,
        ("data", "metrics", "performance management", "dashboards", "accountability"),
        (
            "Establishing systems to collect relevant DEI data",
            "Identifying analytic tools and metrics to track and measure DEI progress",
            "Establishing accountability mechanisms to increase and sustain DEI outcomes",
        ),
    ),
    Theme(
        "Equitable Purchasing / Procurement",
        8,
        ("procurement", "purchasing", "contracting", "RFP", "small vendors", "prompt payment"),
        (
            "Assessing procurement and purchasing practices",
            "Making requests for proposals accessible to local and smaller organizations",
            "Providing prompt payment and technical assistance to small nonprofits",
            "Standardizing equity contracting practices across departments",
        ),
    ),
    Theme(
        "Assessing Social Service Gaps",
        4,
        ("social services", "service gaps", "customer service", "human services"),
        (
            "Conducting an audit of social service gaps within the organization",
            "Assessing customer service practices for their impact on equity and access",
        ),
    ),
    Theme(
        "Policy Audits for Equity",
        5,
        ("policy audit", "policies", "procedures", "equity audit"),
        (
            "Conducting an audit of policies, procedures, and practices",
            "Identifying inequities embedded in municipal practices and policies",
        ),
    ),
    Theme(
        "Language Access",
        5,
        ("language access", "interpretation", "translation", "limited English proficiency"),
        (
            "Providing interpretation and translation of public notices",
            "Writing a language access plan for front-line services",
        ),
    ),
    Theme(
        "Health Equity",
        3,
        ("health equity", "public health", "COVID-19 lessons learned"),
        (
            "Applying lessons learned from COVID-19 to health equity",
            "Partnering with public health departments on equitable outcomes",
        ),
    ),
    Theme(
        "Environmental Justice",
        3,
        ("environmental justice", "climate resilience", "green space"),
        (
            "Weighing environmental justice in capital projects",
            "Planning green space and climate resilience with residents",
        ),
    ),
    Theme(
        "Immigrant Integration",
        3,
        ("immigrant integration", "welcoming city", "newcomers"),
        (
            "Welcoming newcomers and supporting immigrant integration",
            "Connecting immigrant residents with municipal services",
        ),
    ),
    Theme(
        "Equitable Economic and Community Development",
        4,
        ("economic development", "small business", "affordable housing"),
        (
            "Distributing economic benefits to traditionally underrepresented communities",
            "Supporting small business owners through equitable development",
        ),
    ),
    Theme(
        "Participatory Budgeting",
        5,
        ("participatory budgeting", "annual budget", "financial management", "finance"),
        (
            "Incorporating participatory budgeting into the annual budgeting process",
            "Reviewing financial management practices for equity",
        ),
    ),
    Theme(
        "Accessibility",
        3,
        ("accessibility", "ADA transition plan", "disability inclusion"),
        (
            "Writing an accessibility transition plan for public buildings",
            "Making meetings and documents accessible to people with disabilities",
        ),
    ),
)

# Sentences from the seeds that a summary may close with.
CLOSINGS = (
    "There is no one-size-fits-all approach to DEI and many different entry points.",
    "Internal and external elements of this work are interrelated.",
    "The peer sharing model has been productive to identify shared challenges.",
    "Written for small- to mid-sized municipalities with limited staffing and resources.",
    "Useful when you do not know where or how to get started.",
    "Shared by a member of the DEI Working Group; ask a coordinator for the write-up.",
    "Includes discussion questions for department heads and managers.",
    "Prepared with the Metropolitan Mayors Caucus and ILCMA.",
    "Based on the Diversity Issues Task Force Survey.",
    "Drawn from the LORE pilot cohort's projects.",
    "",
    "",
)

AUDIENCES = (
    "Small Municipalities",
    "Mid-Sized Municipalities",
    "Department Heads",
    "Elected Officials",
    "Managers",
    "HR Directors",
    "Front-Line Staff",
    "Village Boards",
    "Commissions",
    "Township Partners",
)

TITLE_FORMS: dict[str, tuple[str, ...]] = {
    ResourceKind.TOOLKIT: ("{Phrase} Toolkit", "{Phrase} Toolkit for {audience}"),
    ResourceKind.GUIDE: (
        "A Guide to {Phrase}",
        "{Phrase}: A Practical Guide",
        "Getting Started with {Phrase}",
    ),
    ResourceKind.CASE_STUDY: (
        "{community}: {Phrase} Case Study",
        "How {community} Approached {Phrase}",
        "Case Study: {Phrase} in {audience}",
    ),
    ResourceKind.TEMPLATE: ("{Phrase} Template", "Sample {Phrase} Plan for {audience}"),
    ResourceKind.TRAINING: ("{Phrase} Training Module", "Workshop: {Phrase} for {audience}"),
    ResourceKind.DATA: ("{Phrase} Survey Results {year}", "{Phrase} Dashboard {year}"),
    ResourceKind.POLICY: ("{community} {Phrase} Policy", "Model {Phrase} Policy"),
}
KINDS = tuple(TITLE_FORMS)
KIND_WEIGHTS = (3, 4, 3, 2, 2, 2, 2)

NAME_STARTS = (
    "Oak", "Elm", "Willow", "Prairie", "River", "Maple", "Cedar", "Lake", "Fox", "Deer",
    "Glen", "North", "West", "South", "Rolling", "Spring", "Stone", "Hickory", "Orchard", "Pine",
)  # fmt: skip
NAME_ENDS = (
    "brook", "field", "wood", " Grove", " Heights", " Park", "ville", "ton", " Ridge",
    " Hills", " Falls", "dale", " Forest", "moor", " Crossing",
)  # fmt: skip
NAME_FORMS = ("Village of {}", "City of {}", "Town of {}", "{}")
COUNTIES = ("Cook", "DuPage", "Kane", "Lake", "McHenry", "Will", "Kendall")

# What a coordinator would add to the sample's vocabulary (only terms the sample lacks go in).
SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("LEP", ("language access", "limited English proficiency")),
    ("HR", ("human resources",)),
    ("PB", ("participatory budgeting",)),
    ("ADA", ("accessibility",)),
    ("RFP", ("procurement", "request for proposals")),
    ("DEI", ("diversity equity and inclusion",)),
    ("HRC", ("human relations commission",)),
    ("EJ", ("environmental justice",)),
    ("ARPA", ("American Rescue Plan Act",)),
    ("CAO", ("chief administrative officer",)),
)


@dataclass(frozen=True)
class Seeded:
    """What `seed_corpus` wrote (and what the database then held)."""

    resources: int  # rows in `resources`
    active: int  # of them not retired
    added: int  # resources this call wrote
    communities: int
    volunteers: int
    topics: int
    synonyms: int
    indexed: int  # rows in the resource index
    practices_indexed: int  # rows in the practice index
    seconds: float


def _slug(text_: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text_.lower()).strip("-")


def _title_case(phrase: str) -> str:
    # "RFP" and "COVID-19" keep their capitals; "hiring" becomes "Hiring".
    return " ".join(word if word[:1].isupper() else word.capitalize() for word in phrase.split())


def community_rows(seed: int) -> list[dict[str, Any]]:
    """The communities: names made up from common parts, each with practices and contacts."""
    chooser = random.Random(f"communities:{seed}")
    names = [start + end for start in NAME_STARTS for end in NAME_ENDS]
    chooser.shuffle(names)
    practices = [phrase for theme in THEMES for phrase in theme.phrases]
    rows = []
    for number, base in enumerate(names[:COMMUNITIES], start=1):
        name = chooser.choice(NAME_FORMS).format(base.strip())
        contacts = [f"U0C{number:04d}{n:02d}" for n in range(1, chooser.randint(1, 3) + 1)]
        rows.append(
            {
                "key": f"c-{_slug(base)}",
                "name": name,
                "county": chooser.choice(COUNTIES),
                "practices": chooser.sample(practices, chooser.randint(2, 5)),
                "contacts": contacts,
            }
        )
    return rows


def volunteer_rows(seed: int, community_ids: Sequence[int]) -> list[dict[str, Any]]:
    chooser = random.Random(f"volunteers:{seed}")
    practices = [phrase for theme in THEMES for phrase in theme.phrases]
    rows = []
    for number in range(1, VOLUNTEERS + 1):
        practice = chooser.choice(practices)
        rows.append(
            {
                "user_id": f"U0V{number:06d}",
                "practice": practice,
                "practice_key": peers.practice_key(practice),
                "community_id": chooser.choice(community_ids) if chooser.random() < 0.6 else None,
                "created_at": datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=number),
            }
        )
    return rows


def history_topics(seed: int, before_month: str) -> list[dict[str, Any]]:
    """One topic a month from the group's first meeting to `before_month` (YYYY-MM, excluded).

    The first fifteen months are the seeds' own calendar; later months cycle through the themes.
    """
    seeds_calendar: list[tuple[str, tuple[str, ...]]] = [
        ("First Meeting", ()),
        *((theme.title, theme.phrases[:3]) for theme in THEMES[:14]),
    ]
    chooser = random.Random(f"topics:{seed}")
    year, month = FIRST_MONTH
    rows: list[dict[str, Any]] = []
    while f"{year:04d}-{month:02d}" < before_month:
        key = f"{year:04d}-{month:02d}"
        if len(rows) < len(seeds_calendar):
            title, keywords = seeds_calendar[len(rows)]
        else:
            theme = chooser.choice(THEMES)
            title, keywords = theme.title, theme.phrases[:3]
        rows.append(
            {"key": key, "month": key, "title": title, "summary": "", "keywords": list(keywords)}
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rows


def resource_row(
    seed: int, number: int, today: date, communities: Sequence[tuple[int, str]]
) -> dict[str, Any]:
    """Resource `number` of the corpus: the same whatever the corpus's size."""
    chooser = random.Random(f"resource:{seed}:{number}")
    theme = chooser.choices(THEMES, weights=[t.weight for t in THEMES])[0]
    kind = chooser.choices(KINDS, weights=KIND_WEIGHTS)[0]
    phrase = chooser.choice(theme.phrases)
    community = chooser.choice(communities) if chooser.random() < COMMUNITY_SHARE else None
    added = datetime.combine(today, day_time(12), tzinfo=UTC) - timedelta(
        minutes=chooser.randrange(HISTORY_DAYS * 24 * 60)
    )
    forms = [f for f in TITLE_FORMS[kind] if community is not None or "{community}" not in f]
    form = chooser.choice(forms)
    title = form.format(
        Phrase=_title_case(phrase),
        audience=chooser.choice(AUDIENCES),
        community=community[1] if community else "",
        year=added.year,
    )
    where = f" in {community[1]}" if community else ""
    other = chooser.choice(THEMES)
    summary = " ".join(
        part
        for part in (
            f"{chooser.choice(theme.doings)}{where}.",
            f"Also touches on {chooser.choice(other.phrases)}." if chooser.random() < 0.3 else "",
            chooser.choice(CLOSINGS),
        )
        if part
    )
    tags = [theme.title, *chooser.sample(theme.phrases, min(len(theme.phrases), 2))]
    if chooser.random() < 0.2:
        tags.append(chooser.choice(other.phrases))
    key = f"r-{number:06d}"
    confirmed = None
    if chooser.random() < CONFIRMED_SHARE:
        confirmed = added + (datetime.combine(today, day_time(12), tzinfo=UTC) - added) * (
            chooser.random()
        )
    return {
        "key": key,
        "title": title,
        "url": ADDRESS_BASE + key if chooser.random() < URL_SHARE else None,
        "kind": str(kind),
        "summary": summary,
        "topics": list(dict.fromkeys(tags)),
        "community_id": community[0] if community else None,
        "added_at": added,
        "retired_at": added + timedelta(days=30) if chooser.random() < RETIRED_SHARE else None,
        "confirmed_at": confirmed,
    }


def _chunks(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _insert(session: Session, model: type[Any], rows: Sequence[dict[str, Any]]) -> None:
    for chunk in _chunks(rows):
        session.execute(insert(model).values(list(chunk)))


def _count(session: Session, table: str) -> int:
    return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def seed_corpus(db: Database, *, resources: int, today: date, seed: int = DEFAULT_SEED) -> Seeded:
    """Fills (or grows) the corpus in `db` to `resources` resources, in one transaction.

    The first call also imports the sample file and writes the calendar's history, the
    synonyms, the communities and the volunteers; later calls add only the missing resources.
    """
    started = time.perf_counter()
    with db.transaction(write=True) as session:
        if not session.exec(
            select(Community.id).where(col(Community.key).startswith("c-"))
        ).first():
            _seed_everything_else(session, seed)
        communities = [
            (int(row_id), name)
            for row_id, name in session.exec(
                select(Community.id, Community.name)
                .where(col(Community.key).startswith("c-"))
                .order_by(col(Community.id))
            )
            if row_id is not None
        ]
        have = int(session.exec(select(func.count()).select_from(Resource)).one())
        synthetic = int(
            session.exec(
                select(func.count()).select_from(Resource).where(col(Resource.key).startswith("r-"))
            ).one()
        )
        wanted = max(0, resources - have)
        rows = [
            resource_row(seed, number, today, communities)
            for number in range(synthetic + 1, synthetic + wanted + 1)
        ]
        _insert(session, Resource, rows)
        seeded = _verified(session, added=len(rows), started=started)
    return seeded


def _seed_everything_else(session: Session, seed: int) -> None:
    sample = datafile.load(SAMPLE)
    imports.apply(session, sample)
    months = sorted(topic.month for topic in sample.topics)
    taken = set(session.exec(select(Topic.month)))
    history = history_topics(seed, months[0] if months else "9999-12")
    _insert(session, Topic, [row for row in history if row["month"] not in taken])
    known = {synonyms.key_of(term) for term in session.exec(select(Synonym.term))}
    _insert(
        session,
        Synonym,
        [
            {"key": synonyms.key_of(term), "term": term, "means": list(means)}
            for term, means in SYNONYMS
            if synonyms.key_of(term) not in known
        ],
    )
    _insert(session, Community, community_rows(seed))
    ids = [
        int(row_id)
        for row_id in session.exec(select(Community.id).where(col(Community.key).startswith("c-")))
        if row_id is not None
    ]
    _insert(session, PeerVolunteer, volunteer_rows(seed, sorted(ids)))


def _verified(session: Session, *, added: int, started: float) -> Seeded:
    """What the tables hold, after checking that the triggers indexed every row they should."""
    session.flush()
    total = _count(session, "resources")
    active = int(
        session.exec(
            select(func.count()).select_from(Resource).where(col(Resource.retired_at).is_(None))
        ).one()
    )
    indexed = _count(session, "resource_search")
    if indexed != active:
        raise BenchError(
            f"the resource index holds {indexed} rows for {active} resources in use: "
            "are migration 0003's triggers in place?"
        )
    practices = sum(
        len(row) for row in session.exec(select(Community.practices)) if isinstance(row, list)
    ) + _count(session, "peer_volunteers")
    practices_indexed = _count(session, "practice_search")
    if practices_indexed != practices:
        raise BenchError(
            f"the practice index holds {practices_indexed} rows for {practices} practices"
        )
    return Seeded(
        resources=total,
        active=active,
        added=added,
        communities=_count(session, "communities"),
        volunteers=_count(session, "peer_volunteers"),
        topics=_count(session, "topics"),
        synonyms=_count(session, "synonyms"),
        indexed=indexed,
        practices_indexed=practices_indexed,
        seconds=time.perf_counter() - started,
    )


def describe(seeded: Seeded) -> str:
    return (
        f"{seeded.resources} resources ({seeded.active} in use, {seeded.added} just added), "
        f"{seeded.communities} communities, {seeded.volunteers} volunteers, {seeded.topics} "
        f"topics, {seeded.synonyms} synonyms; index: {seeded.indexed} resources, "
        f"{seeded.practices_indexed} practices; {seeded.seconds:.1f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--database-url", required=True, help="a database `dei-bot db upgrade`d")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    parser.add_argument("--show", type=int, default=0, help="print this many resources")
    args = parser.parse_args(argv)
    from bot.config import normalise_database_url

    db = Database(normalise_database_url(args.database_url))
    try:
        seeded = seed_corpus(db, resources=args.resources, today=args.today, seed=args.seed)
        progress(describe(seeded))
        if args.show:
            with db.transaction() as session:
                shown = session.exec(
                    select(Resource).where(col(Resource.key).startswith("r-")).limit(args.show)
                )
                for resource in shown:
                    print(
                        f"{resource.key} [{resource.kind}] {resource.title}\n"
                        f"    {resource.summary}\n    topics: {'; '.join(resource.topics)}"
                        f"\n    url: {resource.url}"
                    )
    except BenchError as error:
        progress(f"search_corpus: {error}")
        return 1
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
