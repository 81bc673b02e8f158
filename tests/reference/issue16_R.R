# The R reference values of issue16_R.json: one-sample t and Wilcoxon tests (exact and
# approximate, with intervals), two-sample t intervals, effect sizes by Lakens' (2013)
# formulas, percent change, Clopper-Pearson, the slope of lm, chisq.test and fisher.test.
#
#   Rscript tests/reference/issue16_R.R > issue16_R.out.json
#
# Run from the repository root. Numbers are printed with 17 significant digits; infinite
# limits are written as +-1e308 (JSON has no Inf) and marked so in the key. Base R only.

d <- read.csv("datasets/matsuoka2025/patients.csv", stringsAsFactors = FALSE)
before <- d$hba1c_before
after <- d$hba1c_after
change <- after - before
months <- d$months

num <- function(x) {
  if (is.infinite(x)) return(if (x > 0) "1e308" else "-1e308")
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
arr <- function(x) structure(unname(as.numeric(x)), array = TRUE)
alts <- c("two.sided", "less", "greater")
by_alt <- function(f) { out <- lapply(alts, f); names(out) <- alts; out }

# --- one-sample t (t.test(x, mu = )) and the SE of a mean
tt <- function(x, mu, level = 0.95) by_alt(function(a) {
  r <- t.test(x, mu = mu, alternative = a, conf.level = level)
  list(t = r$statistic, df = r$parameter, p = r$p.value, ci = arr(r$conf.int),
       est = r$estimate, se = r$stderr)
})

# --- one-sample Wilcoxon (wilcox.test(x, mu = , conf.int = TRUE)), warnings counted
wx <- function(x, mu = 0, level = 0.95, ...) by_alt(function(a) {
  n_warn <- 0
  r <- withCallingHandlers(
    wilcox.test(x, mu = mu, alternative = a, conf.int = TRUE, conf.level = level, ...),
    warning = function(w) { n_warn <<- n_warn + 1; invokeRestart("muffleWarning") })
  list(V = r$statistic, p = r$p.value, est = r$estimate, ci = arr(r$conf.int),
       level = attr(r$conf.int, "conf.level"), n_warnings = n_warn)
})

# --- two-sample t intervals (by sex)
male <- change[d$sex == "M"]
female <- change[d$sex == "F"]
two <- function(equal) by_alt(function(a) {
  r <- t.test(male, female, var.equal = equal, alternative = a)
  list(t = r$statistic, df = r$parameter, p = r$p.value, ci = arr(r$conf.int),
       est = unname(r$estimate[1] - r$estimate[2]), se = r$stderr)
})

# --- effect sizes, Lakens (2013) eqs. 1, 4, 6, 9, 10
effects <- function(b, a) {
  dd <- a - b
  n <- length(dd)
  r <- cor(b, a)
  sd_av <- (sd(b) + sd(a)) / 2
  d_av <- mean(dd) / sd_av
  df <- n - 1
  list(d_z = mean(dd) / sd(dd),
       d_av = d_av,
       d_rm = mean(dd) / sqrt(sd(b)^2 + sd(a)^2 - 2 * r * sd(b) * sd(a)) * sqrt(2 * (1 - r)),
       g_av = d_av * (1 - 3 / (4 * df - 1)),
       g_av_exact = d_av * exp(lgamma(df / 2) - lgamma((df - 1) / 2)) / sqrt(df / 2))
}
between <- function(x, y) {
  nx <- length(x); ny <- length(y)
  sp <- sqrt(((nx - 1) * var(x) + (ny - 1) * var(y)) / (nx + ny - 2))
  ds <- (mean(x) - mean(y)) / sp
  list(d_s = ds, g_s = ds * (1 - 3 / (4 * (nx + ny) - 9)))
}

# --- small vectors: exact cases, ties, zeros, n = 1
exact9 <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)   # no ties at mu = 1
ties_zeros <- c(1.5, 2, -0.5, 3, 0, 1, 1, 2.5, -1, 4)
tiny <- c(0.8, -0.3, 1.1)                                           # level not achievable
large_no_ties <- c(-(1:10) - 0.25, 11:60 + 0.1)                 # n = 60, exact forced
fisher_tables <- list(a = matrix(c(3, 1, 1, 5), 2), b = matrix(c(12, 3, 5, 9), 2),
                      zero = matrix(c(0, 4, 5, 3), 2))
fisher_out <- lapply(fisher_tables, function(m) by_alt(function(a) {
  r <- fisher.test(m, alternative = a)
  list(p = r$p.value, or = r$estimate, ci = arr(r$conf.int))
}))
fisher90 <- fisher.test(fisher_tables$b, conf.level = 0.9)
chi <- function(m, correct) {
  r <- suppressWarnings(chisq.test(m, correct = correct))
  list(x2 = r$statistic, df = r$parameter, p = r$p.value, expected = arr(t(r$expected)))
}
improved <- table(d$sex, change < 0)       # rows F, M; columns FALSE, TRUE
rxc <- matrix(c(2, 4, 1, 3, 0, 3, 1, 2, 5), 3)
fit <- lm(after ~ before)
sfit <- summary(fit)$coefficients
k <- sum(change < 0)
nn <- length(change)

out <- list(
  t_change_mu0 = tt(change, 0),
  t_before_mu8_level90 = tt(before, 8, 0.9),
  t_exact9_mu1 = tt(exact9, 1),
  se_change = sd(change) / sqrt(length(change)),
  wilcox_change = wx(change),
  wilcox_before_mu7 = wx(before, 7),
  wilcox_change_nocorrect = wx(change, correct = FALSE),
  wilcox_exact9_mu1 = wx(exact9, 1),
  wilcox_exact9_mu1_level90 = wx(exact9, 1, 0.9),
  wilcox_ties_zeros = wx(ties_zeros),
  wilcox_tiny = wx(tiny),
  wilcox_one = wx(5),
  wilcox_exact_forced_large = list(two.sided = {
    r <- wilcox.test(large_no_ties, exact = TRUE, conf.int = TRUE)
    list(V = r$statistic, p = r$p.value, est = r$estimate, ci = arr(r$conf.int))
  }),
  student_male_female = two(TRUE),
  welch_male_female = two(FALSE),
  effects_change = effects(before, after),
  effects_exact9 = effects(exact9, exact9 + c(0.2, -0.1, 0.4, 0.3, 0.0, 0.5, -0.2, 0.6, 0.1)),
  between_sex = between(male, female),
  percent_change = list(mean_of_ratios = mean(100 * (after - before) / before),
                        ratio_of_means = 100 * (mean(after) - mean(before)) / mean(before)),
  proportion_improved = list(k = k, n = nn, estimate = k / nn,
                             ci = arr(binom.test(k, nn)$conf.int),
                             ci90 = arr(binom.test(k, nn, conf.level = 0.9)$conf.int),
                             ci_0_of_10 = arr(binom.test(0, 10)$conf.int),
                             ci_10_of_10 = arr(binom.test(10, 10)$conf.int)),
  slope_after_on_before = list(est = sfit["before", "Estimate"], se = sfit["before", "Std. Error"],
                               t = sfit["before", "t value"], df = fit$df.residual,
                               p = sfit["before", "Pr(>|t|)"],
                               intercept = sfit["(Intercept)", "Estimate"],
                               ci = arr(confint(fit)["before", ]),
                               ci90 = arr(confint(fit, level = 0.9)["before", ])),
  chisq_sex_improved = chi(improved, TRUE),
  chisq_sex_improved_nocorrect = chi(improved, FALSE),
  chisq_fisher_b = chi(fisher_tables$b, TRUE),
  chisq_rxc = chi(rxc, TRUE),
  fisher = fisher_out,
  fisher_b_level90 = list(p = fisher90$p.value, or = fisher90$estimate, ci = arr(fisher90$conf.int)),
  fisher_sex_improved = {
    r <- fisher.test(improved)
    list(p = r$p.value, or = r$estimate, ci = arr(r$conf.int))
  }
)
cat(json(out), "\n", sep = "")
