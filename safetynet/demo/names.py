"""Chinese names for the demo county: people, townships, villages and communities.

Everything is drawn from a ``random.Random`` passed in, so a seed gives the same names.
"""

from __future__ import annotations

import bisect
import itertools
import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Common surnames with rough weights for northern Jiangsu (per mille of the population).
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 90), ("张", 70), ("李", 60), ("刘", 60), ("徐", 45), ("孙", 40), ("陈", 40),
    ("杨", 30), ("赵", 28), ("朱", 26), ("吴", 22), ("周", 22), ("胡", 18), ("马", 18),
    ("高", 16), ("许", 16), ("郑", 14), ("葛", 12), ("丁", 12), ("姜", 12), ("于", 12),
    ("董", 11), ("吕", 11), ("沈", 10), ("蒋", 10), ("韩", 10), ("唐", 10), ("冯", 10),
    ("魏", 9), ("曹", 9), ("宋", 9), ("程", 9), ("邵", 8), ("房", 8), ("顾", 8), ("杜", 8),
    ("仲", 7), ("汪", 7), ("薛", 7), ("彭", 7), ("潘", 7), ("袁", 7), ("黄", 7), ("郭", 7),
    ("梁", 6), ("田", 6), ("谢", 6), ("苏", 6), ("尹", 6), ("秦", 6), ("蔡", 6), ("邱", 5),
    ("贾", 5), ("侯", 5), ("石", 5), ("夏", 5), ("钱", 5), ("卢", 5), ("崔", 5), ("戴", 5),
    ("武", 4), ("范", 4), ("倪", 4), ("孟", 4), ("姚", 4), ("殷", 4), ("厉", 3), ("相", 3),
)
SURNAME_LIST = [s for s, _ in SURNAMES]
SURNAME_CUM = list(itertools.accumulate(w for _, w in SURNAMES))

# Given names by generation: people born before 1960, 1960–1989, and from 1990.
OLD_FEMALE = _words(
    "秀英 桂英 玉兰 凤英 桂兰 秀兰 玉珍 兰英 春兰 秀珍 玉英 淑珍 桂芳 凤兰 金兰 翠兰 "
    "素珍 玉梅 秀梅 桂珍 长英 广兰 德英 玉芳 爱兰 桂香 凤珍 素英 玉华 秀云"
)
OLD_MALE_1 = _words("德 明 国 学 文 玉 金 永 长 福 贵 庆 成 兆 立 洪 树 振 广 传 士 继 守 启")
OLD_MALE_2 = _words("山 林 发 富 贵 才 生 田 海 江 忠 义 仁 礼 章 胜 元 春 荣 德 友 全 俊 修")
MID_FEMALE = _words(
    "丽 红 芳 敏 静 燕 娟 霞 艳 萍 玲 丽娟 红梅 海燕 春燕 晓红 雪梅 秀丽 小红 丽萍 "
    "桂红 美玲 玉洁 爱华 彩霞 海霞 晓燕 月娥 凤霞 红霞"
)
MID_MALE_1 = _words("建 国 志 卫 红 海 永 立 晓 宏 新 春 德 中 保 长 学 东 家 振 成 兆")
MID_MALE_2 = _words("国 华 军 强 东 涛 刚 新 民 平 林 峰 明 伟 兵 亮 波 勇 杰 辉 飞 龙")
MID_MALE_SINGLE = _words("伟 强 军 勇 磊 涛 斌 鹏 明 超 刚 杰 亮 锋 俊 浩")
NEW_1 = _words("浩 宇 子 俊 博 文 梓 一 嘉 睿 欣 雨 诗 思 佳 可 语 若 明")
NEW_MALE_2 = _words("然 轩 航 阳 杰 豪 辰 泽 铭 宸 睿 涛 凯 昊 哲 恒 瑞 鑫")
NEW_FEMALE_2 = _words("涵 萱 怡 彤 琪 妍 悦 欣 桐 菲 瑶 婷 雪 蕾 晴 璐 琳 月")

TOWNSHIPS: tuple[tuple[int, str], ...] = (
    # Street offices 001–099, towns 100–199, townships 200–399 (GB/T 10114 numbering).
    (1, "牛山街道"), (2, "石榴街道"),
    (100, "白塔埠镇"), (101, "黄川镇"), (102, "石梁河镇"), (103, "青湖镇"), (104, "温泉镇"),
    (105, "双店镇"), (106, "桃林镇"), (107, "洪庄镇"), (108, "安峰镇"), (109, "房山镇"),
    (110, "平明镇"), (111, "晶都镇"),
    (200, "驼峰乡"), (201, "李埝乡"), (202, "山左口乡"), (203, "石湖乡"), (204, "曲阳乡"),
    (205, "张湾乡"),
)

VILLAGE_FIRST = _words(
    "东 西 南 北 前 后 大 小 上 下 新 老 石 山 河 湖 桥 林 杨 柳 桃 李 王 张 刘 陈 徐 孙 朱 马 "
    "青 白 黄 红 双 三 万 龙 凤 金 银 安 和 兴 太 平 高 岭 沙 泉 官 吴 周 赵 胡 许 葛 丁 姜 于 "
    "董 吕 沈 韩 唐 冯 魏 曹 宋 程 邵 房 顾 杜 仲 汪 薛 彭 潘 袁"
)
VILLAGE_SECOND = _words(
    "庄 湖 河 岭 沟 集 圩 桥 埠 店 营 屯 湾 岗 塘 楼 园 墩 口 洼 林 山 泉 坊 寨 官庄 家庄 "
    "王庄 花园 新庄"
)
COMMUNITY_STEMS = _words(
    "城东 城西 城南 城北 幸福 和平 富民 振兴 光明 建设 人民 新华 晶都 温泉 牛山 石榴 "
    "繁荣 民主 团结 育才 文昌 阳光 紫薇 金桥 东方 西湖 鸿福 锦绣 祥和 康乐"
)


def surname(rng: random.Random) -> str:
    return SURNAME_LIST[bisect.bisect(SURNAME_CUM, rng.random() * SURNAME_CUM[-1])]


def given_name(rng: random.Random, sex: str, birth_year: int) -> str:
    """A given name typical of the person's generation and sex."""
    if birth_year < 1960:
        if sex == "F":
            return rng.choice(OLD_FEMALE)
        return rng.choice(OLD_MALE_1) + rng.choice(OLD_MALE_2)
    if birth_year < 1990:
        if sex == "F":
            return rng.choice(MID_FEMALE)
        if rng.random() < 0.3:
            return rng.choice(MID_MALE_SINGLE)
        return rng.choice(MID_MALE_1) + rng.choice(MID_MALE_2)
    second = NEW_FEMALE_2 if sex == "F" else NEW_MALE_2
    return rng.choice(NEW_1) + rng.choice(second)


def village_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """``count`` distinct village names ("王庄村", "后湖村") not yet in ``taken``."""
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(VILLAGE_FIRST) + rng.choice(VILLAGE_SECOND) + "村"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def community_names(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(COMMUNITY_STEMS) + "社区"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names
