"""The demo town's two régies for `manage.py seed_demo`, before the invoices; safe to run
again. « Régie scolaire et périscolaire » is on the simulated PayFiP (canteen and
after-school invoices), « Régie du conservatoire » on the simulated card page
(music-school invoices): the demo household's basket shows two groups, paid apart."""

from payments.models import Domain, PayfipMode, Provider, Regie, RegieDomain

# The DGFiP gives a town its six-digit client number; this one is the demo's own.
DEMO_NUMCLI = "000000"
REGIES = (
    {
        "code": "scolaire",
        "name": "Régie scolaire et périscolaire",
        "backend": Provider.PAYFIP_SIMULATED,
        "payfip_numcli": DEMO_NUMCLI,
        "payfip_mode": PayfipMode.TEST,
        "domains": (Domain.SCHOOL, Domain.AFTER_SCHOOL, Domain.HOLIDAYS),
    },
    {
        "code": "conservatoire",
        "name": "Régie du conservatoire",
        "backend": Provider.SIMULATED,
        "domains": (Domain.MUSIC_SCHOOL,),
    },
)


def seed() -> list[Regie]:
    regies = []
    for data in REGIES:
        data = dict(data)
        domains = data.pop("domains")
        regie, _created = Regie.objects.update_or_create(code=data.pop("code"), defaults=data)
        for domain in domains:
            RegieDomain.objects.update_or_create(domain=domain, defaults={"regie": regie})
        regies.append(regie)
    return regies
