"""Read a SOC report's facts from its text, by structure (soc-report-anatomy.md).

Each fact is looked for where reports put it — the cover, the auditor's report and its
opinion paragraph, management's assertion, the system description, the tests of controls —
and comes with the page and sentence it was read from. A fact not found is left out:
the reader never guesses.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from socwizard.core.evidence import dates as dates_mod
from socwizard.core.evidence.dates import DateRange, Found
from socwizard.core.evidence.document import Document
from socwizard.core.evidence.model import Fact
from socwizard.core.evidence.sections import Region, find_sections, is_heading_like, is_title_case

# A sentence that names a report type only to say it is not this one, or is another one.
_ASIDE = re.compile(
    r"\bnot\b|\bno\s+longer\b|also\s+(?:available|issued|prepared)|available\s+(?:up)?on|upon\s+request"
    r"|separate(?:ly)?\b|subservice|hosting\s+provider|cloud\s+provider|\bprovider'?s\b|in\s+addition"
    r"|additionally|other\s+reports?|supersed|replac|formerly|previous|prior\b|predecessor|retired"
    r"|\bnor\b|rather\s+than|instead\s+of",
    re.I,
)
_NEGATED = re.compile(
    r"\b(?:not|no|nor|neither|never|excluded|outside)\b|\bexcept\b|rather\s+than|instead\s+of", re.I
)
_CATEGORY = r"(?:security|availability|processing\s+integrity|confidentiality|privacy)"
_CATEGORY_LIST = re.compile(
    rf"\b{_CATEGORY}(?:\s*(?:,|;|&|\band\b|,\s*and\b)\s*{_CATEGORY})*\b",
    re.I,
)
_BOILERPLATE = re.compile(
    r"comprise|consist|\bfive\b|defin|\bare\s+as\s+follows|include\s+the\s+following|2017\s+trust\s+services"
    r"|criteria\s+for\s+security,\s+availability,\s+processing|categories\s+are\b|tsp\s+section\s+100"
    r"|not\s+(?:included|in\s+scope|covered|part)|excluded|outside|were\s+not|was\s+not|did\s+not",
    re.I,
)
_NAME_WORD = r"(?:[A-Z0-9][\w&'.-]*|&|of|and|de|du|der|von|van)"
_SUFFIX = (
    r"(?:,?\s+(?:Inc\.?|LLC|L\.L\.C\.|LLP|L\.L\.P\.|Ltd\.?|Limited|L\.P\.|LP|Corp(?:oration|\.)?|Co\.|GmbH"
    r"|AG|plc|PLC|S\.A\.|B\.V\.|N\.V\.|Pty\.?\s+Ltd\.?|PLLC|P\.C\.|SE|SAS|S\.r\.l\."
    r"|(?-i:ASA|AS|AB|A/S|ApS|Oyj|Oy|S\.p\.A\.|SpA|BV|NV|SARL|S\.L\.)))"
)
NAME = rf"[A-Z][\w&'.-]*(?:\s+{_NAME_WORD}){{0,7}}?{_SUFFIX}?"
_FIRM_SUFFIX = re.compile(
    r"(?:\b(?:LLP|L\.L\.P|LLC|L\.L\.C|PLLC|P\.C|CPAs?|Certified\s+Public\s+Accountants|Chartered\s+Accountants"
    r"|Ltd|Limited|GmbH|AG|S\.A|and\s+Company|Partners|Assurance(?:\s+Services)?|Auditors?|Accountants"
    r"|(?-i:ASA|AS|AB|ApS|Oyj|Oy|BV|NV))\b\.?|&\s+Co\b\.?)"
)
_AICPA_NAME = re.compile(r"American\s+Institute\s+of\s+Certified|Public\s+Company\s+Accounting", re.I)
_CRITERION_ID = re.compile(
    r"\b(?:CC\d{1,2}\.\d{1,2}|PI1\.\d{1,2}|A1\.\d{1,2}|C1\.\d{1,2}|P\d{1,2}\.\d{1,2})\b"
)
_OBJECTIVE_ID = re.compile(r"\bcontrol\s+objectives?\s+(?:no\.?\s*)?(\d{1,2}(?:\.\d{1,2})?)\b", re.I)
_ROW_ID = re.compile(
    r"^(?:(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}(?:\.\d{1,2})?|(?:CO|Control\s+Objective|Objective)\s*\d{1,2}(?:\.\d{1,2})?"
    r"|\d{1,2}\.\d{1,2}(?:\.\d{1,2})?|(?!SOC|ISO|PCI|NIST|TLS|SSL|AES|SHA|RFC|ISAE|SSAE)[A-Z]{1,6}[-.]?\d{1,3}(?:\.\d{1,2})?)"
    r"(?=$|[\s:.)\-])"
)
_NO_EXCEPTION = re.compile(
    r"\bno\s+(?:relevant\s+|other\s+)?(?:exceptions?|deviations?)\b|\bwithout\s+(?:exception|deviation)"
    r"|\b(?:exceptions?|deviations?)\s*(?:noted|identified)?\s*:\s*(?:none|n/?a)\b",
    re.I,
)
_EXCEPTION = re.compile(
    r"\b(?:exceptions?|deviations?)\s+(?:was\s+|were\s+|have\s+been\s+|has\s+been\s+)?(?:noted|identified|found|observed|detected)\b"
    r"|\b(?:exceptions?|deviations?)\s*(?:noted\s*)?:"
    r"|\b(?:noted|identified|found|observed)\s+(?:the\s+following\s+|an?\s+|\w+\s+)?(?:exceptions?|deviations?)\b"
    r"|\b\d+\s+(?:of|out\s+of)\s+(?:the\s+)?\d+\b[^.]{0,160}\b(?:not|no|without|lacked|missing|failed|late|after|retained|more\s+than|longer\s+than|exceed\w*|beyond)\b"
    r"|\bcontrol\s+(?:was\s+not|did\s+not)\s+(?:operat|perform)",
    re.I,
)
_RESPONSE = re.compile(r"\bmanagement'?s?\s+response\b|\bresponse\s+from\s+management\b", re.I)


@dataclass
class _Ctx:
    doc: Document
    sections: dict[str, Region]
    front: Region
    dayfirst: bool
    dates: list[Found]

    def region(self, name: str) -> Region | None:
        return self.sections.get(name)

    def fact(self, value: Any, start: int, end: int) -> Fact:
        return Fact(value, self.doc.page_of(start), self.doc.quote(start, end))

    def block_fact(self, value: Any, start: int, end: int) -> Fact:
        """A fact quoted as its lines (a signature block), up to two lines before the match."""
        text = self.doc.text
        left = text.rfind("\n", 0, start) + 1
        for _ in range(2):
            previous = text.rfind("\n", 0, max(0, left - 1)) + 1
            if left <= 1 or text[left - 2] == "\n" or left - previous > 60:
                break
            left = previous
        right = text.find("\n", end)
        quote = " ".join(text[left : right if right >= 0 else len(text)].split())
        return Fact(value, self.doc.page_of(start), quote[-220:])

    def dates_in(self, region: Region) -> list[Found]:
        return [d for d in self.dates if region.start <= d.start < region.end]

    def ranges_in(self, region: Region) -> list[DateRange]:
        return list(dates_mod.find_ranges(self.doc.flat, self.dates_in(region)))


def _sentence_at(doc: Document, pos: int, end: int | None = None) -> str:
    """The sentence around ``pos``: bounded by sentence stops, and by lines that end one."""
    text = doc.text
    end = pos if end is None else end
    left = text.rfind("\n", 0, pos) + 1
    for _ in range(4):  # previous lines that do not end a sentence belong to it
        if left <= 1 or re.search(r"[.:;!?]\s*$|\n\n$", text[max(0, left - 3) : left - 1] + "\n"):
            break
        previous = text.rfind("\n", 0, left - 1) + 1
        if left - previous > 200:
            break
        left = previous
    right = text.find("\n", end)
    right = len(text) if right < 0 else right
    for _ in range(4):
        if re.search(r"[.:;!?]\s*$", text[max(0, right - 3) : right]) or right + 1 >= len(text):
            break
        following = text.find("\n", right + 1)
        following = len(text) if following < 0 else following
        if following == right + 1:
            break
        right = following
    stop_left = doc.flat.rfind(". ", left, pos)
    if stop_left >= 0:
        left = stop_left + 2
    stop_right = doc.flat.find(". ", end, right)
    if stop_right >= 0:
        right = stop_right + 1
    return doc.flat[left:right]


def _regions(ctx: _Ctx, *names: str) -> list[Region]:
    out: list[Region] = []
    for name in names:
        if name == "front":
            out.append(ctx.front)
        elif name == "opinion":
            opinion = _opinion_region(ctx)
            if opinion is not None:
                out.append(opinion)
        elif name == "all":
            out.append(Region(0, len(ctx.doc.text)))
        else:
            found = ctx.region(name)
            if found is not None:
                out.append(found)
    return out


def _search(ctx: _Ctx, pattern: re.Pattern[str], regions: Iterable[Region]) -> Iterable[re.Match[str]]:
    for region in regions:
        yield from pattern.finditer(ctx.doc.flat, region.start, region.end)


# --- the report's identity: kind and type -----------------------------------------


_SOC_LABEL = re.compile(
    r"\bSOC\s*(?:for\s+service\s+organi[sz]ations\s*)?(?:®\s*)?([123])(?:\s*®)?(?!\.\d)\b"
    r"|\bS(?:ervice|ystem)\s+(?:and\s+)?Organi[sz]ation\s+Controls?\s*(?:\(SOC\)\s*)?(?:®\s*)?(?:No\.?\s*)?([123])\b",
    re.I,
)


def _kind(ctx: _Ctx) -> Fact | None:
    doc = ctx.doc
    flat = doc.flat
    head = flat[: ctx.front.end] if ctx.front.end else flat[:3000]
    short = doc.page_count <= 6
    opinion = re.search(r"\bin\s+our\s+opinion\b|\bservice\s+auditor\b", flat, re.I)
    iso = re.search(r"\bISO\s*/?\s*IEC\s*27001\b|\bISO\s+27001\b", head, re.I)
    if iso and short and not opinion and re.search(r"certif|registration", flat, re.I):
        return ctx.fact("iso27001_certificate", iso.start(), iso.end())
    bridge = re.search(r"\b(?:bridge|gap)\s+(?:letter|period)\b", flat, re.I)
    if short and not opinion:
        if bridge:
            return ctx.fact("bridge_letter", bridge.start(), bridge.end())
        changes = re.search(
            r"\b(?:not\s+aware\s+of\s+any|no)\s+(?:material\s+|significant\s+)?changes\b", flat, re.I
        )
        if changes and _SOC_LABEL.search(flat):
            return ctx.fact("bridge_letter", changes.start(), changes.end())
    scores: dict[str, float] = {}
    first: dict[str, re.Match[str]] = {}
    weights = [(ctx.front, 3.0), *((r, 2.0) for r in _regions(ctx, "auditor")), (Region(0, len(flat)), 0.5)]
    for region, weight in weights:
        for match in _SOC_LABEL.finditer(flat, region.start, region.end):
            sentence = _sentence_at(doc, match.start(), match.end())
            if _ASIDE.search(sentence):
                continue
            kind = f"soc{match.group(1) or match.group(2)}"
            scores[kind] = scores.get(kind, 0.0) + weight
            first.setdefault(kind, match)
    if scores:
        kind = max(scores, key=lambda k: (scores[k], -first[k].start()))
        match = first[kind]
        return ctx.fact(kind, match.start(), match.end())
    soc1 = re.search(
        r"\bISAE\s*3402\b|\bAT-?C\s*(?:section\s*)?320\b|internal\s+control\s+over\s+financial\s+reporting"
        r"[^.]{0,200}relevant|control\s+objectives\s+stated\s+in\s+the\s+description",
        flat,
        re.I,
    )
    tsc = re.search(r"\btrust\s+services\s+criteria\b", flat, re.I)
    if tsc and not soc1:
        return ctx.fact("soc2", tsc.start(), tsc.end())
    if soc1:
        return ctx.fact("soc1", soc1.start(), soc1.end())
    # Readable, but none of the kinds above: say what it calls itself (its first line).
    first_line = next(iter(doc.lines()), None)
    if first_line is None:
        return None
    return ctx.fact("other", first_line.start, first_line.end)


_THROUGHOUT = re.compile(r"operated\s+effectively\s+throughout|throughout\s+the\s+period", re.I)
_TYPE_LABEL = re.compile(r"\bType\s*(II|2|Two|I|1|One)\b(?![.\d])", re.I)


def _type(ctx: _Ctx, kind: str | None) -> Fact | None:
    if kind not in ("soc1", "soc2"):
        return None
    doc = ctx.doc
    scores = {"type1": 0.0, "type2": 0.0}
    first: dict[str, re.Match[str]] = {}
    for region, weight in [(ctx.front, 3.0), *((r, 2.0) for r in _regions(ctx, "auditor", "assertion"))]:
        for match in _TYPE_LABEL.finditer(doc.flat, region.start, region.end):
            token = match.group(1).lower()
            if token in ("i", "1", "one") and not match.group(0)[0].isupper():
                continue  # "type i" in running text is not a label
            sentence = _sentence_at(doc, match.start(), match.end())
            if _ASIDE.search(sentence):
                continue
            name = "type2" if token in ("ii", "2", "two") else "type1"
            scores[name] += weight
            first.setdefault(name, match)
    if first:
        name = max(first, key=lambda k: scores[k])
        return ctx.fact(name, first[name].start(), first[name].end())
    for region in _regions(ctx, "opinion", "auditor", "front"):
        found = _THROUGHOUT.search(doc.flat, region.start, region.end)
        if found:
            return ctx.fact("type2", found.start(), found.end())
        as_of = re.compile(r"\bas\s+(?:of|at)\s+" + dates_mod.DATE.pattern, re.I).search(
            doc.flat, region.start, region.end
        )
        if as_of and not re.search(r"operat\w*\s+effective", doc.flat[region.start : region.end], re.I):
            return ctx.fact("type1", as_of.start(), as_of.end())
    return None


# --- dates --------------------------------------------------------------------------


_PERIOD_CUE = re.compile(r"(?:period|throughout|from|between|covering|during|for)\b[^.]{0,40}$", re.I)


def _period(ctx: _Ctx, names: Sequence[str]) -> tuple[Fact, Fact] | None:
    for region in _regions(ctx, *names):
        for rng in ctx.ranges_in(region):
            before = ctx.doc.flat[max(0, rng.start - 60) : rng.start]
            span = (rng.last.date - rng.first.date).days
            if _PERIOD_CUE.search(before) and 20 <= span <= 3 * 366:
                start = ctx.fact(rng.first.date.isoformat(), rng.start, rng.end)
                end = ctx.fact(rng.last.date.isoformat(), rng.start, rng.end)
                return start, end
    return None


_ENDED = re.compile(r"\b(?:period|months?|year)\s+(?:then\s+)?end(?:ed|ing)\s+(?:on\s+)?$", re.I)


def _period_ended(ctx: _Ctx) -> Fact | None:
    """The end of a period written as "the twelve months ended 31 December 2025" (no start)."""
    for region in _regions(ctx, "opinion", "front", "auditor"):
        for found in ctx.dates_in(region):
            before = ctx.doc.flat[max(0, found.start - 40) : found.start]
            if _ENDED.search(before):
                return ctx.fact(found.date.isoformat(), found.start, found.end)
    return None


def _as_of(ctx: _Ctx) -> Fact | None:
    pattern = re.compile(r"\bas\s+(?:of|at)\s+", re.I)
    for region in _regions(ctx, "front", "opinion", "auditor", "assertion"):
        for found in ctx.dates_in(region):
            before = ctx.doc.flat[max(0, found.start - 12) : found.start]
            if pattern.search(before):
                return ctx.fact(found.date.isoformat(), found.start - len(before), found.end)
    return None


_REPORT_DATE_LABEL = re.compile(
    r"\b(?:report\s+(?:issue\s+|issuance\s+)?date|date\s+of\s+(?:the\s+)?(?:auditor'?s\s+)?report|report\s+dated"
    r"|date\s+of\s+issu(?:e|ance)|issue\s+date|issued\s+on|dated)\s*:?\s*$",
    re.I,
)
_NOT_SIGNATURE = re.compile(
    r"\b(?:period|through|thru|to|until|and|as\s+of|as\s+at|ended|ending|from|since|between|on|effective)\s*,?\s*$",
    re.I,
)


def _report_date(ctx: _Ctx, after: dt.date | None) -> tuple[Fact | None, int | None]:
    """The date that closes the auditor's report (its issuance), and where it is."""
    doc = ctx.doc
    auditor = ctx.region("auditor") or _opinion_region(ctx)
    candidates: list[Found] = []
    if auditor is not None:
        for found in ctx.dates_in(auditor):
            line_start = doc.text.rfind("\n", 0, found.start) + 1
            line_end = doc.text.find("\n", found.end)
            before = doc.text[line_start : found.start]
            after_text = doc.text[found.end : line_end if line_end >= 0 else len(doc.text)]
            if after_text.strip(" .") or _NOT_SIGNATURE.search(
                doc.flat[max(0, found.start - 40) : found.start]
            ):
                continue
            if len(before) > 80 and not _FIRM_SUFFIX.search(before):
                continue
            candidates.append(found)
    for region in _regions(ctx, "front", "auditor"):
        for found in ctx.dates_in(region):
            if _REPORT_DATE_LABEL.search(doc.flat[max(0, found.start - 40) : found.start]):
                candidates.insert(0, found)
                break
    for found in reversed(candidates) if candidates and auditor else candidates:
        if after is None or found.date >= after:
            return ctx.block_fact(found.date.isoformat(), found.start, found.end), found.start
    return None, None


# --- who: organisation and auditor ----------------------------------------------------


_ORG_PATTERNS = [
    re.compile(
        rf"\bWe\s+(?:have\s+examined|(?:have\s+been|were)\s+engaged\s+to\s+(?:examine|report\s+on))\s+"
        rf"(?:the\s+(?:accompanying\s+|attached\s+)?"
        rf"(?:description|assertion)\s+(?:of|by)\s+(?:the\s+)?)?(?P<name>{NAME}?)(?:'s?|')\s"
    ),
    re.compile(
        rf"\bTo\s+(?:the\s+)?(?i:board\s+of\s+directors|management(?:\s+board)?|directors|shareholders|stakeholders)"
        rf"(?:\s+and\s+(?:the\s+)?(?i:management|board\s+of\s+directors|shareholders))?\s+of\s+(?P<name>{NAME})\s*[:\n,]"
    ),
    re.compile(rf"\bReport\s+on\s+(?:the\s+)?(?P<name>{NAME}?)(?:'s?|')\s"),
    re.compile(rf"(?P<name>{NAME})\s*\(\s*\"?(?:the\s+)?(?:Company|Service\s+Organi[sz]ation)\"?\s*\)"),
    re.compile(
        r"\b(?:certif(?:y|ies)\s+that|is\s+(?:granted|issued)\s+to|awarded\s+to)\s+(?:the\s+)?"
        r"(?:(?:information\s+security\s+)?management\s+system\s+(?:of|operated\s+by)\s+)?"
        rf"(?P<name>[A-Z][\w&'.-]*(?:[ \t]+{_NAME_WORD}){{0,7}}{_SUFFIX}?)",
        re.I,
    ),
    re.compile(
        rf"(?P<name>{NAME}?)(?:'s?|')\s+(?:most\s+recent\s+|latest\s+)?(?:SOC|System\s+and\s+Organi[sz]ation)"
    ),
]
_CERTIFIED = 4  # the certificate pattern in _ORG_PATTERNS
_NOT_A_NAME = re.compile(
    r"^(?:the|this|our|we|its|their|management|company|service|report|description|section|in|a|an|an?y)$",
    re.I,
)


def _tidy_name(name: str) -> str:
    name = " ".join(name.split()).strip(" ,;:\"'")
    return re.sub(r"^(?:the|The)\s+", "", name)


def _service_organization(ctx: _Ctx) -> Fact | None:
    for index, pattern in enumerate(_ORG_PATTERNS):
        text = ctx.doc.text if index == _CERTIFIED else ctx.doc.flat  # names end at the line there
        for region in _regions(ctx, "auditor", "front", "assertion", "all"):
            for match in pattern.finditer(text, region.start, region.end):
                name = _tidy_name(match.group("name"))
                suffix = re.search(_SUFFIX, name)
                if index == _CERTIFIED and suffix:
                    name = name[: suffix.end()]
                if len(name) < 2 or (_NOT_A_NAME.match(name.split()[0]) and len(name.split()) == 1):
                    continue
                return ctx.fact(name, match.start("name"), match.end("name"))
    return None


_LETTERHEAD = re.compile(rf"^(?P<name>[A-Z][\w&'.-]*(?:[ \t]+{_NAME_WORD}){{0,7}}?{_SUFFIX})[ \t]*$", re.M)


def _letterhead(ctx: _Ctx) -> Fact | None:
    """A letter's sender: a company name (with its legal form) alone on one of its first lines."""
    text = ctx.doc.text
    head_end = 0
    for _ in range(4):
        nxt = text.find("\n", head_end + 1)
        head_end = nxt if nxt >= 0 else len(text)
    match = _LETTERHEAD.search(text, 0, head_end)
    if match is None:
        return None
    return ctx.fact(_tidy_name(match.group("name")), match.start("name"), match.end("name"))


_FIRM_LINE = re.compile(
    rf"(?:/s/\s*|Signed:?\s*|By:?\s*)?(?P<name>[A-Z][\w&'.,-]*(?:\s+{_NAME_WORD}){{0,7}}?\s*{_FIRM_SUFFIX.pattern}"
    rf"(?:,?\s*{_FIRM_SUFFIX.pattern})*)"
)
_FIRM_LABEL = re.compile(
    r"\b(?:prepared|issued|examined|audited|performed|signed)\s+by\s*:?[ \t]*"
    r"|\b(?:independent\s+)?(?:service\s+)?auditor\s*:[ \t]*|\b(?:certification|certifying)\s+body\s*:?[ \t]*"
    r"|\bregistrar\s*:[ \t]*",
    re.I,
)


def _labelled_firm(ctx: _Ctx) -> Fact | None:
    """Prepared by X, Certification body: X: the rest of the line, cut after a firm suffix."""
    text = ctx.doc.text
    for region in _regions(ctx, "front", "auditor", "all"):
        for match in _FIRM_LABEL.finditer(text, region.start, region.end):
            line_end = text.find("\n", match.end())
            rest = text[match.end() : line_end if line_end >= 0 else len(text)][:120]
            if not rest[:1].isupper():
                continue
            suffix = _FIRM_SUFFIX.search(rest)
            if suffix:
                more = re.compile(rf"(?:,?\s*{_FIRM_SUFFIX.pattern})*").match(rest, suffix.end())
                rest = rest[: more.end() if more else suffix.end()]
            else:
                rest = re.split(r"[.;]\s|\s+(?:This|The|It|and|which)\s", rest)[0]
            name = _tidy_name(rest)
            if len(name) >= 2 and not _AICPA_NAME.search(name):
                return ctx.fact(name, match.end(), match.end() + len(rest))
    return None


def _service_auditor(ctx: _Ctx, date_at: int | None) -> Fact | None:
    doc = ctx.doc
    if date_at is not None:
        line_start = doc.text.rfind("\n", 0, date_at) + 1
        window_start = line_start
        for _ in range(3):
            window_start = doc.text.rfind("\n", 0, max(0, window_start - 1)) + 1
        lines = doc.text[window_start:date_at].split("\n")
        offset = window_start
        best: tuple[int, int] | None = None
        for line in lines:
            if not re.search(r"\b(?:we|our|is|are|was|were)\b", line, re.I) or len(line) < 60:
                match = _FIRM_LINE.search(line)
                if match and not _AICPA_NAME.search(match.group("name")):
                    best = (offset + match.start("name"), offset + match.end("name"))
            offset += len(line) + 1
        if best is not None:
            name = _tidy_name(doc.text[best[0] : best[1]])
            trimmed = _DESCRIPTOR.sub("", name)
            if not _LEGAL_FORM_END.search(trimmed):
                trimmed = name
            return ctx.block_fact(trimmed, best[0], best[1] - (len(name) - len(trimmed)))
    return _labelled_firm(ctx)


# "Heather & Lyle LLP, Chartered Accountants": the firm is its legal name; the descriptor
# that follows a legal form is the profession, not part of the name.
_DESCRIPTOR = re.compile(
    r"(?<=[a-zA-Z.])[,\s]+(?:Chartered\s+(?:Certified\s+)?Accountants|Certified\s+Public\s+Accountants"
    r"|(?:State\s+)?Authori[sz]ed\s+Public\s+Accountants?|Registered\s+Auditors|Statutory\s+Auditors?)$"
)
_LEGAL_FORM_END = re.compile(r"\b(?:LLP|Ltd\.?|LLC|PLC|plc|GmbH|P\.C\.|Limited|ASA|AS|AB|ApS|Oyj|Oy|BV|NV)$")


# --- what: standard, opinion, criteria --------------------------------------------


_STANDARDS = [
    (re.compile(r"\bSSAE\s*(?:No\.?\s*)?(\d{2})\b"), "SSAE {0}"),
    (
        re.compile(
            r"\bStatement\s+on\s+Standards\s+for\s+Attestation\s+Engagements\s+(?:No\.?\s*)?(\d{2})\b", re.I
        ),
        "SSAE {0}",
    ),
    (re.compile(r"\bAT-?C\s*(?:section\s*|sec\.\s*|§\s*)?(\d{3})\b", re.I), "AT-C {0}"),
    (re.compile(r"\bISAE\s*(?:\(UK\)\s*)?(?:No\.?\s*)?(3402|3000)\b"), "ISAE {0}"),
    (
        re.compile(r"\bSAS\s*(?:No\.?\s*)?(70)\b|Statement\s+on\s+Auditing\s+Standards\s+No\.?\s*(70)\b"),
        "SAS {0}",
    ),
    (re.compile(r"\bISO\s*/?\s*IEC\s*(27001)(?::\s*(\d{4}))?", re.I), "ISO/IEC {0}"),
]
_AICPA = re.compile(r"attestation\s+standards\s+established\s+by\s+the\s+American\s+Institute", re.I)


def _standard(ctx: _Ctx) -> Fact | None:
    found: list[tuple[int, int, str]] = []
    for region in _regions(ctx, "front", "auditor") or _regions(ctx, "all"):
        for pattern, template in _STANDARDS:
            for match in pattern.finditer(ctx.doc.flat, region.start, region.end):
                if re.search(
                    r"supersed|replac|formerly|previous|no\s+longer|retired",
                    _sentence_at(ctx.doc, match.start()),
                    re.I,
                ):
                    continue
                groups = [g for g in match.groups() if g]
                label = template.format(groups[0])
                if template.startswith("ISO") and len(groups) > 1:
                    label += f":{groups[1]}"
                found.append((match.start(), match.end(), label))
    labels: list[str] = []
    for _, _, label in sorted(found):
        if label not in labels:
            labels.append(label)
    if len([x for x in labels if x.startswith("AT-C")]) > 1 and "AT-C 105" in labels:
        labels.remove("AT-C 105")
    if labels:
        first = min(found)
        return ctx.fact(" / ".join(labels), first[0], first[1])
    for match in _search(ctx, _AICPA, _regions(ctx, "auditor", "all")):
        return ctx.fact("AICPA attestation standards", match.start(), match.end())
    return None


_IN_OUR_OPINION = re.compile(r"\bin\s+our\s+opinion\b", re.I)
_NO_OPINION = re.compile(r"\bwe\s+do\s+not\s+express\s+an\s+opinion\b(?!\s+on\s+(?:the\s+)?operating)", re.I)


def _opinion_region(ctx: _Ctx) -> Region | None:
    auditor = ctx.sections.get("auditor")
    search_in = auditor or Region(0, len(ctx.doc.text))
    match = _IN_OUR_OPINION.search(ctx.doc.flat, search_in.start, search_in.end)
    match = match or _NO_OPINION.search(ctx.doc.flat, search_in.start, search_in.end)
    if match is None:
        return None
    end = min(search_in.end, match.start() + 1800)
    stop = re.compile(
        r"\b(?:Restricted|Intended)\s+Use\b|\bOther\s+Matters?\b|\bEmphasis\s+of\s+Matter\b"
    ).search(ctx.doc.flat, match.end(), end)
    return Region(match.start(), stop.start() if stop else end)


_BASIS = re.compile(r"\bBasis\s+for\s+(Qualified|Adverse|Disclaimer\s+of)\s+Opinion\b", re.I)
_OPINION_HEADING = re.compile(r"^(?:\w+\.\s+)?(Qualified|Adverse|Disclaimer\s+of)\s+Opinion\b", re.I | re.M)
_DISCLAIM = re.compile(
    r"\bwe\s+do\s+not\s+express\s+an\s+opinion\b(?!\s+on\s+(?:the\s+)?(?:operating\s+effectiveness|information|other|section|management|any\s+other))"
    r"|\bwe\s+(?:were\s+)?unable\s+to\s+obtain\s+sufficient\s+appropriate\s+evidence\s+to\s+provide\s+a\s+basis\s+for\s+an\s+opinion"
    r"|\bwe\s+express\s+no\s+opinion\s+on\s+(?:the\s+description|whether|the\s+fairness|the\s+suitability)",
    re.I,
)
_ADVERSE = re.compile(
    r"because\s+of\s+the\s+(?:significance|effects?|pervasive)[^.]{0,300}?\b(?:not|did\s+not|do\s+not|does\s+not)\s+"
    r"(?:\w+\s+){0,4}(?:present|suitably|operat|fairly)",
    re.I,
)
_EXCEPT_FOR = re.compile(r"\bexcept\s+for\b", re.I)


def _opinion(ctx: _Ctx) -> tuple[Fact | None, Fact | None]:
    doc = ctx.doc
    auditor = ctx.sections.get("auditor")
    opinion = _opinion_region(ctx)
    if auditor is None and opinion is None:
        return None, None
    if auditor is not None:
        span = auditor
    else:
        assert opinion is not None
        span = Region(max(0, opinion.start - 6000), opinion.end)
    label: str | None = None
    where: tuple[int, int] | None = None
    basis = _BASIS.search(doc.flat, span.start, span.end)
    heading = _OPINION_HEADING.search(doc.text, span.start, span.end)
    for match in (basis, heading):
        if match is not None:
            word = match.group(1).lower()
            label = "disclaimer" if word.startswith("disclaimer") else word
            where = (match.start(), match.end())
            break
    if label is None:
        disclaim = _DISCLAIM.search(doc.flat, span.start, span.end)
        if disclaim:
            label, where = "disclaimer", (disclaim.start(), disclaim.end())
        elif opinion is not None:
            adverse = _ADVERSE.search(doc.flat, opinion.start, opinion.end)
            except_for = _EXCEPT_FOR.search(doc.flat, opinion.start, opinion.end)
            if adverse:
                label, where = "adverse", (adverse.start(), adverse.end())
            elif except_for:
                label, where = "qualified", (except_for.start(), except_for.end())
            else:
                label, where = "unmodified", (opinion.start, opinion.start + 15)
    if label is None or where is None:
        return None, None
    fact = ctx.fact(label, *where)
    modified = None
    if label != "unmodified":
        modified = _modified_criteria(ctx, span, basis, opinion)
    return fact, modified


def _modified_criteria(
    ctx: _Ctx, span: Region, basis: re.Match[str] | None, opinion: Region | None
) -> Fact | None:
    doc = ctx.doc
    if basis is not None:
        start = basis.start()
        stop = re.compile(
            r"\b(?:Qualified|Adverse)?\s*Opinion\b(?!\s+(?:is|was))|\bIn\s+our\s+opinion\b", re.I
        )
        after = stop.search(doc.flat, basis.end(), span.end)
        end = after.start() if after else min(span.end, start + 2500)
    elif opinion is not None:
        start, end = max(span.start, opinion.start - 1500), opinion.end
    else:
        return None
    ids: list[str] = []
    first: tuple[int, int] | None = None
    for match in _CRITERION_ID.finditer(doc.flat, start, end):
        if match.group(0) not in ids:
            ids.append(match.group(0))
            first = first or (match.start(), match.end())
    for match in _OBJECTIVE_ID.finditer(doc.flat, start, end):
        label = f"Control Objective {match.group(1)}"
        if label not in ids:
            ids.append(label)
            first = first or (match.start(), match.end())
    if not ids or first is None:
        return None
    return ctx.fact(ids, *first)


def _categories(text: str) -> list[str]:
    order = ["security", "availability", "processing_integrity", "confidentiality", "privacy"]
    found = {re.sub(r"\s+", "_", m.lower()) for m in re.findall(_CATEGORY, text, re.I)}
    return [c for c in order if c in found]


_SCOPE_CUE_BEFORE = re.compile(
    r"(?:relevant\s+to|criteria\s+(?:for|relevant\s+to|related\s+to)|categor(?:y|ies)\s+(?:of|for)|principles?\s+(?:of|for)"
    r"|cover(?:s|ing|ed)?|address(?:es|ing|ed)?|in\s+scope|scope\s+(?:includes|of)|based\s+on|applicable\s+to|pertaining\s+to"
    r"|include[sd]?|to\s+meet)\s*(?:the\s+)?(?:applicable\s+)?(?:trust\s+services\s+)?(?:criteria\s+(?:for|relevant\s+to)\s+)?(?:the\s+)?$",
    re.I,
)
_SCOPE_CUE_AFTER = re.compile(r"^\s*(?:\(|trust\s+services\s+)?(?:categor|criteri|principle)", re.I)


def _criteria(ctx: _Ctx, kind: str | None) -> Fact | None:
    if kind not in ("soc2", "soc3"):
        return None
    doc = ctx.doc
    for region in _regions(ctx, "front", "opinion", "auditor", "assertion", "description"):
        for match in _CATEGORY_LIST.finditer(doc.flat, region.start, region.end):
            before = doc.flat[max(0, match.start() - 90) : match.start()]
            after = doc.flat[match.end() : match.end() + 40]
            if not (_SCOPE_CUE_BEFORE.search(before) or _SCOPE_CUE_AFTER.search(after)):
                continue
            sentence = _sentence_at(doc, match.start(), match.end())
            found = _categories(match.group(0))
            if _BOILERPLATE.search(before[-60:] + match.group(0) + after[:20]) or (
                len(found) == 5 and _BOILERPLATE.search(sentence)
            ):
                continue
            if re.search(r"\b(?:not|excluded|outside)\b", before[-40:], re.I):
                continue
            return ctx.fact(found, match.start(), match.end())
    return None


def _additional(ctx: _Ctx) -> Fact | None:
    pattern = re.compile(r"\bHIPAA\b|Health\s+Insurance\s+Portability|\bHITECH\b|\bHITRUST\b", re.I)
    values: list[str] = []
    first: tuple[int, int] | None = None
    for match in _search(ctx, pattern, _regions(ctx, "front", "auditor")):
        if re.search(r"\bnot\b|\bno\b|\bnor\b", _sentence_at(ctx.doc, match.start(), match.end()), re.I):
            continue
        value = "hitrust" if "hitrust" in match.group(0).lower() else "hipaa"
        if value not in values:
            values.append(value)
            first = first or (match.start(), match.end())
    if not values or first is None:
        return None
    return ctx.fact(values, *first)


# --- subservice organisations --------------------------------------------------------


_METHOD_PATTERNS = [
    (
        "none",
        re.compile(
            r"\b(?:does|did)\s+not\s+(?:use|rely\s+on|utili[sz]e|engage)\s+(?:any\s+)?subservice"
            r"|\bno\s+subservice\s+organi[sz]ations?\s+(?:were|are|is|was|have\s+been)\b"
            r"|\bthere\s+(?:are|were)\s+no\s+subservice|\bwithout\s+(?:the\s+use\s+of\s+)?(?:any\s+)?subservice",
            re.I,
        ),
    ),
    ("inclusive", re.compile(r"\binclusive\s+method\b", re.I)),
    ("carve_out", re.compile(r"\bcarve[\s-]*out\b|\bcarved[\s-]*out\b", re.I)),
    (
        "inclusive",
        re.compile(
            r"\b(?:description|examination|report)\s+(?:also\s+)?(?:includes?|included|covers|covered|encompass\w*)\s+"
            r"(?!(?:\w+\s+){0,3}only\b)(?:the\s+)?(?:relevant\s+|applicable\s+)?(?:\w+\s+){0,3}(?:controls|services|control\s+objectives)\s+(?:of|at|provided\s+by|performed\s+by)"
            r"|\bincludes?\s+(?:the\s+)?(?:relevant\s+)?controls\s+(?:of|at)\s+(?:the\s+)?"
            r"[\w ,.&'-]{0,60}subservice"
            r"|\bsubservice\s+organi[sz]ation'?s?'?\s+(?:relevant\s+)?controls\s+(?:are|were)\s+included\b",
            re.I,
        ),
    ),
    (
        "carve_out",
        re.compile(
            r"\b(?:description|examination|report)\s+(?:excludes|excluded|does\s+not\s+(?:include|extend\s+to|disclose)|did\s+not\s+(?:include|extend\s+to))\s+"
            r"(?:the\s+)?(?:actual\s+|related\s+|relevant\s+)?(?:\w+\s+){0,3}(?:controls?|services|control\s+objectives)"
            r"(?:\s+\w+){0,2}?\s+(?:of|at|provided\s+by|performed\s+by|by)\b"
            r"|\bincludes\s+only\s+(?:the\s+)?(?:control\s+objectives\s+and\s+(?:related\s+)?)?controls\s+of"
            r"|\bexcludes\s+(?:the\s+)?(?:related\s+|relevant\s+)?(?:control\s+objectives\s+and\s+)?(?:related\s+)?controls\s+of"
            r"|\bsubservice\s+organi[sz]ation'?s?'?\s+(?:relevant\s+)?controls\s+(?:are|were)\s+(?:not\s+included|excluded)\b",
            re.I,
        ),
    ),
]


def _subservice_method(ctx: _Ctx) -> Fact | None:
    for region in _regions(ctx, "auditor", "front", "description", "assertion"):
        for value, pattern in _METHOD_PATTERNS:
            for match in pattern.finditer(ctx.doc.flat, region.start, region.end):
                before = ctx.doc.flat[max(0, match.start() - 30) : match.start()]
                if value != "none" and re.search(
                    r"rather\s+than|instead\s+of|not\s+(?:the|use)\s*$", before, re.I
                ):
                    continue
                return ctx.fact(value, match.start(), match.end())
    return None


_SUBSERVICE_NAMES = [
    re.compile(
        rf"\b(?P<name>{NAME})\s+(?:is|serves\s+as|acts\s+as)\s+(?:a|an|the|its)\s+(?:third[-\s]party\s+)?"
        r"subservice\s+organi[sz]ation"
    ),
    re.compile(
        rf"\b(?:uses|used|utili[sz]es|relies\s+on|engages)\s+(?P<list>{NAME}(?:(?:,|;|,?\s+and)\s+{NAME}){{0,5}})\s+as\s+"
        r"(?:its\s+)?(?:third[-\s]party\s+)?subservice\s+organi[sz]ations"
    ),
    re.compile(
        rf"\b(?:uses|used|utili[sz]es|relies\s+on|engages|outsources\s+\w+\s+to)\s+(?P<name>{NAME})"
        r"(?:\s*\(\s*\"?[\w&. -]{1,30}\"?\s*\))?,?\s+(?:as\s+)?(?:a|an|its|the)\s+"
        r"(?:third[-\s]party\s+)?subservice\s+organi[sz]ation"
    ),
    re.compile(
        rf"\b(?P<name>{NAME})\s*(?:\(\s*\"?[\w&. -]{{1,30}}\"?\s*\))?,\s+(?:a|an|its|the)\s+"
        r"(?:third[-\s]party\s+)?subservice\s+organi[sz]ation"
    ),
    re.compile(
        rf"\bsubservice\s+organi[sz]ation,\s+(?P<name>{NAME})(?:\s*\(|,|\s+(?:which|that|to|for|provides))"
    ),
    re.compile(
        r"\bsubservice\s+organi[sz]ations?\s+(?:is|are|was|were|include|includes)?:?\s*"
        rf"(?P<list>{NAME}(?:\s*(?:\(\s*\"?[\w&. -]{{1,30}}\"?\s*\))?(?:,|;|,?\s+and)\s+{NAME}){{0,5}})"
    ),
]


def _subservice_names(ctx: _Ctx, org: str | None) -> Fact | None:
    names: list[str] = []
    first: tuple[int, int] | None = None
    for pattern in _SUBSERVICE_NAMES:
        for match in _search(ctx, pattern, _regions(ctx, "auditor", "description", "assertion")):
            group = "list" if "list" in pattern.groupindex else "name"
            text = match.group(group)
            parts = (
                re.split(
                    r"\s*(?:\(\s*\"?[\w&. -]{1,30}\"?\s*\))?\s*(?:;|,?\s+and\s+|,\s+(?=[A-Z][a-z]))", text
                )
                if group == "list"
                else [text]
            )
            for part in parts:
                name = _tidy_name(part)
                words = name.split()
                if not words or _NOT_A_NAME.match(words[0]) or (org and name.lower() in org.lower()):
                    continue
                if re.fullmatch(
                    r"(?:Subservice|Organi[sz]ations?|Controls?|Complementary|Section|The|Criteria)\b.*", name
                ):
                    continue
                if name not in names and not any(name in n for n in names):
                    names = [n for n in names if n not in name]
                    names.append(name)
                    first = first or (match.start(group), match.end(group))
    if not names or first is None:
        return None
    return ctx.fact(names, *first)


# --- lists: CUECs and CSOCs ------------------------------------------------------------


_CUEC_HEADING = re.compile(
    r"^(?:[\dIVX]+(?:\.\d+)*\.?\s+)?(?:complementary\s+user[\s-]+entity\s+controls?|user[\s-]+entity\s+control\s+considerations"
    r"|complementary\s+(?:customer|client|user)\s+controls?|user\s+entity\s+responsibilities|customer\s+(?:control\s+)?responsibilities"
    r"|complementary\s+controls\s+(?:at|of|for)\s+(?:user|customer|client)\s+(?:entities|organi[sz]ations)"
    r"|(?:controls\s+expected\s+(?:of|at)|responsibilities\s+of)\s+(?:user|customer|client)\s+(?:entities|organi[sz]ations)"
    r"|user\s+(?:entity\s+)?control\s+considerations|client\s+(?:control\s+)?responsibilities"
    r"|user[\s-]+entity\s+controls?|CUECs?)"
    r"(?:\s*\(\s*CUECs?\s*\))?\s*:?$",
    re.I,
)
_CSOC_HEADING = re.compile(
    r"^(?:[\dIVX]+(?:\.\d+)*\.?\s+)?complementary\s+subservice\s+organi[sz]ation\s+controls?(?:\s*\(\s*CSOCs?\s*\))?\s*:?$",
    re.I,
)
_ITEM_START = re.compile(
    r"^(?:\u2022\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+"
    r"|(?=(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}(?:[,;/]\s*(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})*\s+\S))"
)
# A table cell alone on its line: a row number ("1", "CUEC 3") or a criterion id ("CC6.1").
_ROW_CELL = re.compile(r"^(?:#?\d{1,3}[.)]?|CUECs?[- ]?\d{1,3}|(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})$", re.I)
# Ids leading or trailing an item (a mapping table's number and criteria columns).
_LEAD_IDS = re.compile(
    r"^(?:(?:#?\d{1,3}[.)]?|CUECs?[- ]?\d{1,3}|(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})[\s,;/]+)+(?=[A-Z])", re.I
)
_TRAIL_IDS = re.compile(r"(?:[\s,;/]+(?:CC|PI|A|C|P)\d{1,2}\.\d{1,2})+$")
# A tests-of-controls table's column heading: the list before it has ended.
_TESTS_HEAD = re.compile(
    r"^(?:control\s*(?:#|no\.?|number|id|ref(?:erence)?|activity|activities|description)"
    r"|tests?\s+(?:performed|procedures?|applied)|(?:tests?\s+)?results?(?:\s+of\s+tests?(?:ing)?)?)$",
    re.I,
)
_INTRO = re.compile(
    r"assum|complementary|following|not\s+(?:intended|a\s+complete)|consider|should\s+be\s+in\s+place|in\s+order\s+to"
    r"|listed\s+below|below\b|designed\s+with|necessary",
    re.I,
)


def _is_subheading(text: str) -> bool:
    """A title line (two or more real words, title case, no closing punctuation), not a table cell id."""
    words = [w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() not in ("the", "and", "for")]
    return (
        len(words) >= 2
        and is_heading_like(text)
        and is_title_case(text)
        and not re.search(r"[.:]$", text)
        and not re.match(r"[A-Z]{1,5}[- ]?\d", text)
    )


def _list_blocks(ctx: _Ctx, heading: re.Pattern[str]) -> list[tuple[list[tuple[str, int]], int, int]]:
    """Blocks of items under a heading: each item (text, offset), and the heading's span."""
    doc = ctx.doc
    section_starts = sorted(r.start for r in ctx.sections.values())
    blocks: list[tuple[list[tuple[str, int]], int, int]] = []
    all_lines = list(doc.lines())
    for index, line in enumerate(all_lines):
        if line.page in doc.toc_pages or not heading.match(line.text):
            continue
        stop_at = next((s for s in section_starts if s > line.start), len(doc.text))
        items: list[list[Any]] = []
        intro: list[str] = []
        pending = ""
        for follower in all_lines[index + 1 : index + 400]:
            text = follower.text
            if follower.start >= stop_at:
                break
            row_cell = bool(_ROW_CELL.match(text.strip()))
            starts_item = bool(_ITEM_START.match(text)) or row_cell
            if row_cell:
                text = ""  # the cell starts a row; its id is not part of the control's text
            if _CUEC_HEADING.match(text) or _CSOC_HEADING.match(text) or _TESTS_HEAD.match(text.strip()):
                break
            if not items and any(x.endswith(".") for x in intro) and _is_subheading(text):
                break
            if items and not starts_item and _is_subheading(text):
                break
            if starts_item:
                lead = re.sub(r"^(?:\u2022\s+|\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+)", "", text)
                items.append([(pending + " " + lead).strip(), follower.start])
                pending = ""
            elif (
                items
                and str(items[-1][0]).endswith(".")
                and len(text.split()) <= 3
                and not text.endswith(".")
            ):
                pending = (pending + " " + text).strip()  # a table cell that leads the next row
            elif items:
                items[-1][0] += " " + (pending + " " + text).strip()
                pending = ""
            else:
                intro.append(text)
        if not items:  # no bullets: one item per sentence after the introduction
            joined = " ".join(intro)
            colon = joined.find(": ") if ":" in joined[:1200] else -1
            body = joined[colon + 2 :] if colon >= 0 else joined
            sentences = [s.strip() for s in re.split(r"(?<=\.)\s+(?=[A-Z])", body) if s.strip()]
            cursor = line.end
            for sentence in sentences:
                if len(sentence.split()) < 4 or (colon < 0 and _INTRO.search(sentence) and not items):
                    continue
                pos = doc.flat.find(sentence[:30], cursor)
                items.append([sentence, pos if pos >= 0 else line.start])
        cleaned = [(_strip_ids(str(t)), int(p)) for t, p in items]
        cleaned = [(t, p) for t, p in cleaned if len(t.split()) >= 3]
        if cleaned:
            blocks.append((cleaned, line.start, line.end))
    return blocks


def _strip_ids(text: str) -> str:
    """An item's text without the row number and criteria ids a mapping table adds."""
    text = " ".join(text.split())
    return _TRAIL_IDS.sub("", _LEAD_IDS.sub("", text)).strip()


def _item_key(text: str) -> str:
    """What makes two items the same control: its words, whatever the case and punctuation."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _items_fact(ctx: _Ctx, heading: re.Pattern[str]) -> Fact | None:
    """The items of every block under the heading, each control once.

    A report may list the CUECs in its system description and again in a table mapping
    them to criteria (with row numbers and criteria ids, its own punctuation): one
    control is counted once, in the first wording found.
    """
    blocks = _list_blocks(ctx, heading)
    if not blocks:
        return None
    seen: list[str] = []
    keys: set[str] = set()
    for items, _, _ in blocks:
        for text, _ in items:
            key = _item_key(text)
            if key not in keys:
                keys.add(key)
                seen.append(text)
    _, start, end = blocks[0]
    return ctx.fact(seen, start, end)


# --- Section 4: exceptions ------------------------------------------------------------


_HEADER_CELL = re.compile(
    r"^(?:tests?\s+)?results?(?:\s+of\s+(?:tests?|testing))?$|^exceptions?(?:\s+noted)?$|^deviations?(?:\s+noted)?$"
    r"|^(?:results|exceptions)\s*/\s*(?:exceptions|deviations)(?:\s+noted)?$",
    re.I,
)


def _table_headers(lines: Sequence[Any]) -> set[str]:
    """Column headings of the tests tables (repeated on every page), not results."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.text] = counts.get(line.text, 0) + 1
    headers = {text for text in counts if _HEADER_CELL.match(text)}
    for text, count in counts.items():
        repeated = count >= 2 and len(text) <= 40 and not text.endswith(".") and is_title_case(text)
        if repeated and not re.search(r"\bno\b|\bnone\b", text, re.I) and not _ROW_ID.match(text):
            headers.add(text)
    return headers


def _exceptions(ctx: _Ctx, kind: str | None, type_: str | None) -> Fact | None:
    if kind not in ("soc1", "soc2") or type_ == "type1":
        return None
    doc = ctx.doc
    tests = ctx.region("tests")
    if tests is None:
        after = max((r.end for n, r in ctx.sections.items() if n in ("auditor", "assertion")), default=0)
        if after == 0:
            return None
        tests = Region(after, len(doc.text))
    other = ctx.region("other")
    end = other.start if other is not None and other.start > tests.start else tests.end
    lines = list(doc.lines(tests.start, end))
    headers = _table_headers(lines)
    rows: list[tuple[str, list[Any]]] = []  # (control id, its lines)
    for line in lines:
        match = _ROW_ID.match(line.text)
        if match and not re.match(r"^\d{1,2}\.\d{1,2}\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*$", line.text):
            rows.append((match.group(0), [line]))
        elif rows and line.text not in headers:
            rows[-1][1].append(line)
    items: list[dict[str, Any]] = []
    clean_seen: tuple[int, int] | None = None
    for control, row_lines in rows:
        text = " ".join(x.text for x in row_lines)
        starts: list[int] = []
        position = 0
        for x in row_lines:
            starts.append(position)
            position += len(x.text) + 1

        def page_at(pos: int, row_lines: list[Any] = row_lines, starts: list[int] = starts) -> int:
            index = max(0, bisect.bisect_right(starts, pos) - 1)
            return int(row_lines[index].page)

        start = row_lines[0].start
        response = _RESPONSE.search(text)
        body = text[: response.start()] if response else text
        hit = None
        for match in _EXCEPTION.finditer(body):
            lead = body[max(0, match.start() - 14) : match.start()].lower()
            if re.search(r"\bno\s+(?:relevant\s+|other\s+)?$|\bwithout\s+$", lead) or _NO_EXCEPTION.match(
                body, match.start()
            ):
                continue
            hit = match
            break
        if hit is None:
            no_exc = _NO_EXCEPTION.search(body)
            if no_exc and clean_seen is None:
                at = doc.flat.find(no_exc.group(0), start)
                clean_seen = (at, at + len(no_exc.group(0))) if at >= 0 else (start, start + 1)
            continue
        described = " ".join(body[hit.start() :].split())
        items.append({"control": control, "text": described[:600], "page": page_at(hit.start())})
    if items:
        return Fact(items, items[0]["page"], str(items[0]["text"])[:200])
    if clean_seen is not None:
        return ctx.fact([], *clean_seen)
    return None


# --- legacy label, bridge letter -----------------------------------------------------------


_LEGACY = re.compile(
    r"\b(SAS)\s*(?:No\.?\s*)?70\b|Statement\s+on\s+Auditing\s+Standards\s+No\.?\s*70\b"
    r"|\b(SSAE)\s*(?:No\.?\s*)?16\b|Statement\s+on\s+Standards\s+for\s+Attestation\s+Engagements\s+No\.?\s*16\b",
    re.I,
)


def _legacy(ctx: _Ctx) -> Fact | None:
    for match in _search(ctx, _LEGACY, _regions(ctx, "front", "auditor")):
        sentence = _sentence_at(ctx.doc, match.start(), match.end())
        if re.search(
            r"supersed|replac|formerly|previous|no\s+longer|retired|prior\s+to|instead\s+of", sentence, re.I
        ):
            continue
        value = "SAS 70" if "70" in match.group(0) else "SSAE 16"
        return ctx.fact(value, match.start(), match.end())
    return None


def _bridge(ctx: _Ctx) -> tuple[Fact | None, tuple[Fact, Fact] | None]:
    doc = ctx.doc
    whole = Region(0, len(doc.text))
    ranges = ctx.ranges_in(whole)
    report_range: DateRange | None = None
    for rng in ranges:
        sentence = _sentence_at(doc, rng.start, rng.end)
        if re.search(r"\bSOC\b|report|examination|audit", sentence, re.I):
            report_range = rng
            break
    period = None
    if report_range is not None:
        period = (
            ctx.fact(report_range.first.date.isoformat(), report_range.start, report_range.end),
            ctx.fact(report_range.last.date.isoformat(), report_range.start, report_range.end),
        )
    through: Found | None = None
    for rng in ranges:
        if rng is report_range:
            continue
        sentence = _sentence_at(doc, rng.start, rng.end)
        if re.search(
            r"\b(?:bridge|gap)\b|this\s+letter|\bsince\b|subsequent", sentence, re.I
        ) and not re.search(r"\bnext\b|upcoming|expected|planned|\bwill\b", sentence, re.I):
            through = rng.last
            break
    cue = re.compile(
        r"(?:through|thru|to|until|till|up\s+to(?:\s+and\s+including)?|ending|ended|as\s+of|and)\s*$", re.I
    )
    end_of_report = report_range.last.date if report_range else None
    for found in ctx.dates if through is None else []:
        if report_range is not None and report_range.start <= found.start < report_range.end:
            continue
        before = doc.flat[max(0, found.start - 30) : found.start]
        if not cue.search(before):
            continue
        if end_of_report is not None and found.date <= end_of_report:
            continue
        if re.search(
            r"\bnext\b|upcoming|expected|planned|\bwill\b", _sentence_at(doc, found.start, found.end), re.I
        ):
            continue
        if through is None or found.date > through.date:
            through = found
    if through is None:
        to_letter = re.compile(
            r"(?:through|to|until|up\s+to)\s+(?:and\s+including\s+)?the\s+date\s+of\s+this\s+letter", re.I
        ).search(doc.flat)
        dated = [
            d
            for d in ctx.dates
            if report_range is None or not report_range.start <= d.start < report_range.end
        ]
        if to_letter and dated:  # "through the date of this letter": the letter's own date
            letter = dated[0]
            return Fact(
                letter.date.isoformat(), doc.page_of(to_letter.start()), doc.quote(*to_letter.span())
            ), period
        return None, period
    return ctx.fact(through.date.isoformat(), through.start, through.end), period


# --- ISO certificates ---------------------------------------------------------------------


def _iso_facts(ctx: _Ctx) -> dict[str, Fact]:
    doc = ctx.doc
    facts: dict[str, Fact] = {}
    issued = re.compile(
        r"(?:date\s+of\s+(?:issue|issuance)|(?<!original\s)(?<!initial\s)(?:issue|certification)\s+date|issued(?:\s+on)?"
        r"|date\s+of\s+(?:this\s+)?certificate)\s*:?\s*$",
        re.I,
    )
    expiry = re.compile(
        r"(?:expir(?:y|ation|es)(?:\s+date)?|valid\s+until|valid\s+through|valid\s+to|until)\s*:?\s*$", re.I
    )
    valid_from = re.compile(
        r"valid\s+from\s*:?\s*$|valid\s+(?:from\s+)?$|effective\s+(?:from|date)\s*:?\s*$", re.I
    )
    for rng in ctx.ranges_in(Region(0, len(doc.text))):
        if re.search(
            r"valid(?:ity)?\s+(?:period\s*:?\s*)?(?:from\s*)?:?\s*$",
            doc.flat[max(0, rng.start - 30) : rng.start],
            re.I,
        ):
            facts["period_start"] = ctx.fact(rng.first.date.isoformat(), rng.start, rng.end)
            facts["period_end"] = ctx.fact(rng.last.date.isoformat(), rng.start, rng.end)
            break
    for found in ctx.dates:
        before = doc.flat[max(0, found.start - 45) : found.start]
        if "report_date" not in facts and issued.search(before):
            facts["report_date"] = ctx.fact(found.date.isoformat(), found.start, found.end)
        if "period_end" not in facts and expiry.search(before):
            facts["period_end"] = ctx.fact(found.date.isoformat(), found.start, found.end)
        if "period_start" not in facts and valid_from.search(before):
            facts["period_start"] = ctx.fact(found.date.isoformat(), found.start, found.end)
    return facts


# --- the whole report ---------------------------------------------------------------------


def _front(doc: Document, sections: dict[str, Region]) -> Region:
    first_section = min((r.start for r in sections.values()), default=len(doc.text))
    limit = doc.page_span(min(3, doc.page_count))[1] if doc.page_count else 0
    page_one_end = doc.page_span(1)[1] if doc.page_count else 0
    return Region(0, max(page_one_end, min(first_section, limit)))


def read_pages(pages: Sequence[str]) -> dict[str, Fact]:
    """Every fact the text of these pages states, keyed as in :data:`model.FACT_KEYS`."""
    doc = Document(pages)
    sections = find_sections(doc)
    dayfirst = dates_mod.day_first(doc.flat)
    ctx = _Ctx(
        doc, sections, _front(doc, sections), dayfirst, dates_mod.find_dates(doc.flat, dayfirst=dayfirst)
    )
    facts: dict[str, Fact] = {}

    def put(key: str, fact: Fact | None) -> None:
        if fact is not None:
            facts[key] = fact

    kind = _kind(ctx)
    put("kind", kind)
    kind_value = kind.value if kind else None
    if kind_value == "bridge_letter":
        through, period = _bridge(ctx)
        put("bridge_through", through)
        if period:
            put("period_start", period[0])
            put("period_end", period[1])
        put("service_organization", _service_organization(ctx) or _letterhead(ctx))
        return facts
    if kind_value == "iso27001_certificate":
        facts.update(_iso_facts(ctx))
        put("service_organization", _service_organization(ctx))
        put("service_auditor", _service_auditor(ctx, None))
        put("standard", _standard(ctx))
        return facts
    type_ = _type(ctx, kind_value)
    put("type", type_)
    type_value = type_.value if type_ else None
    period = None if type_value == "type1" else _period(ctx, ("opinion", "front", "auditor", "assertion"))
    if period is not None:
        facts["period_start"], facts["period_end"] = period
    elif type_value == "type2":
        put("period_end", _period_ended(ctx))
    if period is None and "period_end" not in facts:
        put("as_of", _as_of(ctx))
    covered = next((facts[k].value for k in ("period_end", "as_of") if k in facts), None)
    report_date, date_at = _report_date(ctx, dt.date.fromisoformat(covered) if covered else None)
    put("report_date", report_date)
    org = _service_organization(ctx)
    put("service_organization", org)
    put("service_auditor", _service_auditor(ctx, date_at))
    put("standard", _standard(ctx))
    opinion, modified = _opinion(ctx)
    put("opinion", opinion)
    put("modified_criteria", modified)
    put("criteria", _criteria(ctx, kind_value))
    put("additional_subject_matter", _additional(ctx))
    put("subservice_method", _subservice_method(ctx))
    put("subservice_organizations", _subservice_names(ctx, org.value if org else None))
    put("cuecs", _items_fact(ctx, _CUEC_HEADING))
    put("csocs", _items_fact(ctx, _CSOC_HEADING))
    put("exceptions", _exceptions(ctx, kind_value, type_value))
    put("legacy_label", _legacy(ctx))
    return facts


Reader = Callable[[Sequence[str]], dict[str, Fact]]
