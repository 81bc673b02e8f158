# The R reference values of paired_summary_R.json: the paired t-test of simulated visits
# whose within-patient correlation is known, and what their printed summaries allow.
#
#   Rscript tests/reference/paired_summary_R.R > tests/reference/paired_summary_R.json
#
# For each case, n patients have a baseline value x and a follow-up value y with
# correlation rho (y = mu_y + sd_y (rho z1 + sqrt(1 - rho^2) z2), x = mu_x + sd_x z1). Keys:
# mean_x, sd_x, mean_y, sd_y, r (the sample correlation), n, t and p of
# t.test(y, x, paired = TRUE); the printed numbers (sprintf "%.2f" for means and SDs,
# "%.3f" for p, or "0.001" when p < 0.001, marked by p_below); and p_at_r_minus_1, the
# largest two-sided p that the printed means and SDs allow: the smallest |change| over their
# rounding intervals (half a unit of the last digit each way) over the largest SD of the
# change, at r = -1 (sd_x + sd_y at their upper ends). Base R only; 17 significant digits.

num <- function(x) {
  if (x == round(x) && abs(x) < 1e15) sprintf("%.0f", x) else sprintf("%.17g", x)
}
str <- function(x) paste0("\"", x, "\"")

one <- function(seed, n, rho, mu_x, sd_x, mu_y, sd_y) {
  set.seed(seed)
  z1 <- rnorm(n)
  z2 <- rnorm(n)
  x <- mu_x + sd_x * z1
  y <- mu_y + sd_y * (rho * z1 + sqrt(1 - rho^2) * z2)
  tt <- t.test(y, x, paired = TRUE)
  printed <- sprintf("%.2f", c(mean(x), sd(x), mean(y), sd(y)))
  p_below <- tt$p.value < 0.001
  p_printed <- if (p_below) "0.001" else sprintf("%.3f", tt$p.value)
  v <- as.numeric(printed)
  half <- 0.005
  diff_low <- (v[3] - half) - (v[1] + half)
  diff_high <- (v[3] + half) - (v[1] - half)
  small <- if (diff_low <= 0 && diff_high >= 0) 0 else min(abs(diff_low), abs(diff_high))
  sd_max <- (v[2] + half) + (v[4] + half)
  p_max <- 2 * pt(-small / (sd_max / sqrt(n)), n - 1)
  fields <- c(
    paste0("\"seed\": ", num(seed)), paste0("\"rho\": ", num(rho)), paste0("\"n\": ", num(n)),
    paste0("\"mean_x\": ", num(mean(x))), paste0("\"sd_x\": ", num(sd(x))),
    paste0("\"mean_y\": ", num(mean(y))), paste0("\"sd_y\": ", num(sd(y))),
    paste0("\"r\": ", num(cor(x, y))), paste0("\"t\": ", num(unname(tt$statistic))),
    paste0("\"p\": ", num(tt$p.value)),
    paste0("\"printed\": [", paste(str(printed), collapse = ", "), "]"),
    paste0("\"p_printed\": ", str(p_printed)),
    paste0("\"p_below\": ", if (p_below) "true" else "false"),
    paste0("\"p_at_r_minus_1\": ", num(p_max))
  )
  paste0("  {", paste(fields, collapse = ", "), "}")
}

cases <- list(
  one(1, 12, 0.0, 8.0, 1.0, 7.6, 1.1),
  one(2, 40, 0.5, 8.2, 0.9, 7.8, 1.0),
  one(3, 40, 0.8, 8.2, 0.9, 8.0, 0.9),
  one(4, 200, -0.3, 50, 10, 52, 12),
  one(5, 36, 0.9, 130, 25, 124, 24),
  one(6, 60, 0.97, 5.0, 1.2, 4.9, 1.2),
  one(7, 25, 0.3, 2.5, 0.6, 2.5, 0.6)
)
cat("{\"R\": ", str(R.version.string), ",\n \"cases\": [\n", paste(cases, collapse = ",\n"),
    "\n ]}\n", sep = "")
