from django.urls import path

from . import views

app_name = "cms"

urlpatterns = [
    path("zoeken/", views.search, name="search"),
    path("nieuwsbrief/", views.newsletter_signup, name="newsletter"),
    path("nieuwsbrief/bevestigen/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
    path("nieuwsbrief/afmelden/<str:token>/", views.newsletter_unsubscribe, name="newsletter_unsubscribe"),
]
