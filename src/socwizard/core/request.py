"""A letter to the vendor: what to send and what to answer, ready to paste into an email.

The result's follow-ups, the reports still needed and the findings to clear become a
short, polite, specific request — in words, never ids. The bank writes its texts for the
buyer ("Ask the vendor for its latest SOC 2 report"); here they are turned to the vendor
("Could you let us have your latest SOC 2 report?"). Follow-ups meant for the buyer's own
people ("Ask your finance team…", "Check your contracts…") stay out of the letter and are
returned apart (:attr:`Request.internal`). Pure: no textual, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from socwizard.core.assessment import Loaded
from socwizard.core.bank.models import Bank
from socwizard.core.labels import value_label
from socwizard.core.recommendation import Result
from socwizard.core.text import one_line

ASKED = ("required", "recommended")
"""Levels at which something is asked of the vendor."""
STILL_NEEDED = ("", "not_reviewed", "insufficient")
"""Evidence verdicts under which the SOC reports themselves are still to be sent."""

# Extras the built-in bank defines, asked in the vendor's terms (others: their label).
_EXTRAS: dict[str, str] = {
    "bridge_letter": "A bridge letter covering the time from the end of your report's period to today.",
    "hipaa_or_hitrust": "Your HIPAA assurance or HITRUST certification for the service.",
    "pci_dss_aoc": "Your current PCI DSS Attestation of Compliance.",
    "subservice_reports": "The SOC reports of the subservice organisations your report carves out.",
    "cuec_review": "The list of complementary user entity controls your report expects of us.",
    "scope_check": "Confirmation that the products, modules and regions we use are in your report's scope.",
    "type2_commitment": "A written, dated commitment to a Type II report.",
}


@dataclass(frozen=True)
class Request:
    """The request to the vendor, in plain sentences (no markup)."""

    vendor: str
    subject: str
    documents: list[str] = field(default_factory=list)
    """Reports and documents to send."""
    questions: list[str] = field(default_factory=list)
    """Questions for the vendor."""
    findings: list[str] = field(default_factory=list)
    """What the report sent leaves open, to be explained or closed."""
    internal: list[str] = field(default_factory=list)
    """Follow-ups for the buyer's own team: not part of the letter."""

    @property
    def empty(self) -> bool:
        """Nothing to ask the vendor."""
        return not (self.documents or self.questions or self.findings)


# --- turning the buyer's words to the vendor -------------------------------------------------

_TO_VENDOR = "Ask the vendor "
_SWAP = {"your": "our", "Your": "Our", "you": "we", "You": "We", "its": "your", "Its": "Your"}
_AGREE = {"is": "are", "was": "were", "has": "have", "does": "do"}


def _swap_persons(text: str) -> str:
    """The buyer's "you/your" become "we/our", the vendor's "its" becomes "your".

    "it" becomes "you" only as the subject after "whether" ("whether it uses" →
    "whether you use"), in a relative clause about the vendor ("the organisations it
    carves out" → "the organisations you carve out") and as the object of "give";
    elsewhere "it" is a thing.
    """

    def subject(match: re.Match[str]) -> str:
        verb = match.group(2)
        verb = _AGREE.get(verb) or (verb[:-1] if verb.endswith("s") and not verb.endswith("ss") else verb)
        return f"{match.group(1)} YOU_ {verb}"

    text = re.sub(r"\b(whether) it (\w+)", subject, text)
    # A relative clause about the vendor: "the organisations it carves out".
    text = re.sub(r"\b(organisations|providers|services|that|which) it (?!is\b|was\b)(\w+s)\b", subject, text)
    text = re.sub(r"\bgive it\b", "give YOU_", text)
    text = re.sub(r"\b(your|Your|you|You|its|Its)\b", lambda m: _SWAP[m.group(1)], text)
    return text.replace("YOU_", "you")


def vendor_question(ask: str) -> str | None:
    """A follow-up written for the buyer as a question to the vendor, or None if internal.

    ``Ask the vendor for its SLA.`` → ``Could you let us have your SLA?``;
    ``Ask the vendor whether it uses…`` → ``Could you tell us whether you use…?``;
    ``Ask your finance team…`` → None.
    """
    text = one_line(ask, 500)
    if not text.startswith(_TO_VENDOR):
        return None
    rest = re.sub(r"^\([^)]*\)\s*", "", text[len(_TO_VENDOR) :]).rstrip(". ")
    rest = re.sub(r",? and check\b.*$", "", rest)  # "…, and check it is licensed": the buyer's job
    rest = _swap_persons(rest)
    if rest.startswith("for the period"):
        lead, rest = "Could you tell us", rest[len("for ") :]
    elif rest.startswith("for "):
        lead, rest = "Could you let us have", rest[len("for ") :]
    elif rest.startswith("to "):
        lead, rest = "Could you", rest[len("to ") :]
    else:
        lead = "Could you tell us"
    rest = rest.replace(", and for ", ", and send us ")
    return f"{lead} {rest}?"


def _third_person(text: str, vendor: str) -> str:
    """A finding as the vendor reads it: "the vendor" named, the buyer's "you" as "we"."""
    name = vendor or "your company"
    text = re.sub(r"\b[Tt]he vendor's\b", f"{name}'s", one_line(text, 500))
    text = re.sub(r"\b[Tt]he vendor\b", name, text)
    text = re.sub(r"\b(your|Your|you|You)\b", lambda m: _SWAP[m.group(1)], text)
    return text


# --- what to ask -------------------------------------------------------------------------


def _families(result: Result) -> list[str]:
    """The SOC reports still to be sent: ``Your latest SOC 2 Type II report, covering …``."""
    out: list[str] = []
    for outcome in result.outcomes.values():
        family, _, leaf = outcome.id.rpartition(".")
        if leaf != "level" or "." in family or not family or outcome.value not in ASKED:
            continue
        kind = result.value(f"{family}.type")
        name = outcome.label + (f" {value_label(kind)}" if kind and kind != "none" else "")
        criteria = [
            o.label.removesuffix(" criteria")
            for o in result.outcomes.values()
            if o.id.startswith(f"{family}.criteria.") and o.value == "required"
        ]
        line = f"Your latest {name} report"
        if criteria:
            line += ", covering the " + _join(criteria) + " criteria"
        out.append(line + ".")
    return out


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _extras(result: Result) -> list[str]:
    out: list[str] = []
    for outcome in result.outcomes.values():
        parts = outcome.id.split(".")
        if parts[0] != "extras" or outcome.value not in ASKED or getattr(outcome, "satisfied", False):
            continue
        out.append(_EXTRAS.get(parts[1] if len(parts) > 1 else "", "") or f"{outcome.label}.")
    return out


def vendor_request(loaded: Loaded, bank: Bank) -> Request:
    """What to ask the vendor for, from the recomputed result."""
    del bank  # the result already carries every label
    a = loaded.assessment
    r = loaded.result
    vendor = one_line(a.vendor, 120)
    reports_needed = r.value("evidence.verdict") in STILL_NEEDED
    documents = (_families(r) if reports_needed else []) + _extras(r)
    questions: list[str] = []
    internal: list[str] = []
    for fu in r.follow_ups:
        asked = vendor_question(fu.ask) if fu.ask != fu.prompt else _third_person(fu.prompt, vendor)
        if asked is None:
            internal.append(one_line(fu.ask, 500))
        elif asked not in questions:
            questions.append(asked)
    findings = [_sentence(_third_person(f.label, vendor)) for f in r.findings]
    subject = f"{vendor}: reports and answers for our vendor review" if vendor else "Our vendor review"
    return Request(vendor, subject, list(dict.fromkeys(documents)), questions, findings, internal)


# --- the letter ----------------------------------------------------------------------------


def render_request(loaded: Loaded, bank: Bank, *, assessor: str | None = None) -> str:
    """The request as plain text that also reads as Markdown, ready to paste into an email.

    Nothing in it is Markdown syntax except ``-`` bullets and ``1.`` numbers, and every
    file string is flattened to one line, so it pastes cleanly into any mail client.
    """
    request = vendor_request(loaded, bank)
    a = loaded.assessment
    who = request.vendor or "your company"
    out = [f"Subject: {request.subject}", "", "Hello,", ""]
    if request.empty:
        out += [
            f"Thank you for the information you have provided about {who}. We have everything "
            "we need for our review at this stage.",
        ]
    else:
        out.append(
            f"We are reviewing {who} as a supplier. To complete our review, could you help us "
            "with the following?"
        )
    if request.documents:
        out += ["", "Reports and documents we need:", ""]
        out += [f"- {line}" for line in request.documents]
    if request.questions:
        out += ["", "Questions:", ""]
        out += [f"{i}. {line}" for i, line in enumerate(request.questions, 1)]
    if request.findings:
        out += ["", "Points from the report you sent that we need to clear:", ""]
        out += [f"- {line}" for line in request.findings]
        out += ["", "Could you tell us how each of these is addressed, or send us what resolves it?"]
    if not request.empty:
        out += [
            "",
            "If a report can only be shared under a non-disclosure agreement, please send us "
            "your NDA or tell us how to reach your trust portal.",
        ]
    sign = one_line(assessor if assessor is not None else a.assessor, 120)
    out += ["", "Thank you,", sign or "[your name]"]
    return "\n".join(out) + "\n"
