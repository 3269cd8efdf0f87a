from dangjian.core.audit import register_audit_actions

register_audit_actions(
    prefix="stations.",
    label="站点与楼宇",
    actions={
        "stations.station.create": "新建站点",
        "stations.station.update": "修改站点",
        "stations.building.create": "新增楼宇",
        "stations.building.update": "修改楼宇",
        "stations.unit.create": "新增入驻单位",
        "stations.unit.update": "修改入驻单位",
        "stations.grid.create": "新增网格",
        "stations.grid.update": "修改网格",
        "stations.place.create": "新增周边片区",
        "stations.place.update": "修改周边片区",
    },
)
