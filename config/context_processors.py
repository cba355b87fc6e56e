from django.conf import settings


def site(request):
    return {"SITE_NAME": "Leerkring", "DEBUG": settings.DEBUG}
