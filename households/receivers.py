"""What households does when other apps speak."""

from django.dispatch import receiver

from accounts.signals import account_registered
from households import services


@receiver(account_registered, dispatch_uid="households_create_household")
def create_household(sender, account, **kwargs) -> None:
    """The household and its first adult, from the registration data, in the same transaction."""
    services.household_get_or_create(account=account, by=account)
