# The R reference values of datasets16_R.json: for every numeric claim of the three datasets
# bundled for issue 16 (student1908_sleep, zea_mays_darwin1876, simulated_registry), the value
# of its quantity under the method it states, computed with base R 4.2 (`stats`) from the
# dataset's patients.csv and nothing else; and, under "<id>@alternative", the value under the
# alternative a claim's note names (Student's SD with divisor n, the other percent change).
# tests/verification/test_dataset_claim_verdicts.py derives each claim's verdict from these
# values and the printed numbers, and holds verification to it.
#
#   Rscript tests/reference/datasets16_R.R > tests/reference/datasets16_R.json
#
# Run from the repository root. Numbers are printed with 17 significant digits.

num <- function(v) if (v == round(v) && abs(v) < 1e15) sprintf("%.0f", v) else sprintf("%.17g", v)
json <- function(v, indent = "") {
  inner <- paste0(indent, " ")
  if (is.list(v)) {
    keys <- names(v)
    items <- vapply(seq_along(v), function(i) {
      paste0(inner, "\"", keys[i], "\": ", json(v[[i]], inner))
    }, "")
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
  }
  v <- unname(v)
  if (length(v) == 1) return(num(v))
  paste0("[", paste(vapply(v, num, ""), collapse = ", "), "]")
}
sd_n <- function(x) sqrt(mean((x - mean(x))^2))
read <- function(name, ...) read.csv(file.path("datasets", name, "patients.csv"),
                                     stringsAsFactors = FALSE, ...)

# Student 1908: columns 1 and 2, the printed difference (2 - 1).
s <- read("student1908_sleep")
d1 <- s$sleep_gain_1
d2 <- s$sleep_gain_2
dd <- s$difference_2_minus_1
ch <- d2 - d1
greater <- function(x) t.test(x, mu = 0, alternative = "greater")$p.value
student <- list(
  n_patients = nrow(s), r_sleep_n = nrow(s),
  mean_1 = mean(d1), mean_2 = mean(d2), mean_difference = mean(ch),
  mean_difference_printed = mean(dd), mean_difference_text = mean(dd),
  sd_1 = sd(d1), "sd_1@alternative" = sd_n(d1),
  sd_2 = sd(d2), "sd_2@alternative" = sd_n(d2),
  sd_difference = sd(dd), "sd_difference@alternative" = sd_n(dd),
  sd_difference_text = sd(dd), "sd_difference_text@alternative" = sd_n(dd),
  sd_change = sd(ch), "sd_change@alternative" = sd_n(ch),
  prob_1_interpolated = greater(d1), odds_1 = greater(d1),
  prob_2 = greater(d2), prob_difference = greater(dd),
  z_difference = mean(ch) / sd(ch),
  correlation_drugs = cor(d1, d2)
)

# Darwin 1876, Table 97: before = self-fertilised, after = crossed; Galton's pot means in eighths.
z <- read("zea_mays_darwin1876", colClasses = c(pot = "character"))
cr <- z$crossed_in
sf <- z$self_fertilised_in
darwin <- list(
  n_pairs = nrow(z), mean_crossed = mean(cr), mean_self = mean(sf),
  ratio_100_to_87 = 100 * (mean(sf) - mean(cr)) / mean(cr),
  "ratio_100_to_87@alternative" = mean(100 * (sf - cr) / cr)
)
for (pot in c("1", "2", "3", "4")) {
  k <- z$pot == pot
  darwin[[paste0("galton_pot", pot, "_mean_crossed")]] <- mean(cr[k])
  darwin[[paste0("galton_pot", pot, "_mean_self")]] <- mean(sf[k])
  darwin[[paste0("galton_pot", pot, "_difference")]] <- mean(sf[k] - cr[k])
}

# The simulated registry: each pair uses the rows with both values.
r <- read.csv("datasets/simulated_registry/patients.csv", stringsAsFactors = FALSE)
both <- function(a, b) {
  k <- !is.na(r[[a]]) & !is.na(r[[b]])
  list(x = r[[a]][k], y = r[[b]][k])
}
h <- both("hba1c_m0", "hba1c_m12")
hd <- h$y - h$x
ht <- t.test(h$y, h$x, paired = TRUE)
g <- both("glucose_m0", "glucose_m6")
l <- both("ldl_m0", "ldl_m12")
hm <- both("homa_ir_m6", "homa_ir_m12")
crp <- both("hs_crp_m0", "hs_crp_m6")
e <- both("egfr_m0", "egfr_m12")
gg <- both("ggt_m0", "ggt_m12")
ins <- both("insulin_m0", "insulin_m12")
cre <- both("creatinine_m0", "creatinine_m12")
mor <- function(p) mean(100 * (p$y - p$x) / p$x)
rom <- function(p) 100 * (mean(p$y) - mean(p$x)) / mean(p$x)
registry <- list(
  n = nrow(r), hba1c_baseline_mean = mean(r$hba1c_m0),
  hba1c_change_12m = mean(h$x - h$y), hba1c_p_12m = ht$p.value,
  hba1c_ci_12m = ht$conf.int, hba1c_t_12m = ht$statistic, hba1c_df_12m = ht$parameter,
  hba1c_se_12m = sd(hd) / sqrt(length(hd)), hba1c_dz_12m = mean(hd) / sd(hd),
  hba1c_improved_12m = 100 * mean(hd < 0),
  alt_baseline_median = median(r$alt_m0),
  glucose_change_6m = mean(g$y - g$x),
  glucose_p_6m = t.test(g$y, g$x, paired = TRUE)$p.value,
  ldl_percent_change_12m = mor(l), ldl_percent_change_of_means_12m = rom(l),
  ldl_percent_change_method_misnamed = mor(l),
  "ldl_percent_change_method_misnamed@alternative" = rom(l),
  homa_ir_change_6m_to_12m = mean(hm$y - hm$x),
  hs_crp_ci_6m = t.test(crp$y, crp$x, paired = TRUE)$conf.int,
  egfr_wilcoxon_12m = suppressWarnings(wilcox.test(e$y, e$x, paired = TRUE))$p.value,
  testosterone_vs_400 = t.test(r$testosterone_m0, mu = 400)$p.value,
  ggt_change_12m_wrong = mean(gg$x - gg$y),
  insulin_fell_12m_wrong = 100 * mean(ins$y < ins$x),
  creatinine_ci_12m_wrong = t.test(cre$y, cre$x, paired = TRUE)$conf.int
)

out <- list(student1908_sleep = student, zea_mays_darwin1876 = darwin,
            simulated_registry = registry)
cat(json(out), "\n", sep = "")
