"""Write this SIMULATED dataset: 40 patients, 12 markers at baseline, 6 and 12 months.

    python datasets/simulated_registry/generate.py

No real patient is behind these numbers. The model follows ``simulate_cohort``'s (each
patient has a true level; each measurement adds independent noise, so a single value has
test-retest reliability 0.8), with a true change reached halfway at 6 months and fully at
12 months, and 4 patients lost before 12 months (empty cells). HOMA-IR is computed from the
simulated glucose and insulin (glucose [mg/dL] x insulin [uU/mL] / 405) and rounded like
the rest, as a registry would print it. The claims are a fictional report's sentences, their
numbers computed here from the table and rounded as printed. Only numpy and the standard
library are used, so the file is reproducible from this script alone (seed 20261201).
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 20261201
N = 40
VISITS = (("baseline", "0"), ("6 months", "6"), ("12 months", "12"))
# name, label, unit, population mean, SD of one measurement, true change at 12 months,
# decimals printed, plausible range
MARKERS = [
    ("hba1c", "HbA1c", "%", 7.8, 1.1, -0.6, 1, (3, 20)),
    ("glucose", "Fasting glucose", "mg/dL", 150.0, 30.0, -15.0, 0, (40, 600)),
    ("insulin", "Fasting insulin", "uU/mL", 14.0, 5.0, -2.0, 1, (1, 100)),
    ("hs_crp", "hs-CRP", "mg/L", 3.0, 1.2, -0.5, 2, (0.05, 50)),
    ("alt", "ALT", "U/L", 32.0, 10.0, -4.0, 0, (3, 500)),
    ("ggt", "GGT", "U/L", 40.0, 14.0, -5.0, 0, (3, 800)),
    ("egfr", "eGFR", "mL/min/1.73m2", 82.0, 15.0, 1.0, 0, (10, 150)),
    ("creatinine", "Creatinine", "mg/dL", 0.95, 0.2, -0.01, 2, (0.3, 8)),
    ("testosterone", "Testosterone", "ng/dL", 380.0, 120.0, 20.0, 0, (5, 1500)),
    ("oestradiol", "Oestradiol", "pg/mL", 40.0, 14.0, 2.0, 0, (5, 500)),
    ("ldl", "LDL cholesterol", "mg/dL", 115.0, 30.0, -8.0, 0, (20, 300)),
]
HOMA = ("homa_ir", "HOMA-IR", "", 2, (0.1, 60))


def simulate() -> list[dict[str, str]]:
    rng = np.random.default_rng(SEED)
    reliability = 0.8
    sex = rng.choice(["F", "M"], N)
    age = rng.integers(35, 76, N)
    lost = set(rng.choice(N, 4, replace=False).tolist())
    rows: list[dict[str, str]] = [
        {"id": f"P{i + 1:02d}", "sex": str(sex[i]), "age": str(int(age[i]))} for i in range(N)
    ]
    values: dict[tuple[str, str], np.ndarray] = {}
    for name, _, _, mean, sd, change, decimals, (low, high) in MARKERS:
        true = rng.normal(mean, np.sqrt(reliability) * sd, N)
        noise_sd = np.sqrt(1.0 - reliability) * sd
        for (_, months), fraction in zip(VISITS, (0.0, 0.5, 1.0), strict=True):
            x = true + fraction * change + rng.normal(0.0, noise_sd, N)
            x = np.clip(np.round(x, decimals), low, high)  # keep within the plausible range
            values[(name, months)] = x
    for _, months in VISITS:
        values[("homa_ir", months)] = np.round(
            values[("glucose", months)] * values[("insulin", months)] / 405.0, HOMA[3]
        )
    for i in range(N):
        for name in [m[0] for m in MARKERS] + ["homa_ir"]:
            decimals = HOMA[3] if name == "homa_ir" else next(m[6] for m in MARKERS if m[0] == name)
            for _, months in VISITS:
                cell = (
                    ""
                    if months == "12" and i in lost
                    else f"{values[(name, months)][i]:.{decimals}f}"
                )
                rows[i][f"{name}_m{months}"] = cell
    return rows


def column_specs() -> list[dict[str, object]]:
    specs: list[dict[str, object]] = [
        {"name": "id", "role": "id", "dtype": "str", "label": "Patient", "allow_missing": False},
        {
            "name": "sex",
            "role": "sex",
            "dtype": "category",
            "categories": ["M", "F"],
            "label": "Sex",
            "allow_missing": False,
        },
        {
            "name": "age",
            "role": "age",
            "dtype": "int",
            "unit": "years",
            "plausible": [0, 120],
            "label": "Age",
        },
    ]
    markers = [(m[0], m[1], m[2], m[7]) for m in MARKERS] + [(HOMA[0], HOMA[1], HOMA[2], HOMA[4])]
    for name, label, unit, (low, high) in markers:
        for visit, months in VISITS:
            role = "measurement"
            if name == "hba1c" and months == "0":
                role = "before"
            elif name == "hba1c" and months == "12":
                role = "after"
            spec: dict[str, object] = {
                "name": f"{name}_m{months}",
                "role": role,
                "dtype": "float",
                "measure": label,
                "visit": visit,
                "plausible": [low, high],
                "label": f"{label}, {visit}",
                "allow_missing": True,
            }
            if unit:
                spec["unit"] = unit
            specs.append(spec)
    return specs


def claims(rows: list[dict[str, str]]) -> dict[str, object]:
    def col(name: str) -> np.ndarray:
        return np.array([float(r[name]) if r[name] else np.nan for r in rows])

    before, after = col("hba1c_m0"), col("hba1c_m12")
    keep = ~np.isnan(after)
    change = (after - before)[keep]
    alt0 = col("alt_m0")
    where = "fictional report of the simulated registry"

    def claim(
        id_: str,
        quote: str,
        reported: str,
        quantity: dict[str, object],
        unit: str | None,
        comparator: str = "=",
    ) -> dict[str, object]:
        return {
            "id": id_,
            "quote": quote,
            "location": where,
            "versions": ["simulated"],
            "reported": reported,
            "comparator": comparator,
            "unit": unit,
            "quantity": quantity,
            "note": "Simulated: the number was computed from this table by generate.py.",
        }

    return {
        "format": "cohort-reanalysis/claims@1",
        "dataset": "simulated_registry",
        "claims": [
            claim("n", f"{N} patients were enrolled.", str(N), {"statistic": "n"}, "patients"),
            claim(
                "hba1c_baseline_mean",
                f"Mean HbA1c at baseline was {np.mean(before):.2f}%.",
                f"{np.mean(before):.2f}",
                {"statistic": "mean", "variable": "before"},
                "%",
            ),
            claim(
                "hba1c_change_12m",
                f"HbA1c fell by {-np.mean(change):.2f}% over 12 months (p < 0.05).",
                f"{-np.mean(change):.2f}",
                {"statistic": "mean_change", "variable": "change", "direction": "reduction"},
                "%",
            ),
            claim(
                "hba1c_p_12m",
                f"HbA1c fell by {-np.mean(change):.2f}% over 12 months (p < 0.05).",
                "0.05",
                {"statistic": "pvalue", "method": {"test": "paired_t"}},
                None,
                "<",
            ),
            claim(
                "alt_baseline_median",
                f"Median ALT at baseline was {np.median(alt0):.1f} U/L.",
                f"{np.median(alt0):.1f}",
                {"statistic": "median", "variable": "alt_m0"},
                "U/L",
            ),
        ],
    }


def main() -> None:
    rows = simulate()
    table = HERE / "patients.csv"
    with table.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    meta = {
        "format": "cohort-reanalysis/dataset@1",
        "name": "simulated_registry",
        "title": "SIMULATED registry: 40 patients, 12 markers at baseline, 6 and 12 months (no real patients)",
        "data_file": "patients.csv",
        "sha256": hashlib.sha256(table.read_bytes()).hexdigest(),
        "claims_file": "claims.json",
        "measure": "HbA1c",
        "unit": "%",
        "provenance": {
            "citation": "Simulated by datasets/simulated_registry/generate.py (seed 20261201); not a published study.",
            "title": "Simulated multi-visit registry",
            "licence": "CC0 (simulated data)",
            "reported_n": N,
            "printed_rows": N,
            "source_kind": "simulated",
            "notes": [
                "SIMULATED: generate.py writes the table, this file and the claims. No real patient is behind any number.",
                "Model: true level ~ N(mean, 0.8 SD^2) per patient and marker, independent measurement noise of variance 0.2 SD^2 at each visit; the true change is half reached at 6 months and fully at 12 months; values clipped to the plausible range.",
                "HOMA-IR = glucose (mg/dL) x insulin (uU/mL) / 405 at each visit, from the rounded values, rounded to 2 decimals.",
                "Four patients have no 12-month values (lost to follow-up): empty cells.",
                "The HbA1c baseline and 12-month columns take the roles before and after; every other marker and visit is a measurement column with measure and visit labels.",
            ],
        },
        "columns": column_specs(),
    }
    (HERE / "metadata.json").write_text(
        json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (HERE / "claims.json").write_text(
        json.dumps(claims(rows), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
