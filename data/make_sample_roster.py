"""Generate the synthetic sample roster (fake names, fake ID numbers) deterministically.

Three buildings (楼栋 1–3), two stairwells (单元) each, 6 or 7 floors, two units per floor.
Writes ``data/sample_roster.xlsx`` and ``data/sample_roster_gbk.csv`` (GBK) and copies
both into ``costshare/data/`` so the installed package can ship them.

Run: ``python data/make_sample_roster.py``
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).parent
PKG = HERE.parent / "costshare" / "data"
HEADER = [
    "楼栋",
    "单元",
    "房号",
    "楼层",
    "专有部分面积(㎡)",
    "业主姓名",
    "人口",
    "维修资金余额(元)",
    "身份证号",
    "联系电话",
]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "欧阳", "司马"]
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "桂兰",
    "建国",
    "海燕",
]
FLOORS = {"1": 6, "2": 7, "3": 6}


def rows(seed: int = 20240601) -> list[list[object]]:
    """The roster rows, the same on every run."""
    rnd = random.Random(seed)
    out: list[list[object]] = []
    for building, floors in FLOORS.items():
        for stair in ("1", "2"):
            for floor in range(1, floors + 1):
                for pos in (1, 2):
                    area = rnd.choice([52.36, 58.8, 61.25, 64.1, 72.45, 78.9, 82.5, 90.12])
                    name = rnd.choice(SURNAMES) + rnd.choice(GIVEN)
                    fake_id = f"990000{1950 + rnd.randrange(50)}0101{rnd.randrange(1000):03d}X"
                    out.append(
                        [
                            building,
                            stair,
                            f"{floor}0{pos}",
                            floor,
                            area,
                            name,
                            rnd.randint(1, 5),
                            round(rnd.choice([0, 0, 500, 1200.5, 2300, 3650.75]), 2),
                            fake_id,
                            f"1390000{rnd.randrange(10000):04d}",
                        ]
                    )
    return out


def write_xlsx(path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2024, 6, 1), "author": "costshare sample"})
    ws = wb.add_worksheet("业主名册")
    ws.write_row(0, 0, HEADER)
    for i, r in enumerate(rows(), start=1):
        ws.write_row(i, 0, r)
    ws.freeze_panes(1, 0)
    wb.close()


def write_csv(path: Path) -> None:
    with path.open("w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows())


def main() -> None:
    write_xlsx(HERE / "sample_roster.xlsx")
    write_csv(HERE / "sample_roster_gbk.csv")
    PKG.mkdir(exist_ok=True)
    for name in ("sample_roster.xlsx", "sample_roster_gbk.csv"):
        shutil.copyfile(HERE / name, PKG / name)


if __name__ == "__main__":
    main()
