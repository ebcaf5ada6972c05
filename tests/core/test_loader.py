"""Bank loading: the mini bank loads; each failure mode gives FILE:LINE: key: message, all at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank, DateQuestion, MultiChoice, Number, SingleChoice, Text, YesNo

from .helpers import MINI, append, copy_bank, line_of, messages, problems, replace

FORMAT = re.compile(r"^(?P<file>[^:]+)(?::(?P<line>\d+))?: (?:(?P<key>[\w.\[\]]+): )?(?P<message>.+)$")


def parse_message(text: str) -> dict[str, str | None]:
    match = FORMAT.match(text)
    assert match, text
    return match.groupdict()


def only(directory: Path, policy: Path | None = None) -> str:
    found = messages(directory, policy)
    assert len(found) == 1, found
    return found[0]


# --- the good bank ------------------------------------------------------------------


def test_mini_bank_loads(mini_bank: Bank) -> None:
    assert mini_bank.id == "mini"
    assert mini_bank.version == "1.0"
    kinds = {type(q) for q in mini_bank.questions}
    assert kinds == {SingleChoice, MultiChoice, YesNo, Number, DateQuestion, Text}
    ids = [q.id for q in mini_bank.questions]
    assert ids == ["data_types", "financial", "sla", "payroll_detail", "fye", "notes", "report_end"]
    assert mini_bank.question("report_end") is not None
    assert mini_bank.section_of(mini_bank.questions[-1]) == "evidence"
    assert mini_bank.index("sla") == 2
    assert mini_bank.index("nope") == -1
    assert mini_bank.content_hash.startswith("sha256:")


def test_policy_values_are_substituted(mini_bank: Bank) -> None:
    stale = next(r for r in mini_bank.meta.rules if r.id == "stale")
    assert stale.when is not None
    assert getattr(stale.when, "plus_months", None) == 12
    assert mini_bank.meta.next_review[1].plus_months == 12


def test_content_hash_changes_with_any_file(tmp_path: Path, mini_bank: Bank) -> None:
    bank = copy_bank(tmp_path)
    assert load_bank(bank).content_hash == mini_bank.content_hash
    append(bank / "evidence.toml", "\n# a comment\n")
    assert load_bank(bank).content_hash != mini_bank.content_hash


def test_bom_is_accepted(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    for name in ("bank.toml", "basics.toml"):
        (bank / name).write_bytes(b"\xef\xbb\xbf" + (bank / name).read_bytes())
    assert len(load_bank(bank).questions) == 7


def test_crlf_line_endings_are_accepted(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    for name in ("bank.toml", "basics.toml", "evidence.toml"):
        (bank / name).write_bytes((bank / name).read_bytes().replace(b"\n", b"\r\n"))
    assert len(load_bank(bank).questions) == 7


# --- one failure mode each -------------------------------------------------------------


def test_duplicate_question_id(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    append(bank / "evidence.toml", '\n[[questions]]\nid = "financial"\ntype = "text"\nprompt = "Again?"\n')
    found = parse_message(only(bank))
    assert found["file"] == str(bank / "evidence.toml")
    assert found["line"] == str(line_of(bank / "evidence.toml", "[[questions]]", 1))
    assert found["key"] == "questions[1].id"
    assert "duplicate question id 'financial'" in str(found["message"])
    assert f"basics.toml:{line_of(bank / 'basics.toml', '[[questions]]', 1)}" in str(found["message"])


def test_unknown_dimension(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "basics.toml", "yes_scores = { finance = 100 }", "yes_scores = { money = 100 }")
    found = parse_message(only(bank))
    assert found["file"] == str(bank / "basics.toml")
    assert found["line"] == str(line_of(bank / "basics.toml", 'id = "financial"') - 1)
    assert found["key"] == "financial.scores.money"
    assert "unknown dimension" in str(found["message"])


def test_condition_on_a_later_question(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "basics.toml",
        'when = { question = "financial", equals = true }',
        'when = { question = "fye", answered = true }',
    )
    found = parse_message(only(bank))
    assert found["key"] == "payroll_detail.when"
    assert found["line"] == str(line_of(bank / "basics.toml", 'id = "payroll_detail"') - 1)
    assert found["message"] == "refers to 'fye', which is not asked earlier"


def test_condition_on_itself(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "basics.toml",
        'when = { question = "financial", equals = true }',
        'when = { question = "payroll_detail", answered = true }',
    )
    assert "not asked earlier" in only(bank)


def test_condition_on_an_unknown_question(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "basics.toml",
        'when = { question = "financial", equals = true }',
        'when = { question = "nope", answered = true }',
    )
    assert only(bank).endswith("payroll_detail.when: refers to unknown question 'nope'")


def test_section_condition_on_a_later_question(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "bank.toml",
        'title = "Evidence"',
        'title = "Evidence"\nwhen = { question = "report_end", answered = true }',
    )
    found = parse_message(only(bank))
    assert found["key"] == "sections[1].when"
    assert found["line"] == str(line_of(bank / "bank.toml", "[[sections]]", 1))


def test_question_condition_may_not_test_scores(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "basics.toml",
        'when = { question = "financial", equals = true }',
        'when = { score = "data", gt = 1 }',
    )
    assert "may only test earlier answers" in only(bank)


def test_condition_value_is_not_a_choice(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "bank.toml",
        'contains_any = ["customer_pii", "confidential"]',
        'contains_any = ["customer_pii", "secret"]',
    )
    found = parse_message(only(bank))
    assert found["file"] == str(bank / "bank.toml")
    assert found["key"] == "rules[3].when"
    assert found["line"] == str(line_of(bank / "bank.toml", 'id = "soc2_needed"') - 1)
    assert found["message"] == "'secret' is not a choice of 'data_types'"


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        (
            '{ question = "financial", contains = "x" }',
            "`contains` does not apply to yesno question 'financial'",
        ),
        ('{ question = "financial", gt = 1 }', "`numeric` does not apply to yesno"),
        ('{ question = "financial", before = "@reviewed_on" }', "`date` does not apply to yesno"),
        ('{ question = "data_types", equals = "none" }', "`equals` does not apply to multi"),
        ('{ question = "data_types", any_of = ["none"] }', "`any_of` does not apply to multi"),
        ('{ question = "financial", equals = "yes" }', "compare with true or false"),
        ('{ question = "sla", equals = "high" }', "is a number: compare with a number"),
        ('{ question = "report_end", equals = "x" }', "`equals` does not apply to date"),
        ('{ question = "fye", before = "sla" }', "'sla' is not a date question"),
    ],
)
def test_operator_must_fit_the_question_type(tmp_path: Path, condition: str, fragment: str) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "bank.toml", 'when = { question = "financial", equals = true }', f"when = {condition}")
    message = only(bank)
    assert "rules[1].when: " in message
    assert fragment in message


def test_outcome_tested_before_the_rules_that_set_it(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "bank.toml",
        '[[rules]]\nid = "tier_high"',
        '[[rules]]\nid = "early"\nwhen = { outcome = "tier", equals = "high" }\n'
        'set = { "soc2.level" = "required" }\nreason = "Too early."\n\n[[rules]]\nid = "tier_high"',
    )
    found = parse_message(only(bank))
    assert found["key"] == "rules[0].when"
    assert found["line"] == str(line_of(bank / "bank.toml", "[[rules]]", 0))
    assert "which a later rule may still raise" in str(found["message"])


def test_finding_tested_before_it_is_raised(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "bank.toml",
        'when = { question = "financial", equals = true }',
        'when = { finding = "stale_report" }',
    )
    assert "no earlier rule raises" in only(bank)


def test_outcome_test_values_must_be_on_the_scale(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "bank.toml",
        'when = { outcome = "tier", at_least = "high" }',
        'when = { outcome = "tier", at_least = "extreme" }',
    )
    assert "'extreme' is not on the scale of 'tier'" in only(bank)


def test_rule_sets_unknown_outcome_and_value_off_scale(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "bank.toml", 'set = { tier = "high" }', 'set = { tier = "extreme", "soc3.level" = "required" }'
    )
    found = messages(bank)
    assert len(found) == 2
    assert any("rules[0].set.tier: 'extreme' is not on scale 'tier'" in m for m in found)
    assert any("rules[0].set.soc3.level: unknown outcome" in m for m in found)


def test_unknown_policy_reference(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "bank.toml", 'gte = "policy:high_threshold" }, { score', 'gte = "policy:nope" }, { score')
    found = messages(bank)
    assert found
    first = parse_message(found[0])
    assert first["file"] == str(bank / "bank.toml")
    assert first["key"] == "rules[0].when.any[0].gte"
    assert first["message"] == "refers to 'policy:nope', which [policy] does not define"
    assert all("policy:nope" in m or "rules[0].when.any[0].gte" in m for m in found)


def test_unknown_policy_reference_in_a_section_file(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "basics.toml", "max = 100", 'max = "policy:max_uptime"')
    found = messages(bank)
    assert any("basics.toml: questions[2].max: refers to 'policy:max_uptime'" in m for m in found)


def _with_policy_tokens(tmp_path: Path) -> Path:
    """A mini bank quoting its policy values inside texts."""
    bank = copy_bank(tmp_path)
    replace(
        bank / "bank.toml",
        "high_threshold = 60\n",
        'high_threshold = 60\nstrict_tiers = ["medium", "high"]\n',
    )
    replace(
        bank / "bank.toml",
        'reason = "The report period ended more than 12 months before the review."',
        'reason = "The report period ended more than {policy:freshness_months} months before the review."',
    )
    replace(
        bank / "bank.toml",
        'reason = "When the vendor\'s report goes stale."',
        'reason = "{policy:freshness_months} months after the period end ({policy:strict_tiers})."',
    )
    replace(
        bank / "basics.toml",
        'help = "Pick all that apply."',
        'help = "Scores of {policy:high_threshold}+ are high."',
    )
    replace(
        bank / "basics.toml",
        'why = "Data drives SOC 2."',
        'why = "Braces {like this} and policy: stay; {policy:high_threshold}."',
    )
    return bank


def test_policy_tokens_inside_texts_are_replaced(tmp_path: Path) -> None:
    bank = load_bank(_with_policy_tokens(tmp_path))
    stale = next(r for r in bank.meta.rules if r.id == "stale")
    assert stale.reason == "The report period ended more than 12 months before the review."
    assert bank.meta.next_review[1].reason == "12 months after the period end (medium and high)."
    data_types = bank.question("data_types")
    assert data_types is not None
    assert data_types.help == "Scores of 60+ are high."
    assert data_types.why == "Braces {like this} and policy: stay; 60."


def test_a_policy_file_override_changes_the_texts(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\nfreshness_months = 18\nstrict_tiers = ["high"]\n')
    bank = load_bank(_with_policy_tokens(tmp_path), policy)
    stale = next(r for r in bank.meta.rules if r.id == "stale")
    assert stale.reason == "The report period ended more than 18 months before the review."
    assert bank.meta.next_review[1].reason == "18 months after the period end (high)."


def test_unknown_policy_token_in_a_text(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "bank.toml", 'reason = "High tier."', 'reason = "High tier ({policy:nope})."')
    replace(bank / "basics.toml", 'why = "Data drives SOC 2."', 'why = "See {policy:max_uptime}."')
    found = [parse_message(m) for m in messages(bank)]
    assert [(f["key"], f["message"]) for f in found] == [
        ("rules[4].reason", "refers to '{policy:nope}', which [policy] does not define"),
        ("questions[0].why", "refers to '{policy:max_uptime}', which [policy] does not define"),
    ]
    assert found[0]["file"] == str(bank / "bank.toml")
    assert found[1]["file"] == str(bank / "basics.toml")


@pytest.mark.parametrize("token", ["{policy: freshness_months}", "{policy:freshness_months", "{policy:}"])
def test_malformed_policy_token_in_a_text(tmp_path: Path, token: str) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "bank.toml", 'reason = "High tier."', f'reason = "High tier, {token}."')
    message = parse_message(only(bank))
    assert message["key"] == "rules[4].reason"
    assert message["message"] == "has a malformed policy token: write {policy:name}"


def test_policy_text_values_are_checked_for_control_characters(tmp_path: Path) -> None:
    bank = _with_policy_tokens(tmp_path)
    replace(
        bank / "bank.toml", 'strict_tiers = ["medium", "high"]', 'strict_tiers = ["medium\\u0007", "high"]'
    )
    message = parse_message(only(bank))
    assert message["key"] == "next_review[1].reason"
    assert "control character U+0007" in str(message["message"])


# --- the organisation's policy file ----------------------------------------------------


def test_policy_file_overrides_values_and_weights(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[policy]\nfreshness_months = 6\n\n[weights]\nsla = 3\n")
    bank = load_bank(MINI, policy)
    stale = next(r for r in bank.meta.rules if r.id == "stale")
    assert getattr(stale.when, "plus_months", None) == 6
    sla = bank.question("sla")
    assert sla is not None and sla.weight == 3.0


def test_missing_policy_file_is_fine(tmp_path: Path) -> None:
    assert load_bank(MINI, tmp_path / "absent.toml").id == "mini"


def test_bad_policy_file_lists_every_problem(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[policy]\nfreshness_months = "a year"\nnope = 1\nhigh_threshold = true\n\n'
        "[weights]\nsla = 500\nzzz = 1\nfinancial = 2\n\n[colours]\nred = 1\n"
    )
    found = [parse_message(m) for m in messages(MINI, policy)]
    by_key = {f["key"]: f for f in found}
    assert set(by_key) == {
        "colours",
        "policy.freshness_months",
        "policy.nope",
        "policy.high_threshold",
        "weights.sla",
        "weights.zzz",
    }
    assert by_key["policy.freshness_months"]["line"] == "2"
    assert by_key["policy.freshness_months"]["message"] == "must be a number, like the bank's value"
    assert by_key["policy.nope"]["line"] == "3"
    assert by_key["policy.high_threshold"]["line"] == "4"
    assert by_key["weights.sla"]["line"] == "7"
    assert by_key["weights.sla"]["message"] == "must be a number from 0 to 100"
    assert "no question has this id" in str(by_key["weights.zzz"]["message"])
    assert "unknown key" in str(by_key["colours"]["message"])


@pytest.mark.parametrize("text", ["policy = 3\n", "weights = [1]\n"])
def test_policy_file_sections_of_the_wrong_type(tmp_path: Path, text: str) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(text)
    assert only(MINI, policy).endswith(": must be a table")


def test_policy_file_invalid_toml(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[policy]\nfreshness_months = \n")
    assert only(MINI, policy).startswith(f"{policy}:2: invalid TOML")


# --- unreadable files -----------------------------------------------------------------


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "evidence.toml", 'prompt = "When did the report period end?"', 'prompt = "When did')
    found = messages(bank)
    assert found[0] == f"{bank / 'evidence.toml'}:4: invalid TOML: Illegal character '\\n'"


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    path = bank / "basics.toml"
    line = line_of(path, "Uptime")
    path.write_bytes(path.read_bytes().replace(b"Uptime", b"Up\xfftime"))
    found = messages(bank)
    assert found[0].startswith(f"{path}:{line}: is not valid UTF-8")


def test_huge_file(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    with open(bank / "basics.toml", "ab") as handle:
        handle.write(b"#" * 4_100_000)
    assert "is too large" in messages(bank)[0]


def test_deep_nesting(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    append(bank / "evidence.toml", "\nx = " + "[" * 5000 + "]" * 5000 + "\n")
    assert messages(bank)[0] == f"{bank / 'evidence.toml'}: invalid TOML: nested too deeply"


def test_deep_condition(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    deep = '{ question = "financial", equals = true }'
    for _ in range(14):
        deep = f"{{ not = {deep} }}"
    replace(bank / "bank.toml", 'when = { question = "financial", equals = true }', f"when = {deep}")
    assert "nested more than 12 levels deep" in only(bank)


def test_unknown_keys_are_forbidden(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "basics.toml", 'prompt = "Uptime commitment"', 'prompt = "Uptime commitment"\ncolour = "red"'
    )
    replace(
        bank / "bank.toml", 'title = "Mini bank for tests"', 'title = "Mini bank for tests"\nauthor = "me"'
    )
    evidence = bank / "evidence.toml"
    evidence.write_text("extra = 1\n" + evidence.read_text())
    found = messages(bank)
    assert f"{bank / 'bank.toml'}:4: author: Extra inputs are not permitted" in found
    basics_line = line_of(bank / "basics.toml", "[[questions]]", 2)
    assert (
        f"{bank / 'basics.toml'}:{basics_line}: questions[2].colour: Extra inputs are not permitted" in found
    )
    assert any(m.startswith(f"{bank / 'evidence.toml'}:") and ":1: extra: " in m for m in found)


def test_unknown_key_inside_a_nested_condition(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "bank.toml",
        'when = { question = "financial", equals = true }',
        'when = { all = [{ question = "financial", equals = true, bogus = 1 }] }',
    )
    assert only(bank).endswith("rules[1].when.all[0].bogus: Extra inputs are not permitted")


def test_condition_with_two_operators(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(
        bank / "bank.toml",
        'when = { question = "financial", equals = true }',
        'when = { question = "financial", equals = true, answered = true }',
    )
    message = only(bank)
    line = line_of(bank / "bank.toml", 'id = "soc1_needed"') - 1
    assert message.startswith(f"{bank / 'bank.toml'}:{line}: rules[1].when")
    assert "exactly one operator" in message
    assert "[type=" not in message


def test_missing_section_file(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    (bank / "evidence.toml").unlink()
    assert messages(bank)[0] == f"{bank / 'evidence.toml'}: file not found"


def test_missing_bank_file_and_directory(tmp_path: Path) -> None:
    assert only(tmp_path) == f"{tmp_path / 'bank.toml'}: file not found"
    assert only(tmp_path / "absent") == f"{tmp_path / 'absent'}: bank directory not found"


def test_section_file_may_not_escape_the_bank(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "bank.toml", 'title = "Evidence"', 'title = "Evidence"\nfile = "../../etc/passwd"')
    assert "sections[1].file" in only(bank)


@pytest.mark.parametrize(
    ("field", "value"),
    [("prompt", "\\u001b]52;c;aGk=\\u0007"), ("help", "\\u202eevil"), ("why", "\\u009b31m")],
)
def test_control_characters_in_bank_text_are_rejected(tmp_path: Path, field: str, value: str) -> None:
    bank = copy_bank(tmp_path)
    new = f'{field} = "a{value}b"' if field == "prompt" else f'prompt = "Uptime"\n{field} = "a{value}b"'
    replace(bank / "basics.toml", 'prompt = "Uptime commitment"', new)
    message = only(bank)
    assert f"questions[2].{field}: contains the control character U+" in message
    assert "\x1b" not in message


def test_control_characters_in_bank_toml_and_raw(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "bank.toml", 'title = "Basics"', 'title = "Ba\\u001b[2Jsics"')
    path = bank / "evidence.toml"
    path.write_bytes(path.read_bytes().replace(b"When did", b"When\xc2\x9b did"))  # raw C1 CSI
    found = messages(bank)
    assert len(found) == 2
    assert any(
        "bank.toml" in m and "sections[0].title: contains the control character U+001B" in m for m in found
    )
    assert any(
        "evidence.toml" in m and "questions[0].prompt: contains the control character U+009B" in m
        for m in found
    )


# --- everything at once ------------------------------------------------------------------


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    append(bank / "evidence.toml", '\n[[questions]]\nid = "financial"\ntype = "text"\nprompt = "Again?"\n')
    replace(bank / "basics.toml", "yes_scores = { finance = 100 }", "yes_scores = { money = 100 }")
    replace(
        bank / "basics.toml",
        'when = { question = "financial", equals = true }',
        'when = { question = "fye", answered = true }',
    )
    replace(
        bank / "bank.toml",
        'contains_any = ["customer_pii", "confidential"]',
        'contains_any = ["customer_pii", "secret"]',
    )
    replace(
        bank / "bank.toml",
        'when = { question = "financial", equals = true }',
        'when = { question = "financial", contains = "x" }',
    )
    found = messages(bank)
    assert len(found) == 5, found
    joined = "\n".join(found)
    for fragment in (
        "duplicate question id",
        "unknown dimension",
        "not asked earlier",
        "'secret' is not a choice",
        "`contains` does not apply",
    ):
        assert fragment in joined
    for message in found:
        parse_message(message)
        assert "Traceback" not in message


def test_every_problem_is_a_single_line(tmp_path: Path) -> None:
    bank = copy_bank(tmp_path)
    replace(bank / "basics.toml", 'prompt = "Uptime commitment"', 'prompt = ""\nweight = -1')
    for problem in problems(bank):
        assert "\n" not in str(problem)
