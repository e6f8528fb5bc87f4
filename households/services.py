"""Every write to a household: one atomic function per user action, each with its history row."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.email_change import email_change_request
from accounts.models import Civility, User
from accounts.services import AccountNotValidated, account_update
from common.history import diff_fields
from households import rules, selectors
from households.models import Category, Household, HouseholdEvent, Member, Relationship, Sex
from households.signals import household_changed, member_removal_check

COMMON_FIELDS = (
    "relationship",
    "sex",
    "last_name",
    "first_names",
    "birth_date",
    "birth_place",
)
ADULT_ONLY_FIELDS = ("email", "phone", "profession")
CHILD_ONLY_FIELDS = ("school", "school_class")
# What a citizen may change on a member's sheet, by category.
EDITABLE_MEMBER_FIELDS = {
    Category.ADULT: COMMON_FIELDS + ADULT_ONLY_FIELDS,
    Category.CHILD: COMMON_FIELDS + CHILD_ONLY_FIELDS,
}
# The holder's identity and contact come from the account (changed through « Modifier »
# of the account data); the sheet keeps only what the account does not hold.
HOLDER_EDITABLE_FIELDS = ("birth_place", "profession")

SEX_OF_CIVILITY: dict[str, str] = {Civility.MADAME: Sex.FEMALE, Civility.MONSIEUR: Sex.MALE}


class MemberRemovalRefused(Exception):
    """The member cannot leave the household; ``reasons`` say why, in French."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def require_validated(account: User) -> None:
    if not account.is_validated:
        raise AccountNotValidated


def record(
    *, household: Household, member: Member, action: str, actor: User | None, changes: dict
) -> HouseholdEvent:
    event = HouseholdEvent.objects.create(
        household=household,
        member=member,
        member_name=member.full_name,
        action=action,
        actor=actor,
        changes=changes,
    )
    if is_citizen_operation(event, member):
        household_changed.send(sender=Household, household=household, event=event)
    return event


def is_citizen_operation(event: HouseholdEvent, member: Member) -> bool:
    """What the citizen did: not the holder made at registration, nor a sync from the account."""
    if event.actor is None or event.action == HouseholdEvent.Action.HOLDER_SYNCED:
        return False
    return not (event.action == HouseholdEvent.Action.MEMBER_ADDED and member.is_holder)


def snapshot(member: Member, fields, *, leaving: bool = False) -> dict:
    """{"field": {"old", "new"}} of a member arriving (old empty) or leaving (new empty)."""
    values = {name: str(getattr(member, name) or "") for name in fields}
    values = {name: value for name, value in values.items() if value}
    if leaving:
        return {name: {"old": value, "new": ""} for name, value in values.items()}
    return {name: {"old": "", "new": value} for name, value in values.items()}


def holder_values(account: User) -> dict:
    """The holder member's data as the account states it."""
    return {
        "sex": SEX_OF_CIVILITY.get(account.civility, ""),
        "last_name": account.last_name,
        "first_names": account.first_name,
        "birth_date": account.birth_date,
        "email": account.email,
        "phone": account.phone,
    }


def holder_add(*, household: Household, by: User | None) -> Member | None:
    """The first adult, made from the account; none while the account has no birth date."""
    account = household.account
    if account.birth_date is None:
        return None
    holder = Member.objects.create(
        household=household, relationship=Relationship.HOLDER, **holder_values(account)
    )
    record(
        household=household,
        member=holder,
        action=HouseholdEvent.Action.MEMBER_ADDED,
        actor=by,
        changes=snapshot(holder, EDITABLE_MEMBER_FIELDS[Category.ADULT]),
    )
    return holder


def household_get_or_create(*, account: User, by: User | None = None) -> Household:
    """The account's household, created with its holder the first time it is needed.

    Registration creates it (receivers.py); accounts made another way (the demo,
    admin) get theirs on first use. Reading an existing one opens no transaction.
    """
    household = Household.objects.filter(account=account).first()
    if household is not None:
        return household
    return household_create(account=account, by=by)


def household_members(*, account: User, by: User | None = None) -> list[Member]:
    """The household's members, holder first, in one query: the household is read
    through its members, and created only when there is none yet."""
    members = list(selectors.members_for_account(account=account))
    if not members:
        household = household_get_or_create(account=account, by=by)
        members = list(household.members.all())
    # The eldest first (Member's ordering), then the holder moved to the top: the same
    # order as holder_first(), without its CASE, which costs more to compile than to run.
    members.sort(key=lambda member: not member.is_holder)
    return members


@transaction.atomic
def household_create(*, account: User, by: User | None = None) -> Household:
    # The one-to-one constraint settles a race between two first visits:
    # get_or_create catches the loser's IntegrityError and reads the winner's row.
    household, created = Household.objects.get_or_create(account=account)
    if created:
        holder_add(household=household, by=by)
    return household


@transaction.atomic
def holder_sync(*, household: Household, by: User | None) -> dict:
    """Copy the account's identity and contact onto the holder member; returns what changed."""
    account = household.account
    holder = (
        Member.objects.select_for_update(of=("self",))
        .filter(household=household, relationship=Relationship.HOLDER)
        .first()
    )
    if holder is None:
        holder_add(household=household, by=by)
        return {}
    values = holder_values(account)
    changes = diff_fields(holder, values)
    if not changes:
        return {}
    for name in changes:
        setattr(holder, name, values[name])
    holder.save(update_fields=[*changes, "updated_at"])
    record(
        household=household,
        member=holder,
        action=HouseholdEvent.Action.HOLDER_SYNCED,
        actor=by,
        changes=changes,
    )
    return changes


@transaction.atomic
def holder_update(*, account: User, by: User, **data) -> dict:
    """« Modifier » of the account data: the account and its holder member, together.

    A new email waits for the link sent to it (``accounts.email_change``); the rest is
    saved at once. Returns what changed, with "email" as {"pending": new} if asked for.
    """
    new_email = data.pop("email", account.email)
    changes = account_update(account=account, by=by, **data)
    if changes:
        holder_sync(household=household_get_or_create(account=account, by=by), by=by)
    if new_email != account.email:
        email_change_request(account=account, new_email=new_email)
        changes["email"] = {"pending": new_email}
    return changes


@transaction.atomic
def member_add(
    *,
    household: Household,
    by: User,
    category: Category,
    relationship: str,
    sex: str,
    last_name: str,
    first_names: str,
    birth_date: date,
    birth_place: str = "",
    email: str = "",
    phone: str = "",
    profession: str = "",
    school: str = "",
    school_class: str = "",
) -> Member:
    """Declare an adult or a child; the birth date must match the category asked for."""
    require_validated(household.account)
    member = Member(
        household=household,
        relationship=relationship,
        sex=sex,
        last_name=last_name,
        first_names=first_names,
        birth_date=birth_date,
        birth_place=birth_place,
        email=email,
        phone=phone,
        profession=profession,
        school=school,
        school_class=school_class,
    )
    foreign = CHILD_ONLY_FIELDS if category == Category.ADULT else ADULT_ONLY_FIELDS
    given = sorted(name for name in foreign if getattr(member, name))
    if given:
        raise ValueError(f"Champs sans objet pour un {category.label} : {given}")
    rules.validate_member(member, category=category)
    member.save()
    record(
        household=household,
        member=member,
        action=HouseholdEvent.Action.MEMBER_ADDED,
        actor=by,
        changes=snapshot(member, EDITABLE_MEMBER_FIELDS[category]),
    )
    return member


def editable_fields(member: Member) -> tuple[str, ...]:
    if member.is_holder:
        return HOLDER_EDITABLE_FIELDS
    return EDITABLE_MEMBER_FIELDS[member.category]


@transaction.atomic
def member_update(*, member: Member, by: User, **data) -> dict:
    """Change a member's sheet and keep what changed in the history; returns the changes.

    The member stays in their category: a birth date that would make an adult a
    child (or the reverse) is refused like at the declaration.
    """
    unknown = set(data) - set(editable_fields(member))
    if unknown:
        raise ValueError(f"Champs non modifiables : {sorted(unknown)}")
    # Lock the row: two tabs saving the same sheet must not both diff against stale values.
    locked = (
        Member.objects.select_for_update(of=("self",))
        .select_related("household__account")
        .get(pk=member.pk)
    )
    require_validated(locked.household.account)
    category, holder = locked.category, locked.is_holder
    changes = diff_fields(locked, data)
    if not changes:
        return {}
    for name in changes:
        setattr(locked, name, data[name])
    rules.validate_member(locked, category=category, holder=holder)
    locked.save(update_fields=[*changes, "updated_at"])
    record(
        household=locked.household,
        member=locked,
        action=HouseholdEvent.Action.MEMBER_UPDATED,
        actor=by,
        changes=changes,
    )
    for name in changes:
        setattr(member, name, data[name])
    return changes


def member_removal_refusals(*, member: Member) -> list[str]:
    """Why the member cannot leave the household; empty when they can."""
    if member.is_holder:
        return [_("Le titulaire du compte ne peut pas être retiré du foyer.")]
    answers = member_removal_check.send(sender=Member, member=member)
    return [str(reason) for _receiver, reason in answers if reason]


@transaction.atomic
def member_remove(*, member: Member, by: User) -> None:
    """« Retirer du foyer », unless a request in progress concerns the member."""
    # Lock the row: a request about this member submitted meanwhile waits for us, and
    # the checkers see the requests committed before.
    locked = (
        Member.objects.select_for_update(of=("self",))
        .select_related("household__account")
        .get(pk=member.pk)
    )
    require_validated(locked.household.account)
    reasons = member_removal_refusals(member=locked)
    if reasons:
        raise MemberRemovalRefused(reasons)
    record(
        household=locked.household,
        member=locked,
        action=HouseholdEvent.Action.MEMBER_REMOVED,
        actor=by,
        changes=snapshot(locked, EDITABLE_MEMBER_FIELDS[locked.category], leaving=True),
    )
    locked.delete()
