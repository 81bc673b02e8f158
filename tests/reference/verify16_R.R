# The R reference values of verify16_R.json: what verification recomputes for the claims@2
# statistics and tests, on the 12-row table verify16_table.csv (written for these tests):
# change = sbp_12 - sbp_0 (the pair), the arms x and y as groups, "resp" a category by arm,
# age tested against mu = 55.
#
#   Rscript tests/reference/verify16_R.R > tests/reference/verify16_R.json
#
# Run from the repository root. Numbers are printed with 17 significant digits. Base R only;
# effect sizes by their formulas (Lakens 2013), as the kernel's docstrings give them.

d <- read.csv("tests/reference/verify16_table.csv", stringsAsFactors = FALSE)
s0 <- d$sbp_0
s1 <- d$sbp_12
change <- s1 - s0
age <- d$age
x <- d$arm == "x"

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
quiet <- function(e) suppressWarnings(e)

paired <- t.test(s1, s0, paired = TRUE)
welch <- t.test(s1, s0)
wx_paired <- quiet(wilcox.test(s1, s0, paired = TRUE, conf.int = TRUE))
wx_paired_normal <- quiet(wilcox.test(s1, s0, paired = TRUE, conf.int = TRUE, exact = FALSE))
sd_av <- (sd(s0) + sd(s1)) / 2
r01 <- cor(s0, s1)
d_z <- mean(change) / sd(change)
n <- length(change)
one_t <- t.test(age, mu = 55)
one_w <- wilcox.test(age, mu = 55, conf.int = TRUE)
one_w_normal <- wilcox.test(age, mu = 55, conf.int = TRUE, exact = FALSE)
one_w_greater <- wilcox.test(age, mu = 55, alternative = "greater")
student <- t.test(change[x], change[!x], var.equal = TRUE)
welch_g <- t.test(change[x], change[!x])
rank_sum <- quiet(wilcox.test(change[x], change[!x]))
pooled <- sqrt(((sum(x) - 1) * var(change[x]) + (sum(!x) - 1) * var(change[!x])) / (n - 2))
d_s <- (mean(change[x]) - mean(change[!x])) / pooled
tab <- table(factor(x, c(TRUE, FALSE)), d$resp)
chi_yates <- quiet(chisq.test(tab))
chi_plain <- quiet(chisq.test(tab, correct = FALSE))
fit <- summary(lm(change ~ age))
ct <- cor.test(age, change)

out <- list(
  paired = list(t = paired$statistic, df = paired$parameter, p = paired$p.value,
                ci = paired$conf.int, se = paired$stderr, mean = mean(change)),
  paired_ci90 = t.test(s1, s0, paired = TRUE, conf.level = 0.9)$conf.int,
  welch_ci = welch$conf.int,
  wilcoxon_paired = list(V = wx_paired$statistic, ci = wx_paired$conf.int,
                         ci_normal = wx_paired_normal$conf.int),
  effect = list(d_z = d_z, d_av = mean(change) / sd_av,
                d_rm = d_z * sqrt(2 * (1 - r01)),
                hedges_g = mean(change) / sd_av * (1 - 3 / (4 * (n - 1) - 1)),
                d_s = d_s, g_s = d_s * (1 - 3 / (4 * (n - 2) - 1))),
  proportion_fell = mean(change < 0),
  proportion_fell_or_same = mean(change <= 0),
  proportion_below_7 = mean(change < -7),
  proportion_at_most_7 = mean(change <= -7),
  percent = list(mean_of_ratios = mean(100 * change / s0),
                 ratio_of_means = 100 * (mean(s1) - mean(s0)) / mean(s0)),
  slope = list(estimate = fit$coefficients["age", "Estimate"],
               p = fit$coefficients["age", "Pr(>|t|)"],
               ci = confint(lm(change ~ age))["age", ]),
  pearson = list(r = ct$estimate, ci = ct$conf.int, p = ct$p.value, df = ct$parameter),
  one_sample_t = list(t = one_t$statistic, df = one_t$parameter, p = one_t$p.value,
                      ci = one_t$conf.int, se = one_t$stderr),
  signed_rank = list(V = one_w$statistic, p = one_w$p.value, ci = one_w$conf.int,
                     p_normal = one_w_normal$p.value, ci_normal = one_w_normal$conf.int,
                     p_greater = one_w_greater$p.value),
  groups = list(student_t = student$statistic, student_df = student$parameter,
                student_ci = student$conf.int, welch_t = welch_g$statistic,
                welch_df = welch_g$parameter, welch_ci = welch_g$conf.int,
                W = rank_sum$statistic),
  count = list(chi2 = chi_yates$statistic, chi2_p = chi_yates$p.value,
               chi2_df = chi_yates$parameter, chi2_uncorrected = chi_plain$statistic,
               chi2_uncorrected_p = chi_plain$p.value, fisher_p = fisher.test(tab)$p.value)
)
cat(json(out), "\n", sep = "")
