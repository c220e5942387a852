"""Excel parity cases computed by LibreOffice Calc run headless.

``python tests/parity/calc_parity.py`` draws a few thousand random cases per function
(rates from -0.99 to 0.5 and some at or below -100 %, whole and fractional periods, both
payment timings, both signs), writes them as formulas into one .xlsx, lets
``soffice --headless --convert-to xlsx`` compute them, and stores the inputs with Calc's
values (or its error code) in ``tests/data/calc_parity.json.gz``. The ordinary suite
compares costshare with the stored values; ``tests/test_finance_parity.py`` also
regenerates them with Calc when soffice is installed (always in CI).

Where Excel and Calc differ on purpose the case records Excel's rule (``note``): a
fractional CUMIPMT/CUMPRINC start period is rounded up by Excel and cut down by Calc, so
Calc is asked for the rounded-up start.
"""

from __future__ import annotations

import gzip
import json
import math
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "data" / "calc_parity.json.gz"
PER_FUNCTION = 2000
SEED = 20261206


def _num(x: float) -> str:
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def _arr(xs: list[float]) -> str:
    return "{" + ",".join(_num(x) for x in xs) + "}"


def _call(name: str, *args: Any) -> str:
    return f"{name}(" + ",".join(a if isinstance(a, str) else _num(a) for a in args) + ")"


class Draw:
    """Random arguments in the ranges the issue names."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng

    def rate(self, below: bool = True) -> float:
        u = self.rng.random()
        if below and u < 0.04:
            return -1.0
        if below and u < 0.12:
            return round(float(self.rng.uniform(-3, -1)), 4)
        if u < 0.16:
            return 0.0
        return round(float(self.rng.uniform(-0.99, 0.5)), 6)

    def pos_rate(self) -> float:
        return round(float(self.rng.uniform(0.0001, 0.5)), 6)

    def nper(self, frac: float = 0.3, top: int = 60) -> float:
        n = float(self.rng.integers(1, top + 1))
        if self.rng.random() < frac:
            n = round(n - float(self.rng.random()), 2) or 0.5
        return n

    def money(self, zero: float = 0.1) -> float:
        if self.rng.random() < zero:
            return 0.0
        return round(float(self.rng.uniform(-1e5, 1e5)), 2)

    def when(self) -> int:
        return int(self.rng.integers(0, 2))

    def flows(self, lo: int = 2, hi: int = 12) -> list[float]:
        k = int(self.rng.integers(lo, hi + 1))
        v = [round(float(x), 2) for x in self.rng.uniform(-1e4, 1e4, k)]
        if self.rng.random() < 0.5:
            v[0] = -abs(v[0]) * 5
        return v


def _cases(d: Draw) -> dict[str, list[dict]]:
    """{function: [{"args": [...], "formula": "...", "note": ...}]}"""
    r = d.rng
    out: dict[str, list[dict]] = {}

    def add(fn: str, args: list, formula: str, note: str = "") -> None:
        out.setdefault(fn, []).append({"args": args, "formula": formula, "note": note})

    for _ in range(PER_FUNCTION):
        a = [d.rate(), d.nper(), d.money(), d.money(0.5), d.when()]
        add("pv", a, _call("PV", *a))
        a = [d.rate(), d.nper(), d.money(), d.money(0.5), d.when()]
        add("fv", a, _call("FV", *a))
        a = [d.rate(False), d.nper(), d.money(0), d.money(0.5), d.when()]
        add("pmt", a, _call("PMT", *a))
        for fn in ("ipmt", "ppmt"):
            n = d.nper(0.2)
            per = float(r.integers(1, math.ceil(n) + 1))
            a = [d.rate(False), per, n, d.money(0), d.money(0.5), d.when()]
            add(fn, a, _call(fn.upper(), *a))
        a = [d.rate(False), d.money(0), d.money(0), d.money(0.5), d.when()]
        add("nper", a, _call("NPER", *a))
        v, rt = d.flows(), d.rate()
        add("npv", [rt, v], f"{_num(v[0])}+NPV({_num(rt)},{_arr(v[1:])})")
        v, fr, rr = d.flows(), d.rate(), d.rate()
        add("mirr", [v, fr, rr], f"MIRR({_arr(v)},{_num(fr)},{_num(rr)})")
        for fn in ("cumipmt", "cumprinc"):
            n = float(r.integers(1, 361))
            s = float(r.integers(1, int(n) + 1))
            e = float(r.integers(int(s), int(n) + 1))
            note = ""
            if r.random() < 0.25 and s > 1:
                s, note = s - round(float(r.uniform(0.01, 0.99)), 2), "start rounded up"
            if r.random() < 0.25:
                e = e + round(float(r.uniform(0.01, 0.99)), 2)
            rate = d.pos_rate() if r.random() < 0.9 else d.rate()
            pv = abs(d.money(0)) if r.random() < 0.95 else d.money()
            a = [rate / 12, n, pv, s, e, d.when()]
            add(fn, a, _call(fn.upper(), a[0], n, pv, float(math.ceil(s)), e, a[5]), note)
        cost = round(float(r.uniform(100, 1e6)), 2)
        salv = round(cost * float(r.uniform(0, 0.5)), 2) if r.random() < 0.9 else 0.0
        life = float(r.integers(1, 41))
        if r.random() < 0.03:
            life = 0.0
        add("sln", [cost, salv, life], _call("SLN", cost, salv, life))
        per = float(r.integers(1, int(life) + 1)) if life else 1.0
        life_s = life or 1.0
        add("syd", [cost, salv, life_s, per], _call("SYD", cost, salv, life_s, per))
        month = float(r.integers(1, 13))
        top = int(life_s) + (1 if month < 12 else 0)
        p = float(r.integers(1, top + 1))
        cst = cost if r.random() < 0.97 else salv - 1
        add("db", [cst, salv, life_s, p, month], _call("DB", cst, salv, life_s, p, month))
        p = float(r.integers(1, int(life_s) + 1))
        if r.random() < 0.2 and life_s > 1:
            p = min(life_s, p + round(float(r.random()), 2))
        f = round(float(r.uniform(0.5, 3)), 2) if r.random() < 0.5 else 2.0
        add("ddb", [cost, salv, life_s, p, f], _call("DDB", cost, salv, life_s, p, f))
        a0 = float(r.integers(0, int(life_s) + 1))
        b0 = float(r.integers(int(a0), int(life_s) + 1))
        if r.random() < 0.3:
            a0 = round(a0 + float(r.random()) * (b0 - a0), 2)
        if r.random() < 0.3:
            b0 = round(b0 - float(r.random()) * (b0 - a0), 2)
        ns = int(r.random() < 0.3)
        add("vdb", [cost, salv, life_s, a0, b0, f, ns],
            _call("VDB", cost, salv, life_s, a0, b0, f, "TRUE()" if ns else "FALSE()"))  # fmt: skip
        k = float(r.integers(1, 366)) if r.random() < 0.8 else round(float(r.uniform(1, 24)), 2)
        nom = d.pos_rate() if r.random() < 0.97 else -d.pos_rate()
        add("effect", [nom, k], _call("EFFECT", nom, k))
        add("nominal", [nom, k], _call("NOMINAL", nom, k))
        a = [d.rate(), float(r.integers(0, 61)), d.nper(0.3), d.money()]
        if r.random() < 0.02:
            a[2] = 0.0
        add("ispmt", a, _call("ISPMT", *a))
        a = [d.pos_rate(), abs(d.money(0)), abs(d.money(0))]
        if r.random() < 0.05:
            a[int(r.integers(0, 3))] *= -1
        add("pduration", a, _call("_xlfn.PDURATION", *a))
        a = [d.nper(), d.money(0), d.money(0)]
        add("rri", a, _call("_xlfn.RRI", *a))
        sched = [d.rate(False) for _ in range(int(r.integers(1, 13)))]
        pr = d.money(0)
        add("fvschedule", [pr, sched], f"FVSCHEDULE({_num(pr)},{_arr(sched)})")
        v = d.flows()
        days = np.cumsum(np.r_[43831, r.integers(1, 800, len(v) - 1)]).tolist()
        rt = d.rate(False)
        add("xnpv", [rt, v, days], f"XNPV({_num(rt)},{_arr(v)},{_arr(days)})")
        # the solvers on series with one root (an outlay, then inflows): IRR, XIRR, RATE
        k = int(r.integers(2, 16))
        inflow = [round(float(x), 2) for x in r.uniform(0, 1e4, k)]
        v = [-round(sum(inflow) * float(r.uniform(0.3, 1.6)), 2), *inflow]
        add("irr", [v], f"IRR({_arr(v)})")
        days = np.cumsum(np.r_[43831, r.integers(1, 800, len(v) - 1)]).tolist()
        add("xirr", [v, days], f"XIRR({_arr(v)},{_arr(days)})")
        n = float(r.integers(2, 361))
        pv = abs(d.money(0)) or 1000.0
        pay = -round(pv / n * float(r.uniform(0.7, 3.0)), 2)
        a = [n, pay, pv, 0.0, d.when()]
        add("rate", a, _call("RATE", *a))
    return out


def _write(cases: dict[str, list[dict]], path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for fn, rows in cases.items():
        ws = wb.create_sheet(fn)
        for c in rows:
            ws.append(["=" + c["formula"]])
    wb.save(path)


def _read(path: Path, cases: dict[str, list[dict]]) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path, data_only=True, read_only=True)
    for fn, rows in cases.items():
        got = [row[0] for row in wb[fn].iter_rows(values_only=True)]
        if len(got) != len(rows):
            msg = f"{fn}: Calc returned {len(got)} values for {len(rows)} formulas"
            raise RuntimeError(msg)
        for c, v in zip(rows, got, strict=True):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                c["value"], c["error"] = float(v), None
            else:
                c["value"], c["error"] = None, str(v)


def calc_version(soffice: str) -> str:
    """``soffice --version``, first line."""
    res = subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60)
    return res.stdout.strip().splitlines()[0] if res.stdout.strip() else "unknown"


def generate(seed: int = SEED, soffice: str | None = None) -> dict[str, Any]:
    """Draw the cases, let Calc compute them, return ``{"calc": version, "cases": ...}``."""
    soffice = soffice or shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        msg = "soffice (Debian package libreoffice-calc) is not installed"
        raise FileNotFoundError(msg)
    cases = _cases(Draw(np.random.default_rng(seed)))
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "parity.xlsx", Path(tmp) / "out"
        _write(cases, src)
        profile = Path(tmp) / "profile"
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(src),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=600)
        _read(out / "parity.xlsx", cases)
    for rows in cases.values():
        for c in rows:
            del c["formula"]
    return {"calc": calc_version(soffice), "seed": seed, "cases": cases}


def save(data: dict[str, Any], path: Path = DATA) -> None:
    """Write the expectations as gzipped JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, separators=(",", ":"))


def load(path: Path = DATA) -> dict[str, Any]:
    """The stored expectations."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


_ROWS = ("npv", "mirr", "fvschedule", "xnpv", "irr", "xirr")  # series: batched by length


def _batch(fn: str, args: list[list]) -> np.ndarray:
    """costshare on many cases of one function at once (one call per series length)."""
    import costshare.finance as fin

    if fn not in _ROWS:
        cols = [np.array(c, dtype=np.float64) for c in zip(*args, strict=True)]
        if fn == "vdb":
            return np.asarray(fin.vdb(*cols[:6], cols[6] != 0), dtype=np.float64)
        return np.asarray(getattr(fin, fn)(*cols), dtype=np.float64)
    out = np.full(len(args), np.nan)
    seq = 0 if fn in ("mirr", "irr", "xirr") else 1
    by_len: dict[int, list[int]] = {}
    for i, a in enumerate(args):
        by_len.setdefault(len(a[seq]), []).append(i)
    for idx in by_len.values():
        rows = [args[i] for i in idx]
        flows = np.array([a[seq] for a in rows])
        first = np.array([a[0] for a in rows], dtype=np.float64)
        if fn == "npv":
            out[idx] = fin.npv(first, flows)
        elif fn == "fvschedule":
            out[idx] = fin.fvschedule(first, flows)
        elif fn == "irr":
            out[idx] = fin.irr(flows)
        elif fn == "xirr":
            out[idx] = fin.xirr(flows, np.array([a[1] for a in rows]))
        elif fn == "mirr":
            out[idx] = fin.mirr(flows, [a[1] for a in rows], [a[2] for a in rows])
        else:
            out[idx] = fin.xnpv(
                first, np.array([a[1] for a in rows]), np.array([a[2] for a in rows])
            )
    return out


_TVM = {"pv": 1, "fv": 1, "pmt": 1, "ipmt": 2, "ppmt": 2, "nper": None, "cumipmt": 1}
_TVM["cumprinc"] = 1


def tolerance(fn: str, args: list, want: float, rtol: float = 1e-9) -> float:
    """Allowed difference: `rtol` of the result, of the money in the case (results that
    cancel to near 0 are compared against the amounts, not against themselves) and, for
    the annuity family, four ulps of its largest term ``amount × (1 + rate) ** nper``
    (an ill-conditioned case: neither Calc nor costshare is closer to the exact value
    than that, and the two round differently)."""
    flat: list[float] = []
    for x in args:
        flat.extend(x if isinstance(x, list) else [x])
    money = 1.0
    if fn not in ("effect", "nominal", "rri", "pduration", "mirr", "xnpv", "irr", "xirr", "rate"):
        money = max([1.0] + [abs(float(x)) for x in flat])
    tol = rtol * max(abs(want), money)
    if fn in _TVM:
        r = float(args[0])
        n = float(args[_TVM[fn]]) if _TVM[fn] else 1.0
        grow = abs(1.0 + r) ** n if r > -1 else 1.0
        tol = max(tol, 4 * 2.0**-52 * money * grow)
    return tol


def degenerate_rate(args: list, calc: float, ours: float) -> bool:
    """Calc's RATE answered -100 % for payments at the beginning, where ``1 + rate`` and so
    the whole annuity equation vanish (no rate); costshare instead returns a rate that
    solves the equation: true when that is the case here (checked with FV)."""
    import costshare.finance as fin

    n, pmt, pv, fv, when = args
    if when != 1 or calc > -1 + 1e-9 or not ours > -1:
        return False
    back = fin.fv(ours, n, pmt, pv, when)
    return abs(back - fv) <= 1e-6 * (abs(pv) + abs(pmt) * n)


def mismatches(data: dict[str, Any], rtol: float = 1e-9) -> dict[str, list[str]]:
    """Per function, the cases where costshare and Calc disagree (described)."""
    import warnings

    bad: dict[str, list[str]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for fn, rows in data["cases"].items():
            got = _batch(fn, [c["args"] for c in rows])
            for i, (c, g) in enumerate(zip(rows, got.tolist(), strict=True)):
                want = c["value"]
                if want is None:
                    ok = math.isnan(g)
                elif fn == "rate" and degenerate_rate(c["args"], want, g):
                    ok = True  # Calc's -100 % is no rate; ours solves the annuity (counted)
                else:
                    ok = not math.isnan(g) and abs(g - want) <= tolerance(fn, c["args"], want, rtol)
                if not ok:
                    calc = want if want is not None else c["error"]
                    bad.setdefault(fn, []).append(
                        f"{fn} case {i} {c['args']}: Calc {calc}, ours {g}"
                    )
    return bad


if __name__ == "__main__":
    sys.path.insert(0, str(DATA.parent.parent.parent))  # this checkout's costshare
    if "--check" in sys.argv:
        d = load()
    else:
        d = generate()
        save(d)
    n = {k: len(v) for k, v in d["cases"].items()}
    print(f"{d['calc']}: {sum(n.values())} cases -> {DATA}")
    miss = mismatches(d)
    for fn in n:
        print(f"{fn:11s} {n[fn]:5d} cases, {len(miss.get(fn, [])):4d} mismatches")
    for lines in miss.values():
        print("\n".join(lines[:5]))
    sys.exit(1 if miss else 0)
