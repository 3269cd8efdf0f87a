import pytest

from tests.conftest import World, add_matrix_objects


@pytest.fixture
def matrix_world(world: World) -> World:
    """Pages served to Chromium by the live server: the access-matrix world of this test alone (the
    module-wide one of tests/conftest.py lives in a transaction the server's thread cannot see)."""
    return add_matrix_objects(world)
