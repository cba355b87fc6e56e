from django.urls import path

from . import views, views_channels, views_circles, views_manage, views_privacy, views_tokens

app_name = "communities"

circle = "kringen/<slug:slug>/"
message = circle + "kanalen/<slug:channel_slug>/<int:message_id>/"

urlpatterns = [
    path("profiel/", views.profile_edit, name="profile"),
    path("profiel/gegevens/", views_privacy.data_export, name="data_export"),
    path("profiel/verwijderen/", views_privacy.account_delete, name="account_delete"),
    path("profiel/tokens/", views_tokens.token_list, name="tokens"),
    path("profiel/tokens/<int:token_id>/intrekken/", views_tokens.token_revoke, name="token_revoke"),
    path("leden/<int:user_id>/", views.member_detail, name="member"),
    path("kringen/", views_circles.circle_list, name="circle_list"),
    path(circle, views_circles.circle_home, name="circle"),
    path(circle + "lid-worden/", views_circles.circle_join, name="circle_join"),
    path(circle + "verlaten/", views_circles.circle_leave, name="circle_leave"),
    path(circle + "uitnodiging/", views_circles.invitation, name="invitation_landing"),
    path(circle + "uitnodiging/<str:token>/", views_circles.invitation_start, name="invitation"),
    path(circle + "beheer/", views_manage.manage_requests, name="manage_requests"),
    path(circle + "beheer/aanvragen/<int:membership_id>/", views_manage.manage_request, name="manage_request"),
    path(circle + "beheer/leden/", views_manage.manage_members, name="manage_members"),
    path(circle + "beheer/leden/<int:membership_id>/", views_manage.manage_member, name="manage_member"),
    path(circle + "beheer/uitnodigingen/", views_manage.manage_invitations, name="manage_invitations"),
    path(
        circle + "beheer/uitnodigingen/<int:invitation_id>/intrekken/",
        views_manage.manage_invitation_revoke,
        name="manage_invitation_revoke",
    ),
    path(circle + "beheer/logboek/", views_manage.manage_log, name="manage_log"),
    path(circle + "beheer/kanalen/", views_manage.manage_channels, name="manage_channels"),
    path(circle + "beheer/kanalen/<slug:channel_slug>/", views_manage.manage_channel, name="manage_channel"),
    path(circle + "kanalen/<slug:channel_slug>/", views_channels.channel_detail, name="channel"),
    path(message, views_channels.thread_detail, name="thread"),
    path(message + "bewerken/", views_channels.message_edit, name="message_edit"),
    path(message + "verwijderen/", views_channels.message_delete, name="message_delete"),
    path(message + "verbergen/", views_channels.message_hide, name="message_hide"),
    path(message + "reactie/", views_channels.message_react, name="message_react"),
    path(message + "melden/", views_channels.message_report, name="message_report"),
]
