"""Demo member records (党员管理, DB3212/T 1124 §6.3): about 120 profiles of the demo's party members,
always including the member, secretary and officer logins, with valid, deterministic ID numbers.

Mostly 汉族; an education mix; admission years 1985–2024 (a few 预备党员 admitted within the last
year); ages 23–60 for members at work and one retiree (离退休) past 65; one 流动党员 whose formal relation
(§5.1) stays with his home village branch. Written directly (seed data is not a user's action), in bulk.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django_scopes import scope

from dangjian.accounts.models import PersonKind, User
from dangjian.core.validators import id_number_check_character
from dangjian.demo.data import GIVEN_NAME_CHARS_FEMALE, GIVEN_NAMES_FEMALE
from dangjian.demo.generators import HAILING_DIVISIONS, RANDOM_SEED
from dangjian.members.models import (
    Category,
    CorrectableField,
    DuesCategory,
    Education,
    Gender,
    MemberProfile,
    MemberStatus,
    ProfileCorrection,
)
from dangjian.members.services import set_id_number
from dangjian.members.validation import years_before

TARGET_PROFILES = 120
ALWAYS_PROFILED = ("member", "secretary", "officer", "worker", "grid_leader")
PROBATIONARY_COUNT = 4
WORKING_AGES = (23, 60)
RETIREE_AGES = (66, 75)
FIRST_ADMISSION_YEAR, LAST_ADMISSION_YEAR = 1985, 2024
# Weighted by frequency among 两新 organisations' members.
EDUCATION_WEIGHTS = {
    Education.POSTGRADUATE: 10,
    Education.BACHELOR: 46,
    Education.ASSOCIATE: 24,
    Education.SECONDARY_VOCATIONAL: 7,
    Education.HIGH_SCHOOL: 8,
    Education.JUNIOR_OR_BELOW: 5,
}
MINORITY_ETHNICITIES = ("03", "11", "02", "08", "15")  # 回族 满族 蒙古族 壮族 土家族
MINORITY_SHARE = 0.05
JOB_TITLES = (
    "软件工程师",
    "项目经理",
    "会计",
    "出纳",
    "人事专员",
    "行政主管",
    "销售经理",
    "客户经理",
    "律师",
    "律师助理",
    "产品经理",
    "测试工程师",
    "运维工程师",
    "设计师",
    "培训讲师",
    "财务经理",
    "部门经理",
    "副总经理",
)
TALENT_CENTRE = "中共泰州市海陵区人才服务中心支部委员会"  # where 人事代理 members' relations are held
TALENT_CENTRE_SHARE = 0.1
HOME_VILLAGE = "中共兴化市戴南镇董北村支部委员会"
FEMALE_GIVEN_NAMES = set(GIVEN_NAMES_FEMALE.split())


def create_member_profiles(today: date | None = None) -> int:
    """Profiles for the demo's party members who have none yet; returns how many were made."""
    today = today or date.today()
    rng = random.Random(f"{RANDOM_SEED}-members")
    people = _chosen_members(rng)
    issued: set[str] = set()
    profiles = [_profile(person, rng, today, issued) for person in people]
    _mark_special_cases(profiles, rng, today, issued)
    station_ids = sorted({profile.station_id for profile in profiles})
    with scope(station=station_ids):
        MemberProfile.objects.bulk_create(profiles)
    _pending_correction(profiles)
    return len(profiles)


def _chosen_members(rng: random.Random) -> list[User]:
    """The fixed logins first, then others drawn at random up to `TARGET_PROFILES`."""
    members = list(
        User.objects.filter(
            person_kind=PersonKind.MEMBER, organization__isnull=False, member_profile__isnull=True
        )
        .select_related("organization")
        .order_by("id")
    )
    fixed = [person for person in members if person.username in ALWAYS_PROFILED]
    others = [person for person in members if person.username not in ALWAYS_PROFILED]
    drawn = rng.sample(others, k=max(0, min(len(others), TARGET_PROFILES - len(fixed))))
    return fixed + sorted(drawn, key=lambda person: person.pk)


def _gender_of(name: str) -> str:
    given = name[1:]
    female = given in FEMALE_GIVEN_NAMES or (len(given) == 1 and given in GIVEN_NAME_CHARS_FEMALE)
    return Gender.FEMALE if female else Gender.MALE


def _birth_date(rng: random.Random, today: date, ages: tuple[int, int]) -> date:
    age = rng.randint(*ages)
    return years_before(today, age) - timedelta(days=rng.randint(1, 360))


def demo_id_number(birth: date, gender: str, rng: random.Random, issued: set[str]) -> str:
    """A valid number from a 海陵区 division code (321202/321203/321204), the birth date and a sequence
    code whose last digit is odd for men and even for women (GB 11643)."""
    while True:
        sequence = rng.randrange(0, 500) * 2 + (1 if gender == Gender.MALE else 0)
        first17 = f"{rng.choice(HAILING_DIVISIONS)}{birth:%Y%m%d}{sequence:03d}"
        number = first17 + id_number_check_character(first17)
        if number not in issued:
            issued.add(number)
            return number


def _admission(birth: date, rng: random.Random) -> date:
    earliest = max(FIRST_ADMISSION_YEAR, birth.year + 19)
    year = rng.randint(min(earliest, LAST_ADMISSION_YEAR), LAST_ADMISSION_YEAR)
    return date(year, rng.choice((1, 3, 6, 7, 9, 12)), 1)


def _ethnicity(rng: random.Random) -> str:
    return rng.choice(MINORITY_ETHNICITIES) if rng.random() < MINORITY_SHARE else "01"


def _profile(person: User, rng: random.Random, today: date, issued: set[str]) -> MemberProfile:
    gender = _gender_of(person.real_name)
    birth = _birth_date(rng, today, WORKING_AGES)
    admitted = _admission(birth, rng)
    organization = person.organization
    assert organization is not None
    profile = MemberProfile(
        user=person,
        organization=organization,
        station_id=organization.station_id,
        category=Category.FORMAL,
        admitted_on=admitted,
        full_member_on=admitted.replace(year=admitted.year + 1),
        gender=gender,
        ethnicity=_ethnicity(rng),
        birth_date=birth,
        education=rng.choices(list(EDUCATION_WEIGHTS), weights=list(EDUCATION_WEIGHTS.values()))[0],
        job_title=rng.choice(JOB_TITLES),
        resident_unit_id=person.resident_unit_id,
        affiliation_organization=TALENT_CENTRE if rng.random() < TALENT_CENTRE_SHARE else organization.name,
    )
    set_id_number(profile, demo_id_number(birth, gender, rng, issued))
    return profile


def _mark_special_cases(
    profiles: list[MemberProfile], rng: random.Random, today: date, issued: set[str]
) -> None:
    """A few 预备党员, one 流动党员 and one retiree among the drawn (never the fixed logins)."""
    drawn = [profile for profile in profiles if profile.user.username not in ALWAYS_PROFILED]
    if len(drawn) < PROBATIONARY_COUNT + 2:
        return
    chosen = rng.sample(drawn, k=PROBATIONARY_COUNT + 2)
    for profile in chosen[:PROBATIONARY_COUNT]:
        profile.category = Category.PROBATIONARY
        profile.admitted_on = today - timedelta(days=rng.randint(30, 330))
        profile.full_member_on = None
    mobile, retiree = chosen[PROBATIONARY_COUNT:]
    mobile.status = MemberStatus.MOBILE
    mobile.affiliation_organization = HOME_VILLAGE
    retiree.dues_category = DuesCategory.RETIRED
    retiree.job_title = "退休返聘顾问"
    retiree.birth_date = _birth_date(rng, today, RETIREE_AGES)
    retiree.admitted_on = date(rng.randint(FIRST_ADMISSION_YEAR, 1995), 7, 1)
    retiree.full_member_on = retiree.admitted_on.replace(year=retiree.admitted_on.year + 1)
    set_id_number(retiree, demo_id_number(retiree.birth_date, retiree.gender, rng, issued))


def _pending_correction(profiles: list[MemberProfile]) -> None:
    """The demo member has asked to correct their job title, so the officers' queue is not empty."""
    member = next((profile for profile in profiles if profile.user.username == "member"), None)
    if member is None:
        return
    with scope(station=[member.station_id]):
        ProfileCorrection.objects.create(
            profile=member,
            station_id=member.station_id,
            field=CorrectableField.JOB_TITLE,
            old_value=member.job_title,
            new_value="党务专员",
            reason="今年起兼任公司党务专员",
            requested_by=member.user,
        )
