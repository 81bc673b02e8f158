# The R reference values of msc58_R.json, recomputed from the bundled table with base R.
#
#   Rscript tests/reference/msc58_R.R > msc58_R.out.json
#
# Run from the repository root (an optional argument names another table). Numbers are
# printed with 17 significant digits, so they agree with msc58_R.json to the last few bits
# (tests/test_reference_values.py compares them when Rscript is installed). Only base R
# (package stats) is used.

args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) >= 1) args[1] else "datasets/matsuoka2025/patients.csv"
d <- read.csv(path, stringsAsFactors = FALSE)
before <- d$hba1c_before
after <- d$hba1c_after
reduction <- before - after
months <- d$months
dose <- d$dose_million

num <- function(x) {
  if (x == round(x) && abs(x) < 1e15) sprintf("%.0f", x) else sprintf("%.17g", x)
}
json <- function(x, indent = "") {
  inner <- paste0(indent, " ")
  if (is.list(x)) {
    keys <- names(x)
    items <- vapply(seq_along(x), function(i) {
      paste0(inner, "\"", keys[i], "\": ", json(x[[i]], inner))
    }, "")
    return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
  }
  x <- unname(x)
  if (length(x) == 1 && is.null(attr(x, "array"))) return(num(x))
  paste0("[\n", paste0(inner, vapply(x, num, ""), collapse = ",\n"), "\n", indent, "]")
}
arr <- function(x) structure(unname(x), array = TRUE)

tt <- t.test(before, after, paired = TRUE)
wc <- wilcox.test(before, after, paired = TRUE, exact = FALSE, correct = TRUE)
wn <- wilcox.test(before, after, paired = TRUE, exact = FALSE, correct = FALSE)
cmp <- cor.test(months, reduction)
cms <- cor.test(months, reduction, method = "spearman", exact = FALSE)
cdp <- cor.test(dose, reduction)
cds <- cor.test(dose, reduction, method = "spearman", exact = FALSE)
cdk <- cor.test(dose, reduction, method = "kendall", exact = FALSE)
fit <- summary(lm(reduction ~ months))
probs <- c(0.25, 0.5, 0.75)
by_type <- lapply(1:9, function(k) arr(quantile(months, probs, type = k)))
names(by_type) <- as.character(1:9)

out <- list(
  msc_paired = list(
    t = tt$statistic, df = tt$parameter, p = tt$p.value, ci = arr(tt$conf.int),
    est = tt$estimate
  ),
  msc_wilcox_correct = list(V = wc$statistic, p = wc$p.value),
  msc_wilcox_nocorrect = list(V = wn$statistic, p = wn$p.value),
  msc_cor_months_pearson = list(
    r = cmp$estimate, p = cmp$p.value, ci = arr(cmp$conf.int), t = cmp$statistic
  ),
  msc_cor_months_spearman = list(rho = cms$estimate, p = cms$p.value),
  msc_cor_dose_pearson = list(r = cdp$estimate, p = cdp$p.value, ci = arr(cdp$conf.int)),
  msc_cor_dose_spearman = list(rho = cds$estimate, p = cds$p.value),
  msc_cor_dose_kendall = list(tau = cdk$estimate, p = cdk$p.value),
  msc_lm_months = list(
    coef = arr(fit$coefficients[, "Estimate"]),
    se = arr(fit$coefficients[, "Std. Error"]),
    p = arr(fit$coefficients[, "Pr(>|t|)"]),
    ci_slope = arr(confint(lm(reduction ~ months))["months", ])
  ),
  msc_months_quantiles_types1to9 = list(probs = arr(probs), by_type = by_type)
)
cat(json(out), "\n", sep = "")
