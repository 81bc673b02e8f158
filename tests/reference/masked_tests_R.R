# The R reference values of masked_tests_R.json: the p-values and correlations that the
# multiverse computes on many row subsets at once (analyses/_kernel/_masked_tests.py), each
# subset computed here on its own with base R (package stats).
#
#   Rscript tests/reference/masked_tests_R.R > tests/reference/masked_tests_R.json
#
# Run from the repository root. The table is datasets/matsuoka2025/patients.csv (58 rows);
# change = hba1c_after - hba1c_before. Subsets (logical vectors over the rows) and pairs of
# groups are defined below and again, in the same words, in
# tests/analyses/_kernel/test_masked_tests.py. Numbers have 17 significant digits.

d <- read.csv("datasets/matsuoka2025/patients.csv", stringsAsFactors = FALSE)
before <- d$hba1c_before
after <- d$hba1c_after
change <- after - before
months <- d$months
dose <- d$dose_million
row <- seq_len(nrow(d))

subsets <- list(
  all = rep(TRUE, nrow(d)),
  moderate = before >= 6.2 & before <= 8,
  moderate_open = before > 6.2 & before < 8,
  severe = before > 8,
  high_dose = dose >= 1500,
  first_50 = row <= 50,
  long_followup = months >= 36
)
groups <- list(
  dose_1000 = list(dose >= 1000, dose < 1000),
  dose_1000_open = list(dose > 1000, dose <= 1000),
  dose_1000_first_50 = list(dose >= 1000 & row <= 50, dose < 1000 & row <= 50),
  sex = list(d$sex == "M", d$sex == "F")
)
alts <- c("two.sided", "less", "greater")

num <- function(x) {
  if (is.finite(x) && x == round(x) && abs(x) < 1e15) sprintf("%.0f", x) else sprintf("%.17g", x)
}
by_alt <- function(f) {
  paste0("{", paste0("\"", alts, "\": ", vapply(alts, function(a) num(f(a)), ""), collapse = ", "), "}")
}
field <- function(key, value) paste0("\"", key, "\": ", value)

one_subset <- function(name) {
  s <- subsets[[name]]
  b <- before[s]
  a <- after[s]
  fields <- c(
    field("n", num(sum(s))),
    field("paired_t", by_alt(function(alt) t.test(a, b, paired = TRUE, alternative = alt)$p.value)),
    field("signed_rank", by_alt(function(alt) {
      wilcox.test(a, b, paired = TRUE, exact = FALSE, correct = TRUE, alternative = alt)$p.value
    })),
    field("unpaired_student", by_alt(function(alt) {
      t.test(a, b, var.equal = TRUE, alternative = alt)$p.value
    })),
    field("unpaired_rank_sum", by_alt(function(alt) {
      wilcox.test(a, b, exact = FALSE, correct = TRUE, alternative = alt)$p.value
    }))
  )
  for (m in c("pearson", "spearman", "kendall")) {
    x <- months[s]
    y <- change[s]
    est <- unname(suppressWarnings(cor.test(x, y, method = m, exact = FALSE))$estimate)
    p <- by_alt(function(alt) {
      suppressWarnings(cor.test(x, y, method = m, exact = FALSE, alternative = alt))$p.value
    })
    fields <- c(fields, field(m, paste0("{", field("estimate", num(est)), ", ", field("p", p), "}")))
  }
  paste0("  ", field(name, paste0("{", paste(fields, collapse = ", "), "}")))
}

one_groups <- function(name) {
  g <- groups[[name]]
  x <- change[g[[1]]]
  y <- change[g[[2]]]
  fields <- c(
    field("n", paste0("[", num(length(x)), ", ", num(length(y)), "]")),
    field("student", by_alt(function(alt) t.test(x, y, var.equal = TRUE, alternative = alt)$p.value)),
    field("welch", by_alt(function(alt) t.test(x, y, var.equal = FALSE, alternative = alt)$p.value)),
    field("rank_sum", by_alt(function(alt) {
      wilcox.test(x, y, exact = FALSE, correct = TRUE, alternative = alt)$p.value
    })),
    # kruskal.test counts ties with table(), i.e. on the values printed to 15 significant
    # digits, while it ranks the doubles: after - before of values like 7.5 - 6.4 and
    # 7.2 - 6.1 tie in its correction but not in its ranks. Rounded to 10 decimals first,
    # the two agree (and agree with scipy.stats.kruskal and the kernel).
    field("kruskal_rounded", num(kruskal.test(list(round(x, 10), round(y, 10)))$p.value))
  )
  paste0("  ", field(name, paste0("{", paste(fields, collapse = ", "), "}")))
}

cat("{\"R\": \"", R.version.string, "\",\n \"subsets\": {\n",
    paste(vapply(names(subsets), one_subset, ""), collapse = ",\n"),
    "\n },\n \"groups\": {\n",
    paste(vapply(names(groups), one_groups, ""), collapse = ",\n"),
    "\n }\n}\n", sep = "")
