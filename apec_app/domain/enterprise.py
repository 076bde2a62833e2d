"""Enterprise attributes and the channel rule (中央企业 apply directly to the Ministry)."""

from __future__ import annotations

NATURES = ("中央企业", "地方国有企业", "民营企业", "外商投资企业", "港澳台资企业", "事业单位", "其他")
INDUSTRIES = (
    "农、林、牧、渔业",
    "采矿业",
    "制造业",
    "电力、热力、燃气及水生产和供应业",
    "建筑业",
    "批发和零售业",
    "交通运输、仓储和邮政业",
    "住宿和餐饮业",
    "信息传输、软件和信息技术服务业",
    "通讯服务",
    "金融业",
    "房地产业",
    "租赁和商务服务业",
    "科学研究和技术服务业",
    "水利、环境和公共设施管理业",
    "居民服务、修理和其他服务业",
    "教育",
    "卫生和社会工作",
    "文化、体育和娱乐业",
    "其他",
)
PROVINCES = (
    "北京市",
    "天津市",
    "河北省",
    "山西省",
    "内蒙古自治区",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "上海市",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "广西壮族自治区",
    "海南省",
    "重庆市",
    "四川省",
    "贵州省",
    "云南省",
    "西藏自治区",
    "陕西省",
    "甘肃省",
    "青海省",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
    "台湾省",
)

DIRECT = "direct"  # 直办: the Ministry (外交部)
LOCAL = "local"  # through a local 外办


def channel_for(nature: str, override: str | None = None) -> str:
    if override in (DIRECT, LOCAL):
        return override
    return DIRECT if nature == "中央企业" else LOCAL
