"""Write this SIMULATED dataset: 40 patients, 12 markers at baseline, 6 and 12 months.

    python datasets/simulated_registry/generate.py

No real patient is behind these numbers. The model follows ``simulate_cohort``'s (each
patient has a true level; each measurement adds independent noise, so a single value has
test-retest reliability 0.8), with a true change reached halfway at 6 months and fully at
12 months, and 4 patients lost before 12 months (empty cells). HOMA-IR is computed from the
simulated glucose and insulin (glucose [mg/dL] x insulin [uU/mL] / 405) and rounded like
the rest, as a registry would print it. The claims are a fictional report's sentences, their
numbers computed here from the table (numpy and scipy, never cohort_reanalysis) and rounded as
printed; three are wrong on purpose and one names the wrong method, and their notes say so. The
table itself needs only numpy and the standard library, so it is reproducible from this script
alone (seed 20261201).
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
    """The fictional report's claims, their numbers computed here from the table with numpy and
    scipy (not with cohort_reanalysis) and rounded as printed. Three are wrong on purpose (ids
    ending ``_wrong``) and one names the wrong method, each saying so in its note, so that
    verification has something to refuse and something to find under an alternative."""
    from scipy import stats  # only the claims need scipy; the table needs numpy alone

    def col(name: str) -> np.ndarray:
        return np.array([float(r[name]) if r[name] else np.nan for r in rows])

    def pair(marker: str, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
        x, y = col(f"{marker}_m{a}"), col(f"{marker}_m{b}")
        keep = ~(np.isnan(x) | np.isnan(y))
        return x[keep], y[keep]

    def p2(p: float) -> str:  # a p-value printed to two significant digits
        return np.format_float_positional(float(p), precision=2, fractional=False, trim="k")

    where = "fictional report of the simulated registry"
    simulated = (
        "SIMULATED dataset: the sentence is fictional and its number was computed by generate.py "
        "from the table it writes (numpy and scipy, not cohort_reanalysis)."
    )

    def claim(
        id_: str,
        quote: str,
        reported: str,
        quantity: dict[str, object],
        unit: str | None,
        comparator: str = "=",
        note: str = "",
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
            "note": f"{simulated} {note}".strip(),
        }

    h0, h12 = pair("hba1c", "0", "12")
    dh = h12 - h0
    ht = stats.ttest_rel(h12, h0)
    hci = ht.confidence_interval(0.95)
    hse = float(np.std(dh, ddof=1) / np.sqrt(dh.size))
    hdz = float(np.mean(dh) / np.std(dh, ddof=1))
    improved = float(np.mean(dh < 0) * 100)
    g0, g6 = pair("glucose", "0", "6")
    gp = stats.ttest_rel(g6, g0).pvalue
    l0, l12 = pair("ldl", "0", "12")
    ldl_mor = float(np.mean(100 * (l12 - l0) / l0))
    ldl_rom = float(100 * (np.mean(l12) - np.mean(l0)) / np.mean(l0))
    m6, m12 = pair("homa_ir", "6", "12")
    c0, c6 = pair("hs_crp", "0", "6")
    cci = stats.ttest_rel(c6, c0).confidence_interval(0.95)
    e0, e12 = pair("egfr", "0", "12")
    ep = stats.wilcoxon(e12, e0, correction=True, method="approx").pvalue
    t0 = col("testosterone_m0")
    tp = stats.ttest_1samp(t0, 400.0).pvalue
    gg0, gg12 = pair("ggt", "0", "12")
    i0, i12 = pair("insulin", "0", "12")
    insulin_fell = float(np.mean(i12 < i0) * 100)
    cr0, cr12 = pair("creatinine", "0", "12")
    crci = stats.ttest_rel(cr12, cr0).confidence_interval(0.95)
    hba1c = {"before": "hba1c_m0", "after": "hba1c_m12"}
    paired_t = {"test": "paired_t"}
    return {
        "format": "cohort-reanalysis/claims@2",
        "dataset": "simulated_registry",
        "claims": [
            claim("n", f"{N} patients were enrolled.", str(N), {"statistic": "n"}, "patients"),
            claim(
                "hba1c_baseline_mean",
                f"Mean HbA1c at baseline was {np.mean(col('hba1c_m0')):.2f}%.",
                f"{np.mean(col('hba1c_m0')):.2f}",
                {"statistic": "mean", "variable": "before"},
                "%",
            ),
            claim(
                "hba1c_change_12m",
                f"HbA1c fell by {-np.mean(dh):.2f}% over 12 months (p < 0.05).",
                f"{-np.mean(dh):.2f}",
                {"statistic": "mean_change", "variable": "change", "direction": "reduction"},
                "%",
                note="The 36 patients with a 12-month value.",
            ),
            claim(
                "hba1c_p_12m",
                f"HbA1c fell by {-np.mean(dh):.2f}% over 12 months (p < 0.05).",
                "0.05",
                {"statistic": "pvalue", "method": paired_t},
                None,
                "<",
            ),
            claim(
                "hba1c_ci_12m",
                f"Mean change in HbA1c at 12 months {np.mean(dh):.2f}% "
                f"(95% CI {hci.low:.2f} to {hci.high:.2f}).",
                f"{hci.low:.2f} to {hci.high:.2f}",
                {"statistic": "ci", "variable": "change", "pair": hba1c},
                "%",
                note="Paired t interval (scipy.stats.ttest_rel).",
            ),
            claim(
                "hba1c_t_12m",
                f"Paired t-test, t = {ht.statistic:.2f}, {dh.size - 1} degrees of freedom.",
                f"{ht.statistic:.2f}",
                {"statistic": "statistic", "pair": hba1c, "method": paired_t},
                None,
            ),
            claim(
                "hba1c_df_12m",
                f"Paired t-test, t = {ht.statistic:.2f}, {dh.size - 1} degrees of freedom.",
                str(dh.size - 1),
                {"statistic": "df", "pair": hba1c, "method": paired_t},
                None,
            ),
            claim(
                "hba1c_se_12m",
                f"The standard error of the mean change was {hse:.3f}%.",
                f"{hse:.3f}",
                {"statistic": "se", "pair": hba1c},
                "%",
            ),
            claim(
                "hba1c_dz_12m",
                f"The standardised effect was d_z = {hdz:.2f}.",
                f"{hdz:.2f}",
                {"statistic": "effect_size", "pair": hba1c, "method": {"effect_size": "d_z"}},
                None,
                note="d_z = mean change / SD of the changes (n - 1).",
            ),
            claim(
                "hba1c_improved_12m",
                f"HbA1c improved in {improved:.0f}% of patients.",
                f"{improved:.0f}%",
                {
                    "statistic": "proportion",
                    "pair": hba1c,
                    "condition": {"variable": "change", "op": "<", "value": 0},
                },
                None,
                note="Improved: a 12-month value below baseline, of the 36 with both.",
            ),
            claim(
                "alt_baseline_median",
                f"Median ALT at baseline was {np.median(col('alt_m0')):.1f} U/L.",
                f"{np.median(col('alt_m0')):.1f}",
                {"statistic": "median", "variable": "alt_m0"},
                "U/L",
            ),
            claim(
                "glucose_change_6m",
                f"Fasting glucose changed by {np.mean(g6 - g0):.1f} mg/dL at 6 months (p = {p2(gp)}).",
                f"{np.mean(g6 - g0):.1f}",
                {
                    "statistic": "mean_change",
                    "pair": {"before": "glucose_m0", "after": "glucose_m6"},
                },
                "mg/dL",
            ),
            claim(
                "glucose_p_6m",
                f"Fasting glucose changed by {np.mean(g6 - g0):.1f} mg/dL at 6 months (p = {p2(gp)}).",
                p2(gp),
                {
                    "statistic": "pvalue",
                    "pair": {"before": "glucose_m0", "after": "glucose_m6"},
                    "method": paired_t,
                },
                None,
            ),
            claim(
                "ldl_percent_change_12m",
                f"LDL cholesterol changed by {ldl_mor:.1f}% on average at 12 months.",
                f"{ldl_mor:.1f}",
                {
                    "statistic": "percent_change",
                    "pair": {"before": "ldl_m0", "after": "ldl_m12"},
                    "method": {"percent_change": "mean_of_ratios"},
                },
                "%",
                note="The mean of the per-patient percent changes.",
            ),
            claim(
                "ldl_percent_change_of_means_12m",
                f"Mean LDL cholesterol changed by {ldl_rom:.1f}% from baseline to 12 months.",
                f"{ldl_rom:.1f}",
                {
                    "statistic": "percent_change",
                    "pair": {"before": "ldl_m0", "after": "ldl_m12"},
                    "method": {"percent_change": "ratio_of_means"},
                },
                "%",
                note="The change of the means relative to the baseline mean.",
            ),
            claim(
                "ldl_percent_change_method_misnamed",
                f"Per-patient LDL cholesterol changes averaged {ldl_rom:.1f}% at 12 months.",
                f"{ldl_rom:.1f}",
                {
                    "statistic": "percent_change",
                    "pair": {"before": "ldl_m0", "after": "ldl_m12"},
                    "method": {"percent_change": "mean_of_ratios"},
                },
                "%",
                note="METHOD MISNAMED ON PURPOSE: the number is the change of the means "
                f"({ldl_rom:.1f}%), the sentence calls it a mean of per-patient changes (that is "
                f"{ldl_mor:.1f}%), so that verification finds it under the other definition.",
            ),
            claim(
                "homa_ir_change_6m_to_12m",
                f"HOMA-IR changed by {np.mean(m12 - m6):.2f} between 6 and 12 months.",
                f"{np.mean(m12 - m6):.2f}",
                {
                    "statistic": "mean_change",
                    "pair": {"before": "homa_ir_m6", "after": "homa_ir_m12"},
                },
                None,
                note="A pair of two follow-up visits, neither of them the baseline.",
            ),
            claim(
                "hs_crp_ci_6m",
                f"hs-CRP changed at 6 months (95% CI {cci.low:.2f} to {cci.high:.2f} mg/L).",
                f"{cci.low:.2f} to {cci.high:.2f}",
                {"statistic": "ci", "pair": {"before": "hs_crp_m0", "after": "hs_crp_m6"}},
                "mg/L",
            ),
            claim(
                "egfr_wilcoxon_12m",
                f"eGFR did not change over 12 months (Wilcoxon signed-rank p = {p2(ep)}).",
                p2(ep),
                {
                    "statistic": "pvalue",
                    "pair": {"before": "egfr_m0", "after": "egfr_m12"},
                    "method": {"test": "wilcoxon"},
                },
                None,
                note="Normal approximation with continuity correction (scipy.stats.wilcoxon).",
            ),
            claim(
                "testosterone_vs_400",
                f"Baseline testosterone did not differ from 400 ng/dL (one-sample t-test, p = {p2(tp)}).",
                p2(tp),
                {
                    "statistic": "pvalue",
                    "variable": "testosterone_m0",
                    "method": {"test": "one_sample_t", "mu": 400},
                },
                None,
            ),
            claim(
                "ggt_change_12m_wrong",
                f"GGT fell by {-np.mean(gg12 - gg0) + 2:.1f} U/L over 12 months.",
                f"{-np.mean(gg12 - gg0) + 2:.1f}",
                {
                    "statistic": "mean_change",
                    "pair": {"before": "ggt_m0", "after": "ggt_m12"},
                    "direction": "reduction",
                },
                "U/L",
                note=f"WRONG ON PURPOSE: the true fall is {-np.mean(gg12 - gg0):.1f} U/L; the "
                "reported number adds 2, so that verification reports it not reproduced.",
            ),
            claim(
                "insulin_fell_12m_wrong",
                f"Fasting insulin fell in {insulin_fell + 20:.0f}% of patients by 12 months.",
                f"{insulin_fell + 20:.0f}%",
                {
                    "statistic": "proportion",
                    "pair": {"before": "insulin_m0", "after": "insulin_m12"},
                    "condition": {"variable": "change", "op": "<", "value": 0},
                },
                None,
                note=f"WRONG ON PURPOSE: the true share is {insulin_fell:.0f}%; the reported "
                "one adds 20 points, so that verification reports it not reproduced.",
            ),
            claim(
                "creatinine_ci_12m_wrong",
                f"Creatinine changed at 12 months (95% CI {crci.low + 0.1:.2f} to "
                f"{crci.high + 0.1:.2f} mg/dL).",
                f"{crci.low + 0.1:.2f} to {crci.high + 0.1:.2f}",
                {"statistic": "ci", "pair": {"before": "creatinine_m0", "after": "creatinine_m12"}},
                "mg/dL",
                note=f"WRONG ON PURPOSE: the paired t interval is {crci.low:.2f} to "
                f"{crci.high:.2f} mg/dL; both ends are shifted by +0.10, so that verification "
                "reports it not reproduced.",
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
