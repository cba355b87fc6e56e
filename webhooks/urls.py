from django.urls import path

from . import views

app_name = "webhooks"

webhooks = "kringen/<slug:slug>/beheer/webhooks/"
endpoint = webhooks + "<int:endpoint_id>/"

urlpatterns = [
    path(webhooks, views.endpoint_list, name="list"),
    path(endpoint, views.endpoint_detail, name="detail"),
    path(endpoint + "geheim/", views.endpoint_secret, name="secret"),
    path(endpoint + "aan-uit/", views.endpoint_toggle, name="toggle"),
    path(endpoint + "verwijderen/", views.endpoint_delete, name="delete"),
]
