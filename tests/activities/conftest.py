import pytest

from dangjian.activities.defaults import ensure_default_rules
from dangjian.activities.models import LifeRequirement, LifeRuleSet
from tests.activities.builders import Life, member_of, secretary_of


@pytest.fixture
def life(world) -> Life:
    """The world plus the secretaries of A's and B's organisations and a few members of A's."""
    ensure_default_rules(LifeRuleSet, LifeRequirement)  # a transactional test flushed the migration's rows
    return Life(
        world=world,
        secretary_a=secretary_of(world.org_a, "secretary_a"),
        secretary_b=secretary_of(world.org_b, "secretary_b"),
        members=[member_of(world.org_a, f"member_a{i}") for i in range(8)],
        member_b=member_of(world.org_b, "member_b"),
    )
