"""Cross-source facts on small hand-written stories: frames date their own clause, the same words are
agreement, two events on two days are not a contradiction, one event on two days is, and attributes
of named things (a title, a hyphenated count) are compared across articles. Real spaCy and MiniLM;
the people, places and outlets are invented."""

from __future__ import annotations

from storydesk.claims.compare import attribute_clash
from storydesk.model import Fact, Participant, Story


def _links(story: Story, kind: str) -> list:
    return [l for l in story.links if l.kind == kind]


def _claim_text(story: Story, cid: str) -> str:
    return next(c.text for c in story.claims if c.id == cid)


def test_each_clause_is_dated_by_its_own_time_expression(analyse_pile):
    story = analyse_pile(("https://a.example/1", "2018-08-13",
                              "Lawyer Aitor Velasquez said in a statement Monday that his client, a veteran of the agency, "
                              "was fired Friday afternoon by the agency's director.\n\nThe agency declined to comment."))
    by_predicate = {f.predicate: f for f in story.facts if f.event_class != "attribute"}
    assert by_predicate["say"].reporting and by_predicate["say"].time == "2018-08-13"
    assert by_predicate["fire"].time == "2018-08-10" and by_predicate["fire"].event_class == "fire"
    # the timeline holds both events of the sentence, each on its own day
    dates = {e.date for e in story.timeline}
    assert {"2018-08-13", "2018-08-10"} <= dates


BODY = ("The city council of Northbridge met on Tuesday to debate the budget for the coming year, which has been "
        "delayed for months.\n\n")


def test_the_same_quoted_words_are_agreement_never_a_contradiction(analyse_pile):
    quote = ("\u201cWe stand by our reporting and the sources who informed it, and we urge the council to make clear "
             "what it is not disputing,\u201d Mara Quint said.")
    story = analyse_pile(
        # two independent reports (they share little but the quote: well under the copy threshold)
        ("https://a.example/q", "2020-03-04", BODY + quote + "\n\nThe vote is expected next week, after a "
         "hearing at which residents of the east side will speak about bus routes and library hours."),
        ("https://b.example/q", "2020-03-04", "Northbridge's paper came under fire this week over its budget story.\n\n"
         "The editor, Mara Quint, later wrote that \u201cwe stand by our reporting and the sources who informed it, and "
         "we urge the council to make clear what it is not disputing.\u201d"),
    )
    assert not _links(story, "contradict")
    agree = [l for l in _links(story, "agree") if "stand by our reporting" in _claim_text(story, l.claims[0])]
    assert agree and agree[0].basis == "quote"
    quoted = next(c for c in story.claims if "stand by our reporting" in c.text)
    assert quoted.agreeing_sources and not quoted.single_source


def test_two_events_on_two_days_are_not_one_event_misdated(analyse_pile):
    story = analyse_pile(
        ("https://a.example/e", "2019-01-19", "In a rare statement issued Friday night, prosecutor Lena Morrow's office "
         "disputed the Harbor Ledger's report that Governor Paul Aske had ordered the contract."),
        ("https://b.example/e", "2019-01-20", "Governor Paul Aske on Saturday said he appreciated prosecutor Lena Morrow "
         "releasing a statement disputing parts of the Harbor Ledger's report."),
    )
    assert not [l for l in story.links if l.kind == "contradict" and l.slot == "date"]


def test_one_event_dated_to_two_different_days_is_a_date_contradiction(analyse_pile):
    story = analyse_pile(
        ("https://a.example/d", "2021-05-10", BODY + "The council fired the city manager, Anna Berg, on Friday after a "
         "closed session.\n\nShe had held the post for six years."),
        ("https://b.example/d", "2021-05-10", BODY + "The council fired Anna Berg, the city manager, on Wednesday after "
         "a closed session.\n\nResidents protested outside the hall."),
    )
    dated = [l for l in _links(story, "contradict") if l.slot == "date"]
    assert len(dated) == 1
    assert sorted(dated[0].values) == ["2021-05-05", "2021-05-07"]
    assert all("fired" in _claim_text(story, c) for c in dated[0].claims)


def test_a_title_or_count_given_differently_is_a_contradiction_of_that_slot(analyse_pile):
    story = analyse_pile(
        ("https://a.example/t", "2022-02-02", "The order came from Deputy Director Tomas Reyes of the port authority. "
         "He recommended a 60-day suspension for the inspector."),
        ("https://b.example/t", "2022-02-02", "Executive Assistant Director Tomas Reyes gave the order at the port "
         "authority. A 30-day suspension was recommended for the inspector."),
    )
    slots = {l.slot: l for l in _links(story, "contradict")}
    assert "role" in slots and "Deputy Director" in slots["role"].explanation
    assert "number" in slots and {"'60-day'", "'30-day'"} == set(slots["number"].values)
    # the flag on the article names the slot and quotes the other source
    flagged = [f for a in story.articles for f in (a.reliability.flags if a.reliability else []) if f.span]
    assert all(f.related for f in flagged)


def _title(value: str) -> Fact:
    return Fact(id=value, article="a", span=(0, 1), sentence=(0, 1), predicate="title", predicate_span=(0, 1),
                event_class="attribute", participants=[Participant("entity:x", "subject", "X", (0, 1))], value=value)


def test_titles_clash_only_where_one_person_cannot_hold_both():
    assert attribute_clash(_title("director|deputy"), _title("director|assistant executive"))
    assert attribute_clash(_title("attorney|u.s."), _title("attorney|assistant u.s."))
    assert attribute_clash(_title("leader|house minority"), _title("whip|house minority"))
    assert attribute_clash(_title("spokesman|"), _title("counsel|deputy special"))
    # one person, several true titles
    assert not attribute_clash(_title("senator|kentucky"), _title("leader|majority senate"))
    assert not attribute_clash(_title("official|fbi"), _title("agent|fbi special"))
    assert not attribute_clash(_title("president|"), _title("chairman|party"))
    assert not attribute_clash(_title("president|founding"), _title("leader|founding"))
    assert not attribute_clash(_title("secretary|pentagon press"), _title("spokesman|pentagon"))
    assert not attribute_clash(_title("director|deputy"), _title("director|deputy"))
    assert not attribute_clash(_title("spokesman|"), _title("spokesman|deputy department state"))
    assert attribute_clash(_title("director|intelligence national"), _title("director|deputy intelligence national"))


def test_only_checkable_claims_are_single_source(analyse_pile):
    story = analyse_pile(
        ("https://a.example/s", "2020-03-04", BODY + "It was a long and tiring evening for everyone who was in the room."),
        ("https://b.example/s", "2020-03-04", "Northbridge councillors rejected the plan of mayor Ilse Varga by seven votes to two."),
    )
    vague = next(c for c in story.claims if "tiring evening" in c.text)
    assert not vague.checkable and not vague.single_source
    named = next(c for c in story.claims if "Ilse Varga" in c.text)
    assert named.checkable and named.single_source


def test_an_abbreviated_rank_and_a_count_of_one_kind_of_thing_are_compared(analyse_pile):
    # "Capt." splits into "Capt" and "."; a deal and a pact are one kind of thing
    story = analyse_pile(
        ("https://a.example/r", "2022-03-03", "Soon, Capt. Ron Ortiz of the Harbor Police said the port would stay open.\n\n"
         "The 12-nation trade deal will be signed in the spring."),
        ("https://b.example/r", "2022-03-03", "Ron Ortiz, the superintendent of the harbor police, said the port "
         "would stay open.\n\nThe 14-nation pact will be signed in the spring."),
    )
    slots = {l.slot: l for l in _links(story, "contradict")}
    assert "role" in slots and "superintendent" in slots["role"].explanation
    assert "number" in slots and {"'12-nation'", "'14-nation'"} == set(slots["number"].values)


def test_a_clause_with_no_participants_is_about_what_its_sentence_names(analyse_pile):
    story = analyse_pile(
        ("https://a.example/l", "2013-06-07", "A former official confirmed that the Harbor Agency launched the "
         "program in 2005 to watch shipping.\n\nLawmakers asked for a briefing."),
        ("https://b.example/l", "2013-06-07", "The Courier reported Thursday on the Harbor Agency and a program "
         "launched in 2007 called Lighthouse.\n\nLawmakers asked for a briefing."),
    )
    dated = [l for l in _links(story, "contradict") if l.slot == "date"]
    assert [sorted(l.values) for l in dated] == [["2005", "2007"]]


def test_a_phrase_both_outlets_quote_is_one_statement_but_words_of_a_long_quote_are_not(analyse_pile):
    story = analyse_pile(
        ("https://a.example/p", "2020-05-06", BODY + "She said the council had an \u201cunusual chance\u201d to settle "
         "the bus dispute before the summer.\n\n\u201cThe city council should meet the drivers this week,\u201d the "
         "mayor said at the depot."),
        ("https://b.example/p", "2020-05-06", "The mayor argued that the vote gave the council \"this unusual chance\" "
         "to end the strike over bus routes.\n\nA union leader said: \"Nobody on the city council has called us.\""),
    )
    quoted = [l for l in _links(story, "agree") if l.basis == "quote"]
    assert [l.explanation for l in quoted] == ["both quote the words 'unusual chance'"]
