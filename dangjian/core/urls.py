from django.urls import path

from dangjian.core import inbox_views, live_views, search_views, word_list_views

app_name = "core"

urlpatterns = [
    path("inbox/", inbox_views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", inbox_views.inbox_read, name="inbox_read"),
    path("inbox/read-all/", inbox_views.inbox_read_all, name="inbox_read_all"),
    path("events/<slug:channel>/", live_views.events, name="events"),
    path("search/", search_views.search_page, name="search"),
    path("manage/word-lists/", word_list_views.word_lists, name="word_lists"),
]
