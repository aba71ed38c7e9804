import urllib.request, urllib.error
import pytest
pytestmark = [pytest.mark.django_db(transaction=True)]
def test_static(live_server):
    for path in ("/static/safetynet/app.css", "/static/vendor/echarts/echarts.min.js", "/static/django_htmx/htmx-2.min.js"):
        try:
            print(path, urllib.request.urlopen(live_server.url + path).status)
        except urllib.error.HTTPError as e:
            print(path, e.code, e.read()[:300])
    from django.conf import settings
    print(settings.STATIC_URL, settings.STATICFILES_DIRS, settings.DEBUG)
