"""What households does when other apps speak."""

from django.dispatch import receiver

from accounts.signals import account_edited_by_staff, account_registered, account_updated
from households import services


@receiver(account_registered, dispatch_uid="households_create_household")
def create_household(sender, account, **kwargs) -> None:
    """The household and its first adult, from the registration data, in the same transaction."""
    services.household_get_or_create(account=account, by=account)


@receiver(account_edited_by_staff, dispatch_uid="households_sync_holder_after_staff_edit")
def sync_holder(sender, account, by, **kwargs) -> None:
    """A clerk's correction of the account reaches the holder member, in the same transaction."""
    if not account.is_staff:
        services.holder_sync(
            household=services.household_get_or_create(account=account, by=by), by=by
        )


@receiver(account_updated, dispatch_uid="households_sync_holder_after_account_change")
def sync_holder_after_change(sender, account, by=None, **kwargs) -> None:
    """A change confirmed away from « Compte » (a new email's link) reaches the holder too;
    after « Modifier » the sync finds nothing left to copy."""
    if not account.is_staff:
        services.holder_sync(
            household=services.household_get_or_create(account=account, by=by), by=by
        )
