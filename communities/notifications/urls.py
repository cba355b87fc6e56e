from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("meldingen/", views.notification_list, name="list"),
    path("meldingen/<int:notification_id>/", views.notification_open, name="open"),
    path("meldingen/<int:notification_id>/gelezen/", views.notification_mark_read, name="mark_read"),
    path("meldingen/alles-gelezen/", views.notification_mark_all_read, name="mark_all_read"),
    path("meldingen/voorkeuren/", views.notification_preferences, name="preferences"),
    path("meldingen/afmelden/<str:token>/", views.notification_unsubscribe, name="unsubscribe"),
    path("bewaard/", views.saved_list, name="saved"),
    path("bewaard/<slug:kind>/<int:object_id>/", views.saved_toggle, name="saved_toggle"),
]
