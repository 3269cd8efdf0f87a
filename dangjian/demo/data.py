"""The fixed part of the demo data set: stations, buildings and their tenants, streets and communities,
party organisations, alliances, agreements, the demo logins, and the name lists people are drawn from.

Everything here is invented but plausible for 泰州市海陵区; nothing names a real person.
"""

from __future__ import annotations

from dataclasses import dataclass

from dangjian.accounts.models import PersonKind, Role
from dangjian.organizations.models import OrgKind
from dangjian.stations.models import Industry

DEMO_PASSWORD = "Dangjian@2026"


@dataclass(frozen=True)
class StationSpec:
    code: str
    name: str
    address: str
    latitude: str
    longitude: str
    contact_name: str
    contact_phone: str
    opening_hours: str
    intro: str
    open_to_surroundings: bool = False


@dataclass(frozen=True)
class Company:
    name: str
    industry: Industry


@dataclass(frozen=True)
class BuildingSpec:
    station_code: str
    name: str
    address: str
    operator: str
    floors_above: int
    floors_below: int
    tenants: tuple[Company, ...]
    has_own_space: bool = True


@dataclass(frozen=True)
class StreetSpec:
    name: str
    station_code: str
    communities: tuple[str, ...]


@dataclass(frozen=True)
class OrganizationSpec:
    """`company`: the one unit the organisation covers; `building`: a joint branch covering every unit of
    the building that has no organisation of its own; neither: a 党委/党总支 that leads the ones below it."""

    name: str
    short_name: str
    kind: OrgKind
    station_code: str
    formal_superior: str
    company: str | None = None
    building: str | None = None
    parent: str | None = None
    term_days_left: int | None = None  # None: a term in good standing, drawn at random


@dataclass(frozen=True)
class AllianceSpec:
    name: str
    station_code: str
    lead: str
    members: tuple[str, ...]
    purpose: str
    founded_days_ago: int


@dataclass(frozen=True)
class AgreementSpec:
    title: str
    station_code: str
    alliance: str | None
    organizations: tuple[str, ...]
    content: str
    signed_days_ago: int
    valid_days: int


@dataclass(frozen=True)
class DemoLogin:
    """One fixed account per role. Organisation roles are held through the demo organisation's committee."""

    username: str
    real_name: str
    person_kind: PersonKind
    role: Role | None = None
    at_hq: bool = False
    is_staff: bool = False
    community: str | None = None  # a resident's community (default: the first one)


HQ = StationSpec(
    code="hq",
    name="海陵区楼宇党建共享平台总站",
    address="泰州市海陵区海陵南路 301 号 海陵区党群服务中心 1 楼",
    latitude="32.485210",
    longitude="119.920460",
    contact_name="钱立新",
    contact_phone="0523-86218801",
    opening_hours="周一至周五 8:30–17:30",
    intro="统筹全区楼宇党建工作，向各分站同步学习资源、活动和阵地信息。",
)

BRANCHES = (
    StationSpec(
        code="hailing-wanda",
        name="万达广场分站",
        address="泰州市海陵区济川东路 128 号 万达广场写字楼 A 座 3 楼",
        latitude="32.476830",
        longitude="119.935120",
        contact_name="缪春燕",
        contact_phone="0523-86659012",
        opening_hours="周一至周日 9:00–21:00",
        intro="服务万达广场商圈三栋商务楼宇，设党员活动室、共享会议室和职工书屋。",
    ),
    StationSpec(
        code="taizhou-finance",
        name="泰州金融大厦分站",
        address="泰州市海陵区青年南路 39 号 泰州金融大厦 2 楼",
        latitude="32.480950",
        longitude="119.912370",
        contact_name="储志明",
        contact_phone="0523-86883306",
        opening_hours="周一至周五 8:30–18:00",
        intro="金融系统党组织集中的楼宇，开展“党建+金融服务”进楼宇活动。",
    ),
    StationSpec(
        code="yiyaocheng-kechuang",
        name="医药城科创大厦分站",
        address="泰州市中国医药城药城大道 1 号 科创大厦 1 楼",
        latitude="32.535410",
        longitude="119.968880",
        contact_name="吉晓峰",
        contact_phone="0523-86201158",
        opening_hours="周一至周六 8:30–20:00",
        intro="服务中国医药城生物医药企业和孵化器，组织“党建+创新”系列活动。",
    ),
    StationSpec(
        code="fengchenghe",
        name="凤城河商务区分站",
        address="泰州市海陵区凤城河路 88 号 凤城河商务大厦 1 楼",
        latitude="32.491620",
        longitude="119.926740",
        contact_name="顾丽华",
        contact_phone="0523-86332710",
        opening_hours="周一至周日 8:30–21:00",
        intro="大型分站，阵地和资源向周边街道、社区和楼宇开放共享。",
        open_to_surroundings=True,
    ),
)

IT, FINANCE, LAW = Industry.IT, Industry.FINANCE, Industry.LAW
CONSULTING, TRADE, MEDICINE = Industry.CONSULTING, Industry.TRADE, Industry.MEDICINE
MANUFACTURING, CULTURE, EDUCATION = Industry.MANUFACTURING, Industry.CULTURE, Industry.EDUCATION
REALESTATE, SOCIAL, OTHER = Industry.REALESTATE, Industry.SOCIAL, Industry.OTHER

BUILDINGS = (
    BuildingSpec(
        station_code="hailing-wanda",
        name="万达广场写字楼 A 座",
        address="泰州市海陵区济川东路 128 号",
        operator="泰州万达广场商业管理有限公司",
        floors_above=28,
        floors_below=2,
        tenants=(
            Company("泰州华信软件科技有限公司", IT),
            Company("泰州云途信息技术有限公司", IT),
            Company("江苏凤城数码科技有限公司", IT),
            Company("泰州正信会计师事务所有限公司", CONSULTING),
            Company("泰州中天税务师事务所有限公司", CONSULTING),
            Company("江苏众诚人力资源服务有限公司", CONSULTING),
            Company("泰州苏中电商物流有限公司", TRADE),
            Company("泰州万达广场商业管理有限公司", REALESTATE),
        ),
    ),
    BuildingSpec(
        station_code="hailing-wanda",
        name="万达广场写字楼 B 座",
        address="泰州市海陵区济川东路 126 号",
        operator="泰州万达广场商业管理有限公司",
        floors_above=24,
        floors_below=2,
        tenants=(
            Company("江苏海陵律师事务所", LAW),
            Company("江苏凤城律师事务所", LAW),
            Company("泰州梅兰文化传媒有限公司", CULTURE),
            Company("泰州启航教育培训中心有限公司", EDUCATION),
            Company("泰州智联网络科技有限公司", IT),
            Company("泰州优选供应链管理有限公司", TRADE),
            Company("泰州安居房地产经纪有限公司", REALESTATE),
            Company("泰州市海陵区楼宇商会", SOCIAL),
        ),
    ),
    BuildingSpec(
        station_code="hailing-wanda",
        name="万达广场金街商务楼",
        address="泰州市海陵区济川东路 130 号",
        operator="泰州万达广场商业管理有限公司",
        floors_above=10,
        floors_below=1,
        has_own_space=False,
        tenants=(
            Company("泰州鼓楼文化传播有限公司", CULTURE),
            Company("泰州乐学教育科技有限公司", EDUCATION),
            Company("泰州凤城商贸有限公司", TRADE),
            Company("泰州悦享餐饮管理有限公司", OTHER),
            Company("泰州康美大药房连锁有限公司万达店", MEDICINE),
            Company("泰州星辰广告有限公司", CULTURE),
            Company("泰州瑞丰家政服务有限公司", OTHER),
            Company("泰州市青年创业促进会", SOCIAL),
        ),
    ),
    BuildingSpec(
        station_code="taizhou-finance",
        name="泰州金融大厦",
        address="泰州市海陵区青年南路 39 号",
        operator="泰州金融大厦物业管理有限公司",
        floors_above=31,
        floors_below=3,
        tenants=(
            Company("中国工商银行股份有限公司泰州海陵支行", FINANCE),
            Company("中国建设银行股份有限公司泰州青年路支行", FINANCE),
            Company("江苏银行股份有限公司泰州分行", FINANCE),
            Company("泰州农村商业银行股份有限公司城中支行", FINANCE),
            Company("中国人寿保险股份有限公司泰州分公司", FINANCE),
            Company("中国太平洋财产保险股份有限公司泰州中心支公司", FINANCE),
            Company("华泰证券股份有限公司泰州青年南路证券营业部", FINANCE),
            Company("泰州金控融资担保有限公司", FINANCE),
        ),
    ),
    BuildingSpec(
        station_code="taizhou-finance",
        name="海陵国际商务中心",
        address="泰州市海陵区青年南路 57 号",
        operator="泰州海陵城市资产经营有限公司",
        floors_above=22,
        floors_below=2,
        tenants=(
            Company("江苏泰和律师事务所", LAW),
            Company("江苏润泰律师事务所", LAW),
            Company("泰州公正资产评估有限公司", CONSULTING),
            Company("泰州诚达工程造价咨询有限公司", CONSULTING),
            Company("泰州城建置业有限公司", REALESTATE),
            Company("江苏海陵建设工程有限公司", REALESTATE),
            Company("泰州海陵文化传媒有限公司", CULTURE),
            Company("泰州市软件行业协会", SOCIAL),
        ),
    ),
    BuildingSpec(
        station_code="yiyaocheng-kechuang",
        name="医药城科创大厦",
        address="泰州市中国医药城药城大道 1 号",
        operator="泰州医药城科技发展有限公司",
        floors_above=20,
        floors_below=2,
        tenants=(
            Company("江苏药城生物医药研发有限公司", MEDICINE),
            Company("泰州康宁医药科技有限公司", MEDICINE),
            Company("泰州瑞康医疗器械有限公司", MEDICINE),
            Company("江苏和泽生物制药有限公司", MEDICINE),
            Company("泰州博远基因科技有限公司", MEDICINE),
            Company("泰州药联数据科技有限公司", IT),
            Company("泰州华瑞检测技术有限公司", CONSULTING),
            Company("泰州知行知识产权代理有限公司", CONSULTING),
        ),
    ),
    BuildingSpec(
        station_code="yiyaocheng-kechuang",
        name="医药城会展交易中心",
        address="泰州市中国医药城药城大道 9 号",
        operator="泰州医药会展服务有限公司",
        floors_above=6,
        floors_below=1,
        tenants=(
            Company("泰州医药会展服务有限公司", TRADE),
            Company("江苏医药城进出口贸易有限公司", TRADE),
            Company("泰州康泰医药物流有限公司", TRADE),
            Company("泰州健源医药连锁有限公司", MEDICINE),
            Company("泰州仁和健康管理有限公司", MEDICINE),
            Company("泰州药城人力资源服务有限公司", CONSULTING),
            Company("泰州市生物医药产业协会", SOCIAL),
            Company("泰州蓝海医疗器械贸易有限公司", TRADE),
        ),
    ),
    BuildingSpec(
        station_code="yiyaocheng-kechuang",
        name="药城孵化器 3 号楼",
        address="泰州市中国医药城口泰路 18 号",
        operator="泰州科创孵化器管理有限公司",
        floors_above=12,
        floors_below=1,
        has_own_space=False,
        tenants=(
            Company("泰州优诺生物科技有限公司", MEDICINE),
            Company("泰州精准诊断技术有限公司", MEDICINE),
            Company("泰州纳微新材料科技有限公司", MANUFACTURING),
            Company("泰州智药机器人科技有限公司", MANUFACTURING),
            Company("泰州云医互联网医院有限公司", IT),
            Company("泰州康研临床研究服务有限公司", MEDICINE),
            Company("泰州创新药物安全评价中心有限公司", MEDICINE),
            Company("泰州青禾细胞科技有限公司", MEDICINE),
        ),
    ),
    BuildingSpec(
        station_code="fengchenghe",
        name="凤城河商务大厦",
        address="泰州市海陵区凤城河路 88 号",
        operator="泰州水城物业管理有限公司",
        floors_above=18,
        floors_below=2,
        tenants=(
            Company("泰州凤城河旅游发展有限公司", CULTURE),
            Company("泰州望海楼文化旅游有限公司", CULTURE),
            Company("泰州海陵城市发展投资有限公司", REALESTATE),
            Company("江苏泰阳律师事务所", LAW),
            Company("泰州诚信会计师事务所有限公司", CONSULTING),
            Company("泰州博雅教育咨询有限公司", EDUCATION),
            Company("泰州水城物业管理有限公司", REALESTATE),
            Company("泰州市海陵区社会组织服务中心", SOCIAL),
        ),
    ),
    BuildingSpec(
        station_code="fengchenghe",
        name="海陵科技创业园 1 号楼",
        address="泰州市海陵区迎春东路 66 号",
        operator="泰州科创孵化器管理有限公司",
        floors_above=15,
        floors_below=1,
        tenants=(
            Company("泰州精工智能装备研发有限公司", MANUFACTURING),
            Company("泰州海创电子科技有限公司", MANUFACTURING),
            Company("泰州新能动力科技有限公司", MANUFACTURING),
            Company("泰州易联物联网科技有限公司", IT),
            Company("泰州数智云计算有限公司", IT),
            Company("泰州小巷创意设计有限公司", CULTURE),
            Company("泰州科创孵化器管理有限公司", CONSULTING),
            Company("泰州速达快递服务有限公司", TRADE),
        ),
    ),
)

STREETS = (
    StreetSpec("城中街道", "hailing-wanda", ("府前社区", "稻河社区", "五巷社区")),
    StreetSpec("城西街道", "taizhou-finance", ("鼓楼社区", "迎春社区")),
    StreetSpec("城东街道", "fengchenghe", ("凤凰社区", "东进社区", "涵东社区")),
    StreetSpec("京泰路街道", "fengchenghe", ("京泰社区", "春晖社区")),
)

# §4.5: buildings near the large branch whose people use its rooms and activities.
SURROUNDING_BUILDINGS = (
    ("海陵商厦写字楼", "fengchenghe"),
    ("凤凰国际大酒店商务楼", "fengchenghe"),
)

LIANGXIN_WORK_COMMITTEE = "中共泰州市海陵区委两新工委"
CHENGZHONG_WORK_COMMITTEE = "中共泰州市海陵区城中街道工作委员会"
CHENGDONG_WORK_COMMITTEE = "中共泰州市海陵区城东街道工作委员会"
FINANCE_WORK_COMMITTEE = "中共泰州市委金融工作委员会"
MEDICAL_PARK_WORK_COMMITTEE = "中共泰州医药高新技术产业开发区工作委员会"
LAWYERS_COMMITTEE = "中共泰州市海陵区律师行业委员会"

ORGANIZATIONS = (  # parents come before the organisations they lead
    OrganizationSpec(
        "中共泰州万达广场楼宇总支部委员会",
        "万达广场楼宇党总支",
        OrgKind.GENERAL_BRANCH,
        "hailing-wanda",
        CHENGZHONG_WORK_COMMITTEE,
    ),
    OrganizationSpec(
        "中共泰州华信软件科技有限公司支部委员会",
        "华信软件党支部",
        OrgKind.BRANCH,
        "hailing-wanda",
        LIANGXIN_WORK_COMMITTEE,
        company="泰州华信软件科技有限公司",
        parent="中共泰州万达广场楼宇总支部委员会",
    ),
    OrganizationSpec(
        "万达广场楼宇联合党支部",
        "万达楼宇联合支部",
        OrgKind.JOINT_BRANCH,
        "hailing-wanda",
        LIANGXIN_WORK_COMMITTEE,
        building="万达广场写字楼 A 座",
        parent="中共泰州万达广场楼宇总支部委员会",
    ),
    OrganizationSpec(
        "中共江苏海陵律师事务所支部委员会",
        "海陵律所党支部",
        OrgKind.BRANCH,
        "hailing-wanda",
        LAWYERS_COMMITTEE,
        company="江苏海陵律师事务所",
    ),
    OrganizationSpec(
        "万达广场金街商务楼联合党支部",
        "金街联合支部",
        OrgKind.JOINT_BRANCH,
        "hailing-wanda",
        CHENGZHONG_WORK_COMMITTEE,
        building="万达广场金街商务楼",
        parent="中共泰州万达广场楼宇总支部委员会",
        term_days_left=-41,
    ),
    OrganizationSpec(
        "中共泰州金融大厦委员会",
        "金融大厦党委",
        OrgKind.COMMITTEE,
        "taizhou-finance",
        FINANCE_WORK_COMMITTEE,
    ),
    OrganizationSpec(
        "中共中国工商银行泰州海陵支行支部委员会",
        "工行海陵支行党支部",
        OrgKind.BRANCH,
        "taizhou-finance",
        FINANCE_WORK_COMMITTEE,
        company="中国工商银行股份有限公司泰州海陵支行",
        parent="中共泰州金融大厦委员会",
    ),
    OrganizationSpec(
        "中共江苏银行泰州分行机关支部委员会",
        "江苏银行泰州分行党支部",
        OrgKind.BRANCH,
        "taizhou-finance",
        FINANCE_WORK_COMMITTEE,
        company="江苏银行股份有限公司泰州分行",
        parent="中共泰州金融大厦委员会",
    ),
    OrganizationSpec(
        "泰州金融大厦保险证券联合党支部",
        "保险证券联合支部",
        OrgKind.JOINT_BRANCH,
        "taizhou-finance",
        FINANCE_WORK_COMMITTEE,
        building="泰州金融大厦",
        parent="中共泰州金融大厦委员会",
    ),
    OrganizationSpec(
        "海陵国际商务中心联合党支部",
        "国际商务中心联合支部",
        OrgKind.JOINT_BRANCH,
        "taizhou-finance",
        LIANGXIN_WORK_COMMITTEE,
        building="海陵国际商务中心",
        term_days_left=27,
    ),
    OrganizationSpec(
        "中共医药城科创大厦综合委员会",
        "科创大厦综合党委",
        OrgKind.COMMITTEE,
        "yiyaocheng-kechuang",
        MEDICAL_PARK_WORK_COMMITTEE,
    ),
    OrganizationSpec(
        "中共江苏药城生物医药研发有限公司支部委员会",
        "药城生物党支部",
        OrgKind.BRANCH,
        "yiyaocheng-kechuang",
        MEDICAL_PARK_WORK_COMMITTEE,
        company="江苏药城生物医药研发有限公司",
        parent="中共医药城科创大厦综合委员会",
    ),
    OrganizationSpec(
        "医药城科创大厦联合党支部",
        "科创大厦联合支部",
        OrgKind.JOINT_BRANCH,
        "yiyaocheng-kechuang",
        MEDICAL_PARK_WORK_COMMITTEE,
        building="医药城科创大厦",
        parent="中共医药城科创大厦综合委员会",
    ),
    OrganizationSpec(
        "医药城会展交易中心联合党支部",
        "会展中心联合支部",
        OrgKind.JOINT_BRANCH,
        "yiyaocheng-kechuang",
        MEDICAL_PARK_WORK_COMMITTEE,
        building="医药城会展交易中心",
        parent="中共医药城科创大厦综合委员会",
    ),
    OrganizationSpec(
        "药城孵化器联合党支部",
        "孵化器联合支部",
        OrgKind.JOINT_BRANCH,
        "yiyaocheng-kechuang",
        MEDICAL_PARK_WORK_COMMITTEE,
        building="药城孵化器 3 号楼",
        term_days_left=-12,
    ),
    OrganizationSpec(
        "中共凤城河商务区总支部委员会",
        "凤城河商务区党总支",
        OrgKind.GENERAL_BRANCH,
        "fengchenghe",
        CHENGDONG_WORK_COMMITTEE,
    ),
    OrganizationSpec(
        "凤城河商务大厦联合党支部",
        "商务大厦联合支部",
        OrgKind.JOINT_BRANCH,
        "fengchenghe",
        CHENGDONG_WORK_COMMITTEE,
        building="凤城河商务大厦",
        parent="中共凤城河商务区总支部委员会",
    ),
    OrganizationSpec(
        "海陵科技创业园联合党支部",
        "科技创业园联合支部",
        OrgKind.JOINT_BRANCH,
        "fengchenghe",
        LIANGXIN_WORK_COMMITTEE,
        building="海陵科技创业园 1 号楼",
        parent="中共凤城河商务区总支部委员会",
        term_days_left=68,
    ),
)

ALLIANCES = (
    AllianceSpec(
        name="万达广场商圈党建联盟",
        station_code="hailing-wanda",
        lead="中共泰州万达广场楼宇总支部委员会",
        members=(
            "中共泰州万达广场楼宇总支部委员会",
            "中共泰州华信软件科技有限公司支部委员会",
            "万达广场楼宇联合党支部",
            "中共江苏海陵律师事务所支部委员会",
            "万达广场金街商务楼联合党支部",
        ),
        purpose="组织共建、资源共享、事务共商、活动共办、发展共赢：共用党员活动室，联合开展主题党日和商圈志愿服务。",
        founded_days_ago=640,
    ),
    AllianceSpec(
        name="中国医药城党建产业联盟",
        station_code="yiyaocheng-kechuang",
        lead="中共医药城科创大厦综合委员会",
        members=(
            "中共医药城科创大厦综合委员会",
            "中共江苏药城生物医药研发有限公司支部委员会",
            "医药城科创大厦联合党支部",
            "医药城会展交易中心联合党支部",
            "药城孵化器联合党支部",
            "中共泰州金融大厦委员会",
        ),
        purpose="以党建链串起产业链：金融党组织对接科创企业融资需求，研发企业党员结对孵化器初创团队。",
        founded_days_ago=410,
    ),
)

AGREEMENTS = (
    AgreementSpec(
        title="华信软件党支部与工行海陵支行党支部联学共建协议",
        station_code="hailing-wanda",
        alliance=None,
        organizations=("中共泰州华信软件科技有限公司支部委员会", "中共中国工商银行泰州海陵支行支部委员会"),
        content="每季度开展一次联合主题党日；共建“数字金融”党员先锋岗；互派党员讲授专题党课。",
        signed_days_ago=300,
        valid_days=730,
    ),
    AgreementSpec(
        title="万达广场商圈“红色物业”共建协议",
        station_code="hailing-wanda",
        alliance="万达广场商圈党建联盟",
        organizations=(
            "中共泰州万达广场楼宇总支部委员会",
            "万达广场楼宇联合党支部",
            "万达广场金街商务楼联合党支部",
        ),
        content="物业服务纳入楼宇网格，党员认领楼层服务岗，每月收集并回应入驻单位诉求。",
        signed_days_ago=200,
        valid_days=1095,
    ),
    AgreementSpec(
        title="科创大厦与药城孵化器“党建+创新”共建协议",
        station_code="yiyaocheng-kechuang",
        alliance="中国医药城党建产业联盟",
        organizations=("医药城科创大厦联合党支部", "药城孵化器联合党支部"),
        content="共享实验平台和会议场地，党员技术骨干结对帮扶初创企业，联合举办创新创业沙龙。",
        signed_days_ago=120,
        valid_days=730,
    ),
)

# The organisation, unit and community the demo logins belong to (all at the first branch).
DEMO_ORGANIZATION = "中共泰州华信软件科技有限公司支部委员会"
DEMO_COMPANY = "泰州华信软件科技有限公司"

DEMO_LOGINS = (
    DemoLogin("admin", "周建国", PersonKind.WORKER, Role.PLATFORM_ADMIN, at_hq=True, is_staff=True),
    DemoLogin("hq_admin", "陈晓燕", PersonKind.WORKER, Role.STATION_ADMIN, at_hq=True),
    DemoLogin("branch_admin", "王海涛", PersonKind.WORKER, Role.STATION_ADMIN),
    DemoLogin("instructor", "李文华", PersonKind.WORKER, Role.INSTRUCTOR),
    DemoLogin("worker", "张敏", PersonKind.MEMBER, Role.WORKER),
    DemoLogin("guide", "刘思雨", PersonKind.WORKER, Role.GUIDE),
    DemoLogin("secretary", "杨志强", PersonKind.MEMBER, Role.ORG_SECRETARY),
    DemoLogin("officer", "黄丽娟", PersonKind.MEMBER, Role.ORG_OFFICER),
    DemoLogin("grid_leader", "赵永刚", PersonKind.MEMBER, Role.GRID_LEADER),
    DemoLogin("member", "吴晓东", PersonKind.MEMBER),
    DemoLogin("resident", "孙桂兰", PersonKind.RESIDENT),
    # §4.7: lives in 凤凰社区, served by the large branch 凤城河 (open to its surroundings)
    DemoLogin("neighbor", "丁桂芳", PersonKind.RESIDENT, community="凤凰社区"),
)

# Surnames in three frequency tiers (储、缪、吉、丁、顾 are common around 泰州).
SURNAMES_MOST_COMMON = "王李张刘陈杨黄赵吴周"
SURNAMES_COMMON = "徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
SURNAMES_LESS_COMMON = "彭曾田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜钟陆汪范金石夏方严钱顾储缪吉戴孔汤翟季"

# Given names: common two-character names (space-separated), or a single common character.
GIVEN_NAMES_MALE = (
    "建国 志强 海涛 永刚 晓东 国平 建华 志刚 俊杰 浩然 子轩 宇航 文博 明辉 立新 春生 家豪 振华 德明 国强 "
    "鹏飞 晨阳 天宇 志伟 建军 卫东 学文 光明 海峰 一鸣 思远 博文 嘉诚 金龙 永平 云飞 正阳 宏伟"
)
GIVEN_NAMES_FEMALE = (
    "晓燕 丽娟 思雨 桂兰 秀英 春燕 雪梅 海燕 丽华 婷婷 欣怡 梓涵 雨萱 佳琪 静怡 晓婷 文静 慧敏 玉兰 秀兰 "
    "美玲 丽萍 红霞 金凤 艳红 诗涵 梦瑶 晓丽 亚楠 雅琴 素芬 冬梅 月华 玉洁 紫薇 若兰"
)
GIVEN_NAME_CHARS_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊旭宁龙林阳峰"
GIVEN_NAME_CHARS_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪琳颖慧倩佳梅莉萍红兰琴云洁蕾欣悦雯瑶怡"
