"""One fictional demo user for each role of DESIGN.md. No real person's data."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .services import profile_create

DEMO_PASSWORD = "leerkring-demo"

# key: (email, display name, organisation, job title)
DEMO_USERS = {
    "editor": ("redacteur@demo.leerkring.example", "Rosa Redacteur", "Programmabureau Leerkring", "Redacteur"),
    # Reviews what editors and members submit (proposed lessons among them) in the Wagtail admin.
    "moderator": ("eindredacteur@demo.leerkring.example", "Mila Moderator", "Programmabureau Leerkring", "Eindredacteur"),
    "facilitator": ("begeleider@demo.leerkring.example", "Bram Begeleider", "Programmabureau Leerkring", "Kringbegeleider"),
    "expert": ("expert@demo.leerkring.example", "Esther Expert", "Kenniscentrum Regio", "Senior adviseur netwerksturing"),
    "member": ("ambtenaar@demo.leerkring.example", "Anouk Ambtenaar", "Gemeente Veenendaal", "Strategisch beleidsadviseur"),
    "member2": ("collega@demo.leerkring.example", "Cor Collega", "Gemeente Zeist", "Beleidsmedewerker regionale samenwerking"),
    "guest": ("gast@demo.leerkring.example", "Gijs Gast", "Ministerie (fictief)", "Beleidsadviseur"),
    "outsider": ("buitenstaander@demo.leerkring.example", "Olga Buitenstaander", "Gemeente Goes", "Adviseur"),
}


STAFF = {"editor", "moderator"}  # they work in the Wagtail admin; cms.demo puts them in its groups


def demo_user(key: str):
    return get_user_model().objects.get(email=DEMO_USERS[key][0])


def seed(stdout):
    User = get_user_model()
    for key, (email, name, organisation, job_title) in DEMO_USERS.items():
        user, created = User.objects.get_or_create(username=f"demo-{key}", defaults={"email": email})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if key in STAFF and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if not hasattr(user, "profile"):
            profile_create(user=user, display_name=name, organisation=organisation, job_title=job_title)
    stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    for key, (email, *_rest) in DEMO_USERS.items():
        stdout.write(f"  {key:<12} {email}")
