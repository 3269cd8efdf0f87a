"""The publishing people of the news tests, for the cache tests of the portal pages."""

from tests.news.conftest import news  # noqa: F401  (fixture)
