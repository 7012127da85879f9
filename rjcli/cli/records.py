"""``rj victim new`` and ``rj child new``: opening cases."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rjcli.cli._details import (
    CommunicationNeeds,
    Disability,
    Ethnicity,
    EthnicityCategory,
    Interpreter,
    Language,
    Officer,
    OfficerContact,
    OfficerNote,
    OfficerSpokenTo,
    Sex,
    checked_details,
)
from rjcli.cli.context import current, interactive, parse_day
from rjcli.core.ids import normalise_record_id
from rjcli.core.records import (
    NewChild,
    NewVictim,
    new_child_problems,
    new_child_record,
    new_victim_problems,
    new_victim_record,
)
from rjcli.core.victimdetails import DetailsChange
from rjcli.errors import BadInput, RecordNotFound
from rjcli.render.terminal import escape, print_json, say

if TYPE_CHECKING:
    from rjcli.cli.prompts import Check

victim_app = typer.Typer(help="Victim records: open a case (rj victim new).", no_args_is_help=True)
child_app = typer.Typer(help="Child records: open a case, victim-awareness work, reparation, readiness.", no_args_is_help=True)


def _ask(label: str, value: str | None, required: bool, missing: list[str],
         check: Check | None = None) -> str | None:
    """Use ``value``; else prompt on a terminal (asked again until answered); else note it
    as missing."""
    if value:
        return value
    if interactive():
        from rjcli.cli.prompts import ask

        return ask(label, required=required, check=check)
    if required:
        missing.append(label)
    return None


def _child_check(answer: str) -> str | None:
    child_id = normalise_record_id(answer)
    if child_id is None or not child_id.startswith("C-"):
        return f"'{answer}' is not a child's record id (C-...)"
    if not current().casebook.exists(child_id):
        return f"no child record {child_id} (rj list children shows them)"
    return None


def _yes_no(answer: str) -> str | None:
    from rjcli.cli.prompts import one_of

    return one_of("consent to contact", ("yes", "no"))(answer)


def _ask_details(given: dict[str, Any]) -> dict[str, Any]:
    """At a terminal, what letters and reports need that was not given: phone, e-mail,
    address, postcode, date of birth, stage, referral source, offence (each skippable)."""
    from rjcli.cli.prompts import ask, ask_lines, one_of
    from rjcli.core import vocab

    def day_check(answer: str) -> str | None:
        try:
            parse_day(answer, current().today, "date of birth")
        except BadInput as exc:
            return exc.message
        return None

    questions: dict[str, tuple[str, Check | None]] = {
        "phone": ("Phone", None),
        "email": ("E-mail", None),
        "address": ("Address line", None),
        "postcode": ("Postcode", None),
        "dob": ("Date of birth, day first (for a victim under 18)", day_check),
        "stage": (f"Stage ({', '.join(vocab.STAGES)})", one_of("stage", vocab.STAGES)),
        "source": (f"Referral source ({', '.join(vocab.REFERRAL_SOURCES)})",
                   one_of("referral source", vocab.REFERRAL_SOURCES)),
        "offence": ("The offence, in plain words", None),
    }
    answers = dict(given)
    for key, (label, check) in questions.items():
        if given.get(key):
            continue
        if key == "address":
            answers[key] = ask_lines(label) or None
        elif key == "phone":
            typed = ask(label)
            answers[key] = [typed] if typed else None
        else:
            typed = ask(label, check=check)
            answers[key] = typed.lower() if typed and key in ("stage", "source") else typed
    return answers


def _child_ids(values: list[str]) -> tuple[str, ...]:
    ctx = current()
    ids = []
    for value in values:
        child_id = normalise_record_id(value)
        if child_id is None or not child_id.startswith("C-"):
            raise BadInput(f"'{value}' is not a child's record id (C-...)")
        if not ctx.casebook.exists(child_id):
            raise RecordNotFound(f"no child record {child_id}", hint="rj list children")
        ctx.casebook.read(child_id)  # refuses an unreadable child before anything is written
        if child_id not in ids:
            ids.append(child_id)
    return tuple(ids)


@victim_app.command("new")
def victim_new(
    name: Annotated[str | None, typer.Option(help="Full name (or the organisation's).")] = None,
    child: Annotated[list[str] | None, typer.Option(help="The child's record id (repeat for co-defendants).")] = None,
    allocated: Annotated[str | None, typer.Option(help="Allocation date, day first: 01/04/2026 (default today).")] = None,
    worker: Annotated[str | None, typer.Option("--worker", help="Allocated RJ worker (default: you).")] = None,
    consent_contact: Annotated[str | None, typer.Option(help="Consented to contact on the police form (YOT1): yes or no.")] = None,
    consent_source: Annotated[str, typer.Option(help="Where that consent is recorded.")] = "YOT1",
    kind: Annotated[str, typer.Option(help="individual, under-18, corporate, family-or-carer.")] = "individual",
    phone: Annotated[list[str] | None, typer.Option(help="Telephone number (repeatable).")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail address.")] = None,
    address: Annotated[list[str] | None, typer.Option(help="Address line (repeatable).")] = None,
    postcode: Annotated[str | None, typer.Option(help="Postcode.")] = None,
    dob: Annotated[str | None, typer.Option(help="Date of birth, day first: 02/03/2009.")] = None,
    stage: Annotated[str | None, typer.Option(help="pre-court, pre-sentence, post-sentence.")] = None,
    source: Annotated[str | None, typer.Option(help="Referral source: police, court, other-yjs, case-holder, self.")] = None,
    disposal: Annotated[str | None, typer.Option(help="The disposal the case comes from.")] = None,
    sentenced: Annotated[str | None, typer.Option(help="Sentence date, for post-sentence contact.")] = None,
    offence: Annotated[str | None, typer.Option(
        help="The offence, as noted (letters never print it: see --offence-for-letters).")] = None,
    offence_for_letters: Annotated[str | None, typer.Option(
        help="The offence in plain words a letter may print: 'damage to your car'.")] = None,
    offence_category: Annotated[str | None, typer.Option(
        help="The offence's category, printed in letters when there is no "
             "--offence-for-letters (policy/offence-categories.yaml: theft, criminal-damage, "
             "assault...).")] = None,
    title: Annotated[str | None, typer.Option(
        help="Title for letters: Mrs, Mr, Ms, Mx, Dr or Miss ('Dear Mrs Hollis'; none: the "
             "full name).")] = None,
    salutation: Annotated[str | None, typer.Option(
        help="The greeting letters use instead, as the person wants it: 'Dear Margaret'.")] = None,
    parent: Annotated[str | None, typer.Option(help="Parent or guardian (victim under 18).")] = None,
    parent_phone: Annotated[str | None, typer.Option(help="Parent or guardian's phone.")] = None,
    parent_title: Annotated[str | None, typer.Option(
        help="Parent or guardian's title for letters (Mrs, Mr, Ms, Mx, Dr, Miss).")] = None,
    representative: Annotated[str | None, typer.Option(help="Named representative (corporate victim).")] = None,
    representative_role: Annotated[str | None, typer.Option(help="The representative's role.")] = None,
    representative_title: Annotated[str | None, typer.Option(
        help="The representative's title for letters (Mrs, Mr, Ms, Mx, Dr, Miss).")] = None,
    home_service: Annotated[str | None, typer.Option(help="Out of area: the victim's home YJS.")] = None,
    entitlement: Annotated[list[str] | None, typer.Option(help="Enhanced entitlement (repeatable): vulnerable, intimidated, persistently-targeted, serious-offence, bereaved.")] = None,
    ethnicity: Ethnicity = None,
    ethnicity_category: EthnicityCategory = None,
    sex: Sex = None,
    disability: Disability = None,
    communication_needs: CommunicationNeeds = None,
    language: Language = None,
    interpreter: Interpreter = None,
    officer: Officer = None,
    officer_phone: OfficerContact = None,
    officer_email: OfficerContact = None,
    officer_spoken_to: OfficerSpokenTo = None,
    officer_note: OfficerNote = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the new record as JSON.")] = False,
) -> None:
    """Open a victim's case from the allocation and the police form (YOT1).

    Missing details are asked for at a terminal, never in a script. Monitoring,
    communication and police-officer details take the options of rj victim set.
    Example: rj victim new --name "Ann Example" --child C-0001 --allocated 2026-04-01
    --worker "Jo Whitlock" --consent-contact yes --phone "07700 900001"
    """
    ctx = current()
    missing: list[str] = []
    prompting = interactive() and not (name and child and consent_contact)
    name = _ask("Name", name, True, missing)
    children = list(child or [])
    if not children:
        typed = _ask("Child's record id (C-...)", None, True, missing, _child_check)
        children = [typed] if typed else []
    consent = _ask("Consented to contact (yes/no)", consent_contact, True, missing, _yes_no)
    who = worker or ctx.worker
    who = _ask("Allocated worker", who, True, missing)
    if prompting:
        asked = _ask_details({"phone": phone, "email": email, "address": address,
                              "postcode": postcode, "dob": dob, "stage": stage,
                              "source": source, "offence": offence})
        phone, email, address, postcode = (asked["phone"], asked["email"], asked["address"],
                                           asked["postcode"])
        dob, stage, source, offence = asked["dob"], asked["stage"], asked["source"], \
            asked["offence"]
    if missing:
        raise BadInput("missing: " + ", ".join(missing),
                       hint="give them as options (rj victim new --help)")
    who = ctx.staff_name(who or "", "--worker")
    from rjcli.core.age import kind_for_age

    allocated_on = parse_day(allocated, ctx.today, "--allocated") or ctx.today
    born = parse_day(dob, ctx.today, "--dob")
    fields = NewVictim(
        name=name or "", kind=kind_for_age(kind, born, allocated_on),
        children=_child_ids(children), offence=offence, allocated=allocated_on,
        worker=who or "", consent_contact=(consent or "").lower(), consent_source=consent_source,
        dob=born, phones=tuple(phone or ()), email=email,
        address_lines=tuple(address or ()), postcode=postcode, stage=stage, source=source,
        disposal=disposal, sentence_date=parse_day(sentenced, ctx.today, "--sentenced"),
        parent_name=parent, parent_phone=parent_phone, representative_name=representative,
        representative_role=representative_role, home_service=home_service,
        entitlements=tuple(entitlement or ()), title=title, salutation=salutation,
        parent_title=parent_title, representative_title=representative_title,
        offence_for_letters=offence_for_letters, offence_category=offence_category,
    )
    detail_problems, details = checked_details(DetailsChange(
        ethnicity=ethnicity, ethnicity_category=ethnicity_category, sex=sex,
        disability=disability, communication_needs=communication_needs, language=language,
        interpreter=interpreter, officer=officer, officer_phone=officer_phone,
        officer_email=officer_email, officer_note=officer_note,
        officer_spoken_to=parse_day(officer_spoken_to, ctx.today, "--officer-spoken-to")),
        ctx.today)
    fields = replace(fields, details=tuple(details))
    problems = (new_victim_problems(fields, ctx.today) + _category_problems(offence_category)
                + detail_problems)
    if problems:
        raise BadInput("; ".join(problems))
    from rjcli.storage.journal import together

    # both records are changed and validated before either is written; a crash half-way is
    # finished by the next rj command
    with together(ctx.casebook, "open victim case and link it to " + ", ".join(fields.children)):
        record = ctx.casebook.create(
            "victim",
            lambda rid: new_victim_record(rid, fields, ctx.new_id, ctx.today, ctx.writer(),
                                          ctx.recorded_at),
            "open victim case")
        _link_children(record["id"], fields.children)
    if as_json:
        print_json(record)
    else:
        under = (" (under 18: letters go to their parent or guardian)"
                 if fields.kind == "under-18" else "")
        say(f"Opened {record['id']} for {escape(fields.name)}{under}, "
            f"allocated to {escape(fields.worker)}.")


def _category_problems(category: str | None) -> list[str]:
    """An offence category not on the list in force (policy/offence-categories.yaml)."""
    if category is None:
        return []
    from rjcli.core.offences import category_problem
    from rjcli.storage.offences import load_offence_categories

    problem = category_problem(category, load_offence_categories(current().casebook))
    return [problem] if problem else []


def _link_children(victim_id: str, child_ids: tuple[str, ...]) -> None:
    """Add the victim, by id and label only, to each child's record (Somerset 5.4)."""
    ctx = current()

    def add_ref(tree: object) -> None:
        from rjcli.storage.edits import append

        refs = tree.get("victims") or []  # type: ignore[attr-defined]
        if any(r.get("ref") == victim_id for r in refs):
            return
        numbers = [int(str(r.get("label", "")).split()[-1]) for r in refs
                   if str(r.get("label", "")).split()[-1:] and str(r.get("label")).split()[-1].isdigit()]
        append(tree, "victims", {"ref": victim_id, "label": f"Victim {max(numbers, default=0) + 1}"})

    for child_id in child_ids:
        ctx.casebook.change(child_id, add_ref, "link victim to")


@child_app.command("new")
def child_new(
    name: Annotated[str | None, typer.Option(help="Full name.")] = None,
    dob: Annotated[str | None, typer.Option(help="Date of birth, day first: 02/03/2009.")] = None,
    disposal: Annotated[str | None, typer.Option(help="community-resolution, youth-caution, youth-conditional-caution, referral-order, yro, custody, deferred-sentence, psr-requested, no-further-action.")] = None,
    sentenced: Annotated[str | None, typer.Option(help="Date of sentence or decision.")] = None,
    order_start: Annotated[str | None, typer.Option(help="Order or intervention start.")] = None,
    order_end: Annotated[str | None, typer.Option(help="Order or intervention end.")] = None,
    case_holder: Annotated[str | None, typer.Option(help="The child's YJS worker.")] = None,
    sex: Annotated[str | None, typer.Option(help="female, male, other, not-known.")] = None,
    ethnicity: Annotated[str | None, typer.Option(help="Ethnicity.")] = None,
    offence: Annotated[str | None, typer.Option(help="The offence, in plain words.")] = None,
    violent_or_sexual: Annotated[bool, typer.Option(help="A violent or sexual offence (Victim Contact Scheme).")] = False,
    sentence_months: Annotated[int | None, typer.Option(help="Sentence length in months (Victim Contact Scheme: 12 or more for a violent or sexual offence, YJB §22).")] = None,
    address: Annotated[list[str] | None, typer.Option(help="Address line (repeatable; for the child's own letters).")] = None,
    postcode: Annotated[str | None, typer.Option(help="Postcode.")] = None,
    parent: Annotated[str | None, typer.Option(help="Parent or carer.")] = None,
    parent_phone: Annotated[str | None, typer.Option(help="Parent or carer's phone.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the new record as JSON.")] = False,
) -> None:
    """Open a child's case. Victims are linked from their own record (rj victim new --child).

    Example: rj child new --name "Jo Example" --dob 2009-03-02 --disposal referral-order
    --sentenced 2026-03-20 --order-end 2026-12-19 --case-holder "Kerry Palfrey"
    """
    ctx = current()
    missing: list[str] = []
    name = _ask("Name", name, True, missing)
    if missing:
        raise BadInput("missing: " + ", ".join(missing), hint="rj child new --help")
    fields = NewChild(
        name=name or "", dob=parse_day(dob, ctx.today, "--dob"), disposal=disposal,
        sentence_date=parse_day(sentenced, ctx.today, "--sentenced"),
        order_start=parse_day(order_start, ctx.today, "--order-start"),
        order_end=parse_day(order_end, ctx.today, "--order-end"),
        case_holder=case_holder and ctx.staff_name(case_holder, "--case-holder", "case-holder"),
        sex=sex, ethnicity=ethnicity, offence=offence, violent_or_sexual=violent_or_sexual,
        sentence_months=sentence_months, address_lines=tuple(address or ()), postcode=postcode,
        parent_name=parent, parent_phone=parent_phone,
    )
    problems = new_child_problems(fields, ctx.today)
    if problems:
        raise BadInput("; ".join(problems))
    record = ctx.casebook.create(
        "child", lambda rid: new_child_record(rid, fields, ctx.new_id, ctx.today, ctx.worker),
        "open child case")
    if as_json:
        print_json(record)
    else:
        say(f"Opened {record['id']} for {escape(fields.name)}.")


HELP_ORDER = 20


def register(app: typer.Typer) -> None:
    app.add_typer(victim_app, name="victim")
    app.add_typer(child_app, name="child")
